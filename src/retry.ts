/**
 * The one retry policy. Every wait before trying again — a read re-sent in place, a thread or queue
 * message tried again later — is decided here from one attempt count (the object's own: a thread's
 * failures, a queue message's deliveries) or from what a 429 said.
 */
export interface Backoff {
  /** Wait before the first retry; doubles with every further attempt. */
  baseMs: number;
  capMs: number;
}

/** A failed read re-sent within the same call. */
export const RESEND: Backoff = { baseMs: 250, capMs: 4_000 };
/** Work handed back to the queue to be tried again later. */
export const REDELIVER: Backoff = { baseMs: 2_000, capMs: 600_000 };

/** Exponential backoff with "equal jitter": the attempt-th retry waits between half and all of base·2^(attempt−1). */
export function backoffMs(attempt: number, policy: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The same, in whole seconds (queue delays are seconds), never 0. */
export function redeliverySeconds(attempt: number, random: () => number = Math.random): number {
  return Math.max(1, Math.ceil(backoffMs(attempt, REDELIVER, random) / 1000));
}

/**
 * Retry-After (seconds or an HTTP date) or retry-after-ms as the API sends them, or
 * `x-ratelimit-reset-requests` ("1s", "6m0s", "20ms"); 1 s when none is given.
 */
export function retryAfterSeconds(headers: Headers | undefined, now = Date.now()): number {
  const ms = Number(headers?.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const raw = headers?.get("retry-after");
  if (raw) {
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = durationMs(headers?.get("x-ratelimit-reset-requests"));
  if (reset !== null) return Math.max(1, Math.ceil(reset / 1000));
  return 1;
}

/** OpenAI's rate-limit reset durations: "1s", "6m0s", "1h2m3.5s", "20ms". */
function durationMs(raw: string | null | undefined): number | null {
  if (!raw) return null;
  const parts = [...raw.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== raw.trim()) return null;
  const unit = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
  return parts.reduce((total, p) => total + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}
