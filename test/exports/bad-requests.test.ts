// Contract §4.5 for exports: every bad upload or registration is a 4xx in the OpenAI error shape
// and changes nothing: no R2 object, no D1 row, no queue message, no OpenAI call.
import { env } from "cloudflare:test";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { api, expectRefused } from "../support/ferry";
import { ndjson, transcriptLine } from "../support/exports";

const line = ndjson([transcriptLine("thread_bad_request", "user", "hi")]);
const upload = (body: string, headers: Record<string, string>, token?: string | null) => ({ method: "POST", body, headers, token, env: { EXPORT_UPLOAD_MAX_BYTES: "1000" } });
const sized = (body: string, type = "application/x-ndjson") => ({ "content-type": type, "content-length": String(new TextEncoder().encode(body).length) });
const register = (json: unknown) => ({ method: "POST", json, headers: { "content-length": String(JSON.stringify(json).length) } });

beforeAll(async () => {
  await fake.reset();
  await env.EXPORTS.put("uploads/untyped.bin", line);
  await env.EXPORTS.put("uploads/empty.ndjson", "");
});
beforeEach(() => fake.clearCalls());

interface Case {
  name: string;
  path?: string;
  init: Parameters<typeof api>[1];
  status: number;
  code: string;
  param?: string | null;
}

const cases: Case[] = [
  { name: "no token", init: upload(line, sized(line), null), status: 401, code: "invalid_api_token" },
  { name: "an empty body", init: upload("", sized("")), status: 400, code: "empty_export" },
  { name: "a text/plain body", init: upload(line, sized(line, "text/plain")), status: 415, code: "unsupported_content_type" },
  { name: "a CSV body", init: upload(line, sized(line, "text/csv")), status: 415, code: "unsupported_content_type" },
  { name: "no content type", init: upload(line, { "content-length": String(line.length) }), status: 415, code: "unsupported_content_type" },
  { name: "no Content-Length", init: upload(line, { "content-type": "application/x-ndjson" }), status: 411, code: "length_required" },
  { name: "over the upload limit", init: upload("x".repeat(1001), sized("x".repeat(1001))), status: 413, code: "export_too_large" },
  { name: "a JSON document over the limit", init: upload(`[${'"x",'.repeat(300)}"x"]`, sized(`[${'"x",'.repeat(300)}"x"]`, "application/json")), status: 413, code: "export_too_large" },
  { name: "an r2_key that does not exist", init: register({ r2_key: "uploads/none.ndjson" }), status: 404, code: "r2_object_not_found", param: "r2_key" },
  { name: "an r2_key with ..", init: register({ r2_key: "../x" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an r2_key with .. inside", init: register({ r2_key: "uploads/../../x.ndjson" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an absolute r2_key", init: register({ r2_key: "/etc/passwd" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an r2_key with an empty segment", init: register({ r2_key: "uploads//x.ndjson" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an r2_key with a backslash", init: register({ r2_key: "uploads\\x.ndjson" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an r2_key with a control character", init: register({ r2_key: "uploads/x\n.ndjson" }), status: 400, code: "invalid_r2_key", param: "r2_key" },
  { name: "an empty r2_key", init: register({ r2_key: "" }), status: 400, code: "invalid_request", param: "r2_key" },
  { name: "an r2_key that is not a string", init: register({ r2_key: 42 }), status: 400, code: "invalid_request", param: "r2_key" },
  { name: "an r2_key with another field", init: register({ r2_key: "uploads/untyped.bin", extra: 1 }), status: 400, code: "invalid_request", param: "extra" },
  { name: "an r2_key of unknown format", init: register({ r2_key: "uploads/untyped.bin" }), status: 400, code: "unknown_export_format", param: "r2_key" },
  { name: "an r2_key of an empty object", init: register({ r2_key: "uploads/empty.ndjson" }), status: 400, code: "empty_export", param: "r2_key" },
  { name: "a malformed export id", path: "/v1/exports/exp_a-b", init: {}, status: 400, code: "invalid_id", param: "export_id" },
  { name: "not an export id", path: "/v1/exports/thread_abc", init: {}, status: 400, code: "invalid_id", param: "export_id" },
  { name: "an unknown export", path: "/v1/exports/exp_unknown", init: {}, status: 404, code: "export_not_found", param: "export_id" },
];

it.each(cases.map((c) => [c.name, c] as const))("%s → 4xx, nothing changed", (_, c) => expectRefused(() => api(c.path ?? "/v1/exports", c.init), c));

it("bodies of other routes keep their 1 MB limit", async () => {
  const res = await api("/v1/threads/lookup", { method: "POST", json: { thread_ids: ["thread_a"], pad: "x".repeat(1_100_000) } });
  expect(res.status).toBe(413);
});
