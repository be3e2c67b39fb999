// Lookups never call OpenAI and answer forever (contract §2, §4.4).
import { env } from "cloudflare:test";
import { beforeAll, beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { api, migrate, uniqueThreadId } from "../support/ferry";
import type { ThreadMigration } from "../../src/handlers/http/schemas";

let migrated: string;
beforeAll(async () => {
  await fake.reset();
  migrated = await fake.createThread({
    id: uniqueThreadId("look"),
    tool_resources: { file_search: { vector_store_ids: ["vs_thread"] }, code_interpreter: { file_ids: ["file-ci"] } },
    messages: [
      { role: "user", content: "data attached", attachments: [{ file_id: "file-csv", tools: [{ type: "code_interpreter" }] }, { file_id: "file-doc", tools: [{ type: "file_search" }] }] },
      { role: "assistant", content: "done" },
    ],
  });
  await migrate(migrated);
});
beforeEach(() => fake.clearCalls());

it("GET answers the thread's migration without calling OpenAI", async () => {
  const res = await api(`/v1/threads/${migrated}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as ThreadMigration;
  expect(body).toMatchObject({
    object: "thread_migration",
    thread_id: migrated,
    conversation_id: expect.stringMatching(/^conv_/),
    status: "migrated",
    messages_migrated: 2,
    warnings: [],
    error: null,
  });
  expect(body.tool_resources).toEqual({
    file_search: { vector_store_ids: ["vs_thread"] },
    code_interpreter: { file_ids: ["file-ci", "file-csv"] },
  });
  for (const at of [body.created_at, body.updated_at, body.migrated_at]) expect(new Date(at!).toISOString()).toBe(at);
  expect((await fake.calls()).total).toBe(0);
});

it("batch lookup answers in request order, unknown ids as status unknown", async () => {
  const res = await api("/v1/threads/lookup", { method: "POST", json: { thread_ids: ["thread_never", migrated, "thread_never"] } });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: ThreadMigration[] };
  expect(data.map((t) => [t.thread_id, t.status])).toEqual([
    ["thread_never", "unknown"],
    [migrated, "migrated"],
    ["thread_never", "unknown"],
  ]);
  expect(data[0]).toMatchObject({ conversation_id: null, messages_migrated: 0, tool_resources: null, created_at: null });
  expect((await fake.calls()).total).toBe(0);
});

it("lookups keep answering after the Assistants API is gone, for threads it could and could not migrate", async () => {
  await fake.configure({ assistantsGone: 404 });
  try {
    const stranded = uniqueThreadId("stranded");
    expect((await migrate(stranded)).body.status).toBe("source_unavailable");
    await fake.clearCalls();
    const one = (await (await api(`/v1/threads/${stranded}`)).json()) as ThreadMigration;
    expect(one).toMatchObject({ status: "source_unavailable", conversation_id: null, error: { code: "source_unavailable" } });
    const res = await api("/v1/threads/lookup", { method: "POST", json: { thread_ids: [migrated, stranded] } });
    const { data } = (await res.json()) as { data: ThreadMigration[] };
    expect(data.map((t) => t.status)).toEqual(["migrated", "source_unavailable"]);
    expect((await fake.calls()).total).toBe(0);
  } finally {
    await fake.configure({ assistantsGone: null });
  }
});

it("healthz answers without a token", async () => {
  const res = await api("/healthz", { token: null });
  expect(res.status).toBe(200);
});

it("the OpenAPI document describes every route from the validating schemas", async () => {
  const res = await api("/openapi.json", { token: null });
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } };
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/threads/{thread_id}", "/v1/threads/{thread_id}/migrate", "/v1/threads/lookup"]));
  // Operating the migration (contract §2, §7): each route with its query parameters.
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/threads", "/v1/threads/export", "/v1/report", "/v1/backfill/pause", "/v1/backfill/resume", "/v1/status"]));
  const params = (path: string) => ((doc.paths[path]!.get as { parameters: { name: string }[] }).parameters ?? []).map((p) => p.name);
  expect(params("/v1/threads")).toEqual(["status", "warning", "after", "limit"]);
  expect(params("/v1/threads/export")).toEqual(["format", "status", "after"]);
  expect(doc.components.schemas).toHaveProperty("MigrationReport");
  expect(doc.components.schemas).toHaveProperty("ThreadMigration");
  expect(JSON.stringify(doc.paths["/v1/threads/{thread_id}"])).toContain("^thread_[A-Za-z0-9_-]{1,64}$");
});

it("a settled migration is answered without D1 once looked up (nothing ever changes it again)", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("settled"), generate: 2 });
  expect((await migrate(threadId)).body.status).toBe("migrated");
  const first = (await (await api(`/v1/threads/${threadId}`)).json()) as ThreadMigration;
  await env.DB.prepare("delete from threads where thread_id = ?").bind(threadId).run();
  const again = (await (await api(`/v1/threads/${threadId}`)).json()) as ThreadMigration;
  expect(again).toEqual(first);
});

it("a migration still in flight is always read fresh", async () => {
  const threadId = uniqueThreadId("fresh");
  await api("/v1/threads/import", { method: "POST", json: { thread_ids: [threadId] } });
  expect(((await (await api(`/v1/threads/${threadId}`)).json()) as ThreadMigration).status).toBe("pending");
  await env.DB.prepare("update threads set status = 'failed' where thread_id = ?").bind(threadId).run();
  expect(((await (await api(`/v1/threads/${threadId}`)).json()) as ThreadMigration).status).toBe("failed");
});
