// The call core's one classification of SDK errors, and the one retry policy (src/client/errors.ts, src/retry.ts).
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { describe, expect, it } from "vitest";
import { classify } from "../../src/client/errors";
import { backoffMs, REDELIVER, redeliverySeconds, RESEND, retryAfterSeconds } from "../../src/retry";

const apiError = (status: number, headers: Record<string, string> = {}, body: object = {}) =>
  APIError.generate(status, { error: { message: `status ${status}`, ...body } }, undefined, new Headers(headers));

describe("classify", () => {
  it.each([
    ["429", apiError(429, { "retry-after": "7" }), { kind: "rate_limited", status: 429, retryAfter: 7 }],
    ["500", apiError(500), { kind: "transient", status: 500 }],
    ["503", apiError(503), { kind: "transient", status: 503 }],
    ["408", apiError(408), { kind: "transient", status: 408 }],
    ["409", apiError(409), { kind: "transient", status: 409 }],
    ["400 with code and param", apiError(400, {}, { code: "invalid_value", param: "items[3]" }), { kind: "rejected", status: 400, code: "invalid_value", param: "items[3]" }],
    ["404", apiError(404), { kind: "rejected", status: 404, code: null, param: null }],
    // The SDK's message is "<status> <the API's message>": the API's message is kept once, without the status.
    ["its message, once", apiError(400, {}, { message: "Unsupported api version" }), { kind: "rejected", status: 400, message: "Unsupported api version" }],
    ["400 the server says to retry", apiError(400, { "x-should-retry": "true" }), { kind: "transient", status: 400 }],
    ["500 the server says not to retry", apiError(500, { "x-should-retry": "false" }), { kind: "rejected", status: 500 }],
    ["a connection reset", new APIConnectionError({ message: "reset" }), { kind: "transient" }],
    ["a timeout", new APIConnectionTimeoutError(), { kind: "transient" }],
    ["an abort", new APIUserAbortError(), { kind: "transient" }],
    ["anything else", new TypeError("boom"), { kind: "transient", message: "boom" }],
  ] as const)("%s", (_, err, expected) => {
    expect(classify(err)).toMatchObject(expected);
  });
});

describe("retryAfterSeconds", () => {
  const now = Date.UTC(2026, 11, 2, 12, 0, 0);
  it.each([
    ["seconds", { "retry-after": "12" }, 12],
    ["fractional seconds round up", { "retry-after": "0.2" }, 1],
    ["an HTTP date", { "retry-after": new Date(now + 30_000).toUTCString() }, 30],
    ["an HTTP date in the past", { "retry-after": new Date(now - 30_000).toUTCString() }, 0],
    ["retry-after-ms wins", { "retry-after-ms": "2500", "retry-after": "60" }, 3],
    ["x-ratelimit-reset-requests", { "x-ratelimit-reset-requests": "6m0s" }, 360],
    ["x-ratelimit-reset-requests in ms", { "x-ratelimit-reset-requests": "20ms" }, 1],
    ["an unreadable reset", { "x-ratelimit-reset-requests": "soon" }, 1],
    ["nothing", {}, 1],
  ])("%s", (_, headers, seconds) => {
    expect(retryAfterSeconds(new Headers(headers), now)).toBe(seconds);
  });
});

describe("backoff", () => {
  it("doubles per attempt between half and all of its ceiling, up to the cap", () => {
    for (const [attempt, ceiling] of [[1, 250], [2, 500], [3, 1000], [10, 4000]] as const) {
      expect(backoffMs(attempt, RESEND, () => 0)).toBe(ceiling / 2);
      expect(backoffMs(attempt, RESEND, () => 1)).toBe(ceiling);
    }
    expect(backoffMs(50, REDELIVER, () => 1)).toBe(600_000);
  });
  it("redelivery waits whole seconds, never 0", () => {
    expect(redeliverySeconds(1, () => 0)).toBe(1);
    expect(redeliverySeconds(3, () => 1)).toBe(8);
  });
});
