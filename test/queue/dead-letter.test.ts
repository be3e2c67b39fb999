// Contract §4.7: every queue message kind that dead-letters leaves its object failed with its last
// error, for a later backfill to retry; nothing stays pending forever. The test consumer gives up
// after 3 deliveries (vitest.config.ts).
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeEach, expect, it, vi } from "vitest";
import { createDb } from "../../src/db/client";
import { findBackfillCandidates } from "../../src/db/threads";
import { consumeDeadLetters } from "../../src/handlers/dead-letters";
import type { AssistantMigration } from "../../src/handlers/http/schemas";
import { migrationsQueue, type QueueMessage } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { api, lookup, migrate, settled, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

let n = 0;
const unique = (label: string) => `${label}_${Date.now().toString(36)}${n++}`;
const forever = (method: string, path: string) => fake.addFaults({ method, path, status: 503, times: -1 });
const eventually = <T>(check: () => Promise<T | false>) => vi.waitUntil(check, { timeout: 45_000, interval: 200 });

async function insertRun(id: string) {
  await env.DB.prepare("insert into backfill_runs (id, trigger, started_at) values (?, 'manual', ?)").bind(id, Date.now()).run();
}
const runError = async (id: string) =>
  (await env.DB.prepare("select error from backfill_runs where id = ?").bind(id).first<{ error: string | null }>())?.error ?? null;

it("a thread migration: failed with its last error", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("dlq"), generate: 3 });
  await forever("GET", `^/v1/threads/${threadId}/messages$`);
  await migrationsQueue(env).send({ type: "migrate_thread", thread_id: threadId });

  const result = await settled(threadId, 45_000);
  expect(result.status).toBe("failed");
  expect(result.error).toMatchObject({ code: "openai_unavailable" });
  expect(result.error!.message).toContain("503");
  const { calls } = await fake.calls();
  // 1 delivery + 2 retries (the test consumer's max_retries), 3 reads each with backoff.
  expect(calls.filter((c) => c.route === "GET /v1/threads/{id}/messages")).toHaveLength(9);

  const status = (await (await api("/v1/status")).json()) as { dead_lettered: number; threads: { failed: number } };
  expect(status.dead_lettered).toBeGreaterThanOrEqual(1);
  expect(status.threads.failed).toBeGreaterThanOrEqual(1);
}, 60_000);

it("an assistant sync, a thread's files check, a file batch and an assistant discovery: each object failed with its last error", async () => {
  // sync_assistant
  const assistantId = await fake.createAssistant({ id: unique("asst_dlq"), model: "gpt-4o", tools: [] });
  await forever("GET", `^/v1/assistants/${assistantId}$`);
  await migrationsQueue(env).send({ type: "sync_assistant", assistant_id: assistantId });

  // sync_thread_files, sent by the migration itself
  const [doc] = await fake.createFiles([`file-dlq-${Date.now()}`]);
  const threadId = await fake.createThread({
    id: uniqueThreadId("files"),
    messages: [{ role: "user", content: "see", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }] }],
  });
  await forever("GET", `^/v1/threads/${threadId}/messages/[^/]+/files$`);
  expect((await migrate(threadId)).body.status).toBe("migrated");

  // follow_file_batch, for an assistant whose batch cannot be read
  const owner = unique("asst_batch");
  await env.DB.prepare("insert into assistants (assistant_id, status) values (?, 'ingesting')").bind(owner).run();
  await env.DB.prepare("insert into store_files (owner_id, file_id, vector_store_id, status, batch_id) values (?, 'file-b1', 'vs_b', 'in_progress', 'vsfb_dlq')").bind(owner).run();
  await forever("GET", "^/v1/vector_stores/vs_b/file_batches/vsfb_dlq$");
  await migrationsQueue(env).send({ type: "follow_file_batch", owner_id: owner, vector_store_id: "vs_b", batch_id: "vsfb_dlq", delay_seconds: 2 });

  // discover_assistants of a run
  const runId = unique("run_dlq");
  await insertRun(runId);
  await forever("GET", "^/v1/assistants$");
  await migrationsQueue(env).send({ type: "discover_assistants", run_id: runId, after: null });

  const assistant = await eventually(async () => {
    const a = (await (await api(`/v1/assistants/${assistantId}`)).json()) as AssistantMigration;
    return a.status === "failed" ? a : false;
  });
  expect(assistant.error).toMatchObject({ code: "openai_unavailable", message: expect.stringContaining("503") });

  const thread = await eventually(async () => {
    const t = await lookup(threadId);
    return t?.files_status === "failed" ? t : false;
  });
  expect(thread).toMatchObject({ status: "migrated", error: { code: "openai_unavailable", message: expect.stringContaining("503") } });
  // …and a backfill a day later checks its files again.
  const due = await findBackfillCandidates(createDb(env.DB), null, Date.now() + 25 * 3_600_000, 1000);
  expect(due).toContainEqual({ id: threadId, status: "migrated" });

  const batchOwner = await eventually(async () => {
    const a = (await (await api(`/v1/assistants/${owner}`)).json()) as AssistantMigration;
    return a.status === "failed" ? a : false;
  });
  expect(batchOwner.error).toMatchObject({ message: expect.stringContaining("503") });
  expect(batchOwner.file_counts).toMatchObject({ in_progress: 0, failed: 1 });

  const discovery = await eventually(async () => (await runError(runId)) ?? false);
  expect(JSON.parse(discovery)).toMatchObject({ code: "openai_unavailable", message: expect.stringContaining("503") });
}, 90_000);

it("a backfill page the queue gave up on leaves its run with an error; the next run starts over", async () => {
  const runId = unique("run_page");
  await insertRun(runId);
  const message: QueueMessage = { type: "backfill_page", run_id: runId, after: null };
  const batch = createMessageBatch("ferry-migrations-dlq", [{ id: "d1", timestamp: new Date(), attempts: 1, body: message }]);
  await consumeDeadLetters(batch, env);
  expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["d1"]);
  expect(JSON.parse((await runError(runId))!)).toMatchObject({ code: "dead_lettered" });
});
