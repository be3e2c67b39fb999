// The fake's rate limit is what pacing is proven against: exact per key, sliding, and answered with
// the real API's headers and 429.
import { beforeEach, expect, it, vi } from "vitest";
import { api, call, ctl } from "./http-client";
import { apiDuration } from "./rate-limit";

beforeEach(async () => {
  await ctl("POST", "/reset");
  await ctl("POST", "/config", { apiKeys: ["sk-test", "sk-other"] });
});

it("admits N calls a window per key with x-ratelimit-* headers, then 429s with Retry-After", async () => {
  await ctl("POST", "/config", { rateLimit: { requests: 3 } });
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await api("GET", "/files/file-none"));
  expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 429]);
  expect(answers.map((a) => a.headers.get("x-ratelimit-remaining-requests"))).toEqual(["2", "1", "0", "0"]);
  for (const a of answers) expect(a.headers.get("x-ratelimit-limit-requests")).toBe("3");
  expect(answers[0]!.headers.get("x-ratelimit-reset-requests")).toMatch(/^(59(\.\d)?s|1m0s)$/);
  const refused = answers[3]!;
  expect(refused.headers.get("retry-after")).toMatch(/^(59|60)$/);
  expect(refused.body.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded", param: null });
  expect(refused.body.error.message).toMatch(/^Rate limit reached for requests .* Limit 3, Used 3, Requested 1\. Please try again in \d+s\.$/);
  // Another key has its own window; refused calls took nothing from this one.
  expect((await api("GET", "/files/file-none", undefined, { Authorization: "Bearer sk-other" })).status).toBe(404);
  const log = await ctl("GET", "/calls");
  expect(log.calls.map((c: { status: number }) => c.status)).toEqual([404, 404, 404, 429, 404]);
});

it("limits only the keys it names", async () => {
  await ctl("POST", "/config", { rateLimit: { requests: 1, keys: ["sk-other"] } });
  const other = { Authorization: "Bearer sk-other" };
  expect((await api("GET", "/files/file-none", undefined, other)).status).toBe(404);
  expect((await api("GET", "/files/file-none", undefined, other)).status).toBe(429);
  expect((await api("GET", "/files/file-none")).status).toBe(404);
  expect((await api("GET", "/files/file-none")).headers.get("x-ratelimit-limit-requests")).toBeNull();
});

it("slides: a call is admitted again once the oldest one left the window", async () => {
  await ctl("POST", "/config", { rateLimit: { requests: 2, windowMs: 400 } });
  await api("GET", "/files/file-none");
  await api("GET", "/files/file-none");
  expect((await api("GET", "/files/file-none")).status).toBe(429);
  await vi.waitUntil(async () => (await api("GET", "/files/file-none")).status === 404, { timeout: 2000, interval: 50 });
});

it("no limit configured: no rate-limit headers; a bad limit is refused", async () => {
  expect((await api("GET", "/files/file-none")).headers.get("x-ratelimit-limit-requests")).toBeNull();
  const bad = await call("POST", "/__control/config", { rateLimit: { requests: 0 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.param).toBe("rateLimit.requests");
});

it("writes durations the way the API does", () => {
  expect([20, 999, 1000, 1500, 60_000, 90_000, 360_000].map(apiDuration)).toEqual(["20ms", "999ms", "1s", "1.5s", "1m0s", "1m30s", "6m0s"]);
});
