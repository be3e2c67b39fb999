import { APIConnectionError, APIError } from "openai";

/** Failures of a call to OpenAI, by what the caller may do about them. */
export class OpenAIFailure extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** 429: nothing was applied; try again after `retryAfter` seconds. */
export class RateLimited extends OpenAIFailure {
  constructor(readonly retryAfter: number) {
    super(`rate limited by OpenAI; retry after ${retryAfter}s`, 429);
  }
}

/** 5xx, timeout or reset on a read, still failing after retries: try again later. */
export class TransientFailure extends OpenAIFailure {}

/** 5xx, timeout or reset on a write: it may or may not have been applied. Reconcile before writing again. */
export class AmbiguousWrite extends OpenAIFailure {}

/** A 4xx other than 429: the request itself is wrong or the object is gone. Retrying changes nothing. */
export class Rejected extends OpenAIFailure {
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

/** 404/410 from the Assistants API: the thread (or the whole API) is gone. Contract §4.4. */
export class SourceGone extends OpenAIFailure {}

export type FailureKind = "rate_limited" | "transient" | "rejected";

export interface Classified {
  kind: FailureKind;
  status?: number;
  retryAfter?: number;
  message: string;
  code: string | null;
  param?: string | null;
}

/** Sorts an SDK error into what ferry can do about it. Anything unknown is treated as transient. */
export function classify(err: unknown): Classified {
  if (err instanceof APIError && !(err instanceof APIConnectionError) && err.status !== undefined) {
    const status = err.status;
    const message = err.message;
    if (status === 429) return { kind: "rate_limited", status, retryAfter: retryAfterSeconds(err.headers), message, code: err.code ?? null };
    if (status >= 500 || status === 408 || status === 409) return { kind: "transient", status, message, code: err.code ?? null };
    return { kind: "rejected", status, message, code: err.code ?? null, param: err.param ?? null };
  }
  return { kind: "transient", message: err instanceof Error ? err.message : String(err), code: null };
}

/** Retry-After (seconds or HTTP date) and retry-after-ms, as the API sends them; 1 s when absent. */
export function retryAfterSeconds(headers: Headers | undefined): number {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const raw = headers?.get("retry-after");
  if (raw) {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  return 1;
}
