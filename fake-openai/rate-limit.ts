// The request rate limit of an organization, per credential: a sliding window, so "at most N calls
// in any minute" is exactly what it enforces and what tests can prove against. Every answer to a
// limited key carries the real API's headers (limit, remaining, the time until the window is back to
// its initial state in the API's duration format, "1s" / "6m0s" / "20ms"); a call over the limit is a
// 429 with Retry-After (whole seconds until one call leaves the window) and the real error body.
// Refused calls do not count: they consumed nothing.

import { ApiError, invalid } from "./errors";
import type { Gate } from "./routes";

export interface RateLimitConfig {
  /** Calls a key may make within `windowMs`. */
  requests: number;
  /** The window; a minute unless a self-test wants to see it slide quickly. */
  windowMs: number;
  /** The keys it limits; every key when absent (a test limits one side's key and not the other's). */
  keys?: string[];
}

export function checkRateLimit(value: unknown): RateLimitConfig | null {
  if (value === null) return null;
  const v = value as Partial<RateLimitConfig> | undefined;
  if (typeof v?.requests !== "number" || !Number.isInteger(v.requests) || v.requests < 1)
    throw invalid("rateLimit.requests", "Invalid 'rateLimit.requests': expected a whole number >= 1.");
  const windowMs = v.windowMs ?? 60_000;
  if (typeof windowMs !== "number" || !(windowMs > 0)) throw invalid("rateLimit.windowMs", "Invalid 'rateLimit.windowMs': expected a number > 0.");
  if (v.keys !== undefined && !(Array.isArray(v.keys) && v.keys.every((k) => typeof k === "string")))
    throw invalid("rateLimit.keys", "Invalid 'rateLimit.keys': expected an array of keys.");
  return { requests: v.requests, windowMs, ...(v.keys ? { keys: v.keys } : {}) };
}

/** Arrival times of the calls each key made within the window, oldest first. */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  /** Counts the call if the key has room; what the headers and a refusal need either way. */
  admit(key: string, limit: RateLimitConfig, now: number): { admitted: boolean; remaining: number; resetMs: number; retryAfterMs: number } {
    const times = (this.calls.get(key) ?? []).filter((t) => t > now - limit.windowMs);
    const admitted = times.length < limit.requests;
    if (admitted) times.push(now);
    this.calls.set(key, times);
    return {
      admitted,
      remaining: limit.requests - times.length,
      resetMs: times.length ? times.at(-1)! + limit.windowMs - now : 0,
      retryAfterMs: admitted ? 0 : times[0]! + limit.windowMs - now,
    };
  }
}

/** Milliseconds as the API writes durations: "20ms" below a second, else "1s", "1m30s", "6m0s", "1.5s". */
export function apiDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 100) / 10;
  return minutes ? `${minutes}m${seconds}s` : `${seconds}s`;
}

export const rateLimitGate: Gate = ({ headers, state, responseHeaders }) => {
  const limit = state.config.rateLimit;
  const key = /^Bearer\s+(\S+)/i.exec(headers.authorization ?? "")?.[1] ?? headers["api-key"]?.toString() ?? "";
  if (!limit || (limit.keys && !limit.keys.includes(key))) return;
  const { admitted, remaining, resetMs, retryAfterMs } = state.rateLimiter.admit(key, limit, Date.now());
  Object.assign(responseHeaders, {
    "x-ratelimit-limit-requests": String(limit.requests),
    "x-ratelimit-remaining-requests": String(remaining),
    "x-ratelimit-reset-requests": apiDuration(resetMs),
  });
  if (admitted) return;
  const wait = Math.max(1, Math.ceil(retryAfterMs / 1000));
  throw new ApiError(
    429,
    `Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit ${limit.requests}, Used ${limit.requests}, Requested 1. Please try again in ${wait}s.`,
    "requests",
    null,
    "rate_limit_exceeded",
    { "retry-after": String(wait) },
  );
};
