import { APIConnectionError, APIError, APIUserAbortError, OpenAIError, RateLimitError } from "openai";
import { retryAfterSeconds } from "../retry";

/** Failures of a call to a remote API, by what the caller may do about them. */
export class CallFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** 429: nothing was applied; try again after `retryAfter` seconds. */
export class RateLimited extends CallFailure {
  constructor(readonly retryAfter: number) {
    super(`rate limited; retry after ${retryAfter}s`, 429);
  }
}

/** 5xx, timeout or reset on a read, still failing after retries: try again later. */
export class TransientFailure extends CallFailure {}

/** 5xx, timeout or reset on a write: it may or may not have been applied. Reconcile before writing again. */
export class AmbiguousWrite extends CallFailure {}

/** A 4xx other than 429: the request itself is wrong or the object is gone. Retrying changes nothing. */
export class Rejected extends CallFailure {
  constructor(
    message: string,
    status: number,
    readonly code: string | null,
    /** The request field the API blamed, e.g. `file_ids[3]`. */
    readonly param: string | null = null,
  ) {
    super(message, status);
  }
  get gone(): boolean {
    return this.status === 404 || this.status === 410;
  }
}

/** The source refused a request (a 4xx other than 404/410/429): a setting it does not take, say an api-version. */
export class SourceRejected extends Rejected {}

/** The source no longer serves this (404/410, or a retired API version): contract §4.4. */
export class SourceGone extends CallFailure {}

/**
 * Microsoft Entra refused ferry's token request (400/401: a revoked or expired secret, an unknown
 * app or tenant, a bad scope). Nothing on that side works until an operator fixes the app, so the
 * refusal is never re-sent; the message is Entra's own `error_description`.
 */
export class EntraRefused extends CallFailure {
  constructor(
    message: string,
    status: number,
    /** Entra's `error`, e.g. `invalid_client`. */
    readonly code: string | null,
  ) {
    super(message, status);
  }
}

/**
 * What an SDK `apiKey` function threw, carried through the SDK unchanged (it passes an OpenAIError
 * through as it is, and would wrap anything else): the token fetch's own failure, already decided
 * by the call core (a refusal, a spent budget, a lost lease), is the call's failure.
 */
export class TokenUnavailable extends OpenAIError {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

export type Classified =
  | { kind: "rate_limited"; status: 429; retryAfter: number; message: string }
  | { kind: "transient"; status?: number; message: string }
  | { kind: "rejected"; status: number; message: string; code: string | null; param: string | null };

/**
 * Sorts an SDK error into what ferry can do about it, in one step, from the SDK's own error classes.
 * The server's `x-should-retry` wins, as it does in the SDK's own retry logic. Anything unknown
 * (a network reset, an abort) is transient: it may have reached the server.
 */
export function classify(err: unknown): Classified {
  if (err instanceof APIError && !(err instanceof APIConnectionError) && !(err instanceof APIUserAbortError) && err.status !== undefined) {
    const { status } = err;
    // The SDK words its message "<status> <the API's message>"; ferry names the status itself.
    const message = err.message.startsWith(`${status} `) ? err.message.slice(`${status} `.length) : err.message;
    const shouldRetry = err.headers?.get("x-should-retry");
    if (err instanceof RateLimitError) return { kind: "rate_limited", status: 429, retryAfter: retryAfterSeconds(err.headers), message };
    const retriable = shouldRetry === "true" || (shouldRetry !== "false" && (status >= 500 || status === 408 || status === 409));
    if (retriable) return { kind: "transient", status, message };
    return { kind: "rejected", status, message, code: err.code ?? null, param: err.param ?? null };
  }
  return { kind: "transient", message: err instanceof Error ? err.message : String(err) };
}

/** A failure as ferry records it: what answered and what it said (never a key or token: the SDK's messages hold none). */
export function describeFailure(err: unknown): string {
  if (err instanceof EntraRefused) return `Microsoft Entra refused a token${err.code ? ` (${err.code})` : ""}: ${err.message}`;
  if ((err instanceof SourceGone || err instanceof SourceRejected) && err.status) return `the Assistants API answered ${err.status}: ${err.message}`;
  if (err instanceof CallFailure) return err.status ? `OpenAI answered ${err.status}: ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
