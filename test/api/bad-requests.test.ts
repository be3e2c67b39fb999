// Contract §2 and §4.5: bad input gets a clear 4xx in the OpenAI error shape and changes nothing.
import { beforeAll, beforeEach, it } from "vitest";
import { fake } from "../support/fake";
import { api, expectRefused, migrate, uniqueThreadId } from "../support/ferry";

let known: string;
beforeAll(async () => {
  await fake.reset();
  known = await fake.createThread({ id: uniqueThreadId("known"), generate: 2 });
  await migrate(known);
});
beforeEach(() => fake.clearCalls());

const tooLong = `thread_${"a".repeat(65)}`;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `thread_x${i}`);

interface Case {
  name: string;
  path: string;
  init?: Parameters<typeof api>[1];
  status: number;
  code: string;
  param?: string | null;
}

const cases: Case[] = [
  { name: "no token", path: "/v1/threads/thread_a", init: { token: null }, status: 401, code: "invalid_api_token" },
  { name: "wrong token", path: "/v1/threads/thread_a", init: { token: "nope" }, status: 401, code: "invalid_api_token" },
  { name: "token of another length", path: "/v1/threads/thread_a", init: { token: "test-token-longer" }, status: 401, code: "invalid_api_token" },
  { name: "not a thread id", path: "/v1/threads/asst_abc", status: 400, code: "invalid_id", param: "thread_id" },
  { name: "empty thread id suffix", path: "/v1/threads/thread_", status: 400, code: "invalid_id", param: "thread_id" },
  { name: "thread id over 64 chars", path: `/v1/threads/${tooLong}`, status: 400, code: "invalid_id", param: "thread_id" },
  { name: "thread id with a space", path: "/v1/threads/thread_a%20b", status: 400, code: "invalid_id", param: "thread_id" },
  { name: "thread id with a dot", path: "/v1/threads/thread_a.b/migrate", init: { method: "POST" }, status: 400, code: "invalid_id", param: "thread_id" },
  { name: "migrate a malformed id", path: "/v1/threads/THREAD_abc/migrate", init: { method: "POST" }, status: 400, code: "invalid_id", param: "thread_id" },
  { name: "never-seen thread", path: "/v1/threads/thread_never_seen", status: 404, code: "thread_not_found", param: "thread_id" },
  { name: "lookup without a body", path: "/v1/threads/lookup", init: { method: "POST" }, status: 400, code: "invalid_request", param: "thread_ids" },
  { name: "lookup with a form body", path: "/v1/threads/lookup", init: { method: "POST", body: "thread_ids=1", headers: { "content-type": "text/plain" } }, status: 415, code: "invalid_request" },
  { name: "lookup with malformed JSON", path: "/v1/threads/lookup", init: { method: "POST", body: "{", headers: { "content-type": "application/json" } }, status: 400, code: "invalid_request" },
  { name: "lookup with no thread_ids", path: "/v1/threads/lookup", init: { method: "POST", json: {} }, status: 400, code: "invalid_request", param: "thread_ids" },
  { name: "lookup with an empty list", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: [] } }, status: 400, code: "invalid_request", param: "thread_ids" },
  { name: "lookup with 101 ids", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: ids(101) } }, status: 400, code: "invalid_request", param: "thread_ids" },
  { name: "lookup with a bad id", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: ["thread_ok", "bad"] } }, status: 400, code: "invalid_id", param: "thread_ids[1]" },
  { name: "lookup with a non-string id", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: [42] } }, status: 400, code: "invalid_request", param: "thread_ids[0]" },
  { name: "lookup with an unknown field", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: ["thread_a"], extra: 1 } }, status: 400, code: "invalid_request", param: "extra" },
  { name: "body over 1 MB", path: "/v1/threads/lookup", init: { method: "POST", json: { thread_ids: ["thread_a"], pad: "x".repeat(1_100_000) } }, status: 413, code: "body_too_large" },
  { name: "never-seen assistant", path: "/v1/assistants/asst_never_seen", status: 404, code: "assistant_not_found", param: "assistant_id" },
  { name: "not an assistant id", path: "/v1/assistants/thread_abc", status: 400, code: "invalid_id", param: "assistant_id" },
  { name: "import with a bad id", path: "/v1/threads/import", init: { method: "POST", json: { thread_ids: ["thread_ok", "nope"] } }, status: 400, code: "invalid_id", param: "thread_ids[1]" },
  { name: "import with 1,001 ids", path: "/v1/threads/import", init: { method: "POST", json: { thread_ids: ids(1001) } }, status: 400, code: "invalid_request", param: "thread_ids" },
  { name: "list by an unknown status", path: "/v1/threads?status=done", status: 400, code: "invalid_request", param: "status" },
  { name: "list by the status 'unknown'", path: "/v1/threads?status=unknown", status: 400, code: "invalid_request", param: "status" },
  { name: "list of 0", path: "/v1/threads?limit=0", status: 400, code: "invalid_request", param: "limit" },
  { name: "list of 1,001", path: "/v1/threads?limit=1001", status: 400, code: "invalid_request", param: "limit" },
  { name: "list of a few", path: "/v1/threads?limit=few", status: 400, code: "invalid_request", param: "limit" },
  { name: "list after a malformed id", path: "/v1/threads?after=asst_x", status: 400, code: "invalid_id", param: "after" },
  { name: "list by a malformed warning code", path: "/v1/threads?warning=Not%20A%20Code", status: 400, code: "invalid_request", param: "warning" },
  { name: "list with an unknown parameter", path: "/v1/threads?order=desc", status: 400, code: "invalid_request", param: "order" },
  { name: "list without a token", path: "/v1/threads", init: { token: null }, status: 401, code: "invalid_api_token" },
  { name: "export as xml", path: "/v1/threads/export?format=xml", status: 400, code: "invalid_request", param: "format" },
  { name: "export by an unknown status", path: "/v1/threads/export?status=done", status: 400, code: "invalid_request", param: "status" },
  { name: "export after a malformed id", path: "/v1/threads/export?after=x", status: 400, code: "invalid_id", param: "after" },
  { name: "export without a token", path: "/v1/threads/export", init: { token: null }, status: 401, code: "invalid_api_token" },
  { name: "report with a wrong token", path: "/v1/report", init: { token: "nope" }, status: 401, code: "invalid_api_token" },
  { name: "pause without a token", path: "/v1/backfill/pause", init: { method: "POST", token: null }, status: 401, code: "invalid_api_token" },
  { name: "resume with a wrong token", path: "/v1/backfill/resume", init: { method: "POST", token: "nope" }, status: 401, code: "invalid_api_token" },
  { name: "pause by GET", path: "/v1/backfill/pause", status: 404, code: "unknown_route" },
  { name: "unknown route", path: "/v1/nothing", status: 404, code: "unknown_route" },
  { name: "wrong method", path: `/v1/threads/thread_a`, init: { method: "DELETE" }, status: 404, code: "unknown_route" },
];

it.each(cases.map((c) => [c.name, c] as const))("%s → 4xx, nothing changed", (_, c) => expectRefused(() => api(c.path, c.init), c));
