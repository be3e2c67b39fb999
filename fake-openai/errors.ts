// Errors in the exact shape the OpenAI API answers with, so ferry's error
// handling is exercised against realistic bodies, not a fake-specific format.

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = "invalid_request_error",
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** OpenAI's error body; another host's errors (Azure, Entra) override it with theirs. */
  toBody(): object {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400 invalid_request_error naming the offending field, as the real validator does. */
export const invalid = (param: string | null, message: string, code: string | null = "invalid_value") =>
  new ApiError(400, message, "invalid_request_error", param, code);

export const notFound = (message: string, param: string | null = null) =>
  new ApiError(404, message, "invalid_request_error", param, null);

/** Human name of a JSON value's type, worded like the real API ("an integer", "an object"). */
export function jsonTypeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

/** The body the real API sends for injected/random server-side failures. */
export function serverFault(status: number, retryAfter?: number | null): ApiError {
  const headers: Record<string, string> = retryAfter != null ? { "retry-after": String(retryAfter) } : {};
  if (status === 429) {
    const wait = retryAfter ?? 1;
    return new ApiError(
      429,
      `Rate limit reached for requests in organization org-fake on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${wait}s.`,
      "requests",
      null,
      "rate_limit_exceeded",
      headers,
    );
  }
  const messages: Record<number, string> = {
    500: "The server had an error while processing your request. Sorry about that!",
    502: "Bad gateway.",
    503: "The server is overloaded or not ready yet.",
    504: "Gateway timeout.",
  };
  const type = status >= 500 ? "server_error" : "invalid_request_error";
  return new ApiError(status, messages[status] ?? `Injected fault (HTTP ${status}).`, type, null, null, headers);
}
