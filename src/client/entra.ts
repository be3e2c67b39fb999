import { APIError } from "openai";
import type { EntraApp } from "../config";
import type { CallCore, RefusalRule } from "./call";
import { EntraRefused } from "./errors";

/** A token is used until this long before it expires (contract §6.1). */
const RENEW_BEFORE_MS = 5 * 60_000;
/** Entra's answer to a refused request is kept this long, so the calls behind it do not ask again. */
const REFUSAL_KEPT_MS = 10 * 60_000;

/** The token endpoint's answer (Microsoft Learn: "Microsoft identity platform and the OAuth 2.0 client credentials flow"). */
interface TokenAnswer {
  access_token?: string;
  expires_in?: number | string;
  error?: string;
  error_description?: string;
}

/** 400/401 from Entra: the app, its secret or the scope is wrong, and asking again changes nothing. */
const refuseToken: RefusalRule = (r) => new EntraRefused(r.message, r.status, r.code);

/**
 * Client-credentials tokens of one Entra app for one scope, shared by every call in the isolate:
 * reused until 5 minutes before they expire, one fetch at a time (concurrent callers wait for the
 * same one), and a refusal remembered for a while instead of asked again by every call.
 */
export class EntraTokens {
  private token: { value: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private refusal: { error: EntraRefused; until: number } | null = null;
  /** Tokens fetched so far: a call notes this before it is sent, so its 401 drops only the token it used. */
  private fetched = 0;

  constructor(
    private readonly app: EntraApp,
    private readonly scope: string,
    private readonly timeoutMs: number,
  ) {}

  generation(): number {
    return this.fetched;
  }

  /** A usable token: the kept one, the fetch under way, or a new fetch sent through `core` (budget, re-sends, refusals). */
  get(core: CallCore): Promise<string> {
    const now = Date.now();
    if (this.token && now < this.token.renewAt) return Promise.resolve(this.token.value);
    if (this.refusal && now < this.refusal.until) return Promise.reject(this.refusal.error);
    this.pending ??= core
      .call("read", () => this.fetch(), refuseToken)
      .then(
        ({ value, lifetimeMs }) => {
          // A token shorter-lived than twice the margin is used for half its life instead.
          this.token = { value, renewAt: Date.now() + lifetimeMs - Math.min(RENEW_BEFORE_MS, lifetimeMs / 2) };
          this.fetched++;
          this.refusal = null;
          return value;
        },
        (err: unknown) => {
          if (err instanceof EntraRefused) this.refusal = { error: err, until: Date.now() + REFUSAL_KEPT_MS };
          throw err;
        },
      )
      .finally(() => (this.pending = null));
    return this.pending;
  }

  /**
   * A call sent when `generation` tokens had been fetched got a 401 from the API: that token is
   * dropped (unless a newer one replaced it meanwhile), and the call may be sent once more.
   */
  refused(generation: number): boolean {
    if (generation === this.fetched) this.token = null;
    return true;
  }

  private async fetch(): Promise<{ value: string; lifetimeMs: number }> {
    const { authority, tenantId, clientId, clientSecret } = this.app;
    const res = await fetch(`${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: this.scope }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const answer = (await res.json().catch(() => null)) as TokenAnswer | null;
    const lifetimeMs = Number(answer?.expires_in) * 1000;
    if (res.ok && answer?.access_token && lifetimeMs > 0) return { value: answer.access_token, lifetimeMs };
    if (res.ok) throw new Error("Microsoft Entra answered without an access_token and its expires_in");
    // As an SDK error, so the call core sorts it like any API answer: a 429 waits, a 5xx is re-sent, a 400/401 is refused.
    const description = answer?.error_description ?? `HTTP ${res.status}`;
    // Entra never echoes the secret; this makes sure no message ferry keeps ever could.
    const message = clientSecret ? description.split(clientSecret).join("[secret]") : description;
    throw APIError.generate(res.status, { error: { message, code: answer?.error ?? null } }, undefined, res.headers);
  }
}

const tokens = new Map<string, EntraTokens>();

/** The isolate's tokens for these credentials and this scope (each env object reads its own config; they share these). */
export function entraTokens(app: EntraApp, scope: string, timeoutMs: number): EntraTokens {
  const key = JSON.stringify([app.authority, app.tenantId, app.clientId, app.clientSecret, scope]);
  let found = tokens.get(key);
  if (!found) {
    found = new EntraTokens(app, scope, timeoutMs);
    tokens.set(key, found);
  }
  return found;
}
