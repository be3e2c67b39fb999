import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";

it("answers healthz", async () => {
  const res = await exports.default.fetch("http://ferry/healthz");
  expect(res.status).toBe(200);
});
