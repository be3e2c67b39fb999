import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CallFailure, describeFailure, RateLimited, SourceGone } from "../../client/errors";
import { ConfigInvalid } from "../../config";

export const ERROR_TYPES = ["invalid_request_error", "authentication_error", "not_found_error", "server_error"] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** An error answered in the OpenAI API's shape: {"error":{"type","code","message","param"}}. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: ErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export const errorBody = (e: Pick<ApiError, "type" | "code" | "message" | "param">) => ({
  error: { type: e.type, code: e.code, message: e.message, param: e.param },
});

/** The one error handler: every failure leaves in the same shape, and internals stay out of answers. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err), err.status);
  if (err instanceof ConfigInvalid) return c.json(errorBody(configInvalid(err)), 503);
  if (err instanceof CallFailure) return callFailed(err, c);
  if (err instanceof HTTPException) {
    const body = errorBody({ type: "invalid_request_error", code: "invalid_request", message: err.message || "bad request", param: null });
    return c.json(body, err.status);
  }
  console.error("unhandled error", err);
  return c.json(errorBody({ type: "server_error", code: "internal_error", message: "ferry failed to handle the request", param: null }), 500);
}

export const notFound = (c: Context) =>
  c.json(errorBody({ type: "invalid_request_error", code: "unknown_route", message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`, param: null }), 404);

/** A refused setting: 503 naming the variable(s), so an operator sees at once what to fix (contract §1). */
export const configInvalid = (err: ConfigInvalid) =>
  new ApiError(503, "server_error", "config_invalid", `${err.message}; fix the variable and redeploy: no migration runs until then`, err.variables);

/** A route that calls the source or the target synchronously (a dry run) and failed: what it means for the caller. */
function callFailed(err: CallFailure, c: Context): Response {
  if (err instanceof RateLimited) {
    c.header("Retry-After", String(err.retryAfter));
    return c.json(errorBody({ type: "server_error", code: "rate_limited", message: describeFailure(err), param: null }), 429);
  }
  if (err instanceof SourceGone) return c.json(errorBody({ type: "not_found_error", code: "source_unavailable", message: describeFailure(err), param: null }), 404);
  return c.json(errorBody({ type: "server_error", code: "openai_unavailable", message: describeFailure(err), param: null }), 502);
}
