// Contract §6.1: a source that refuses to list its threads (OpenAI answers a secret key 401
// missing_scope) is recorded once, GET /v1/status shows it, and no later run asks again; the
// import stays the way in. A listing the queue gave up on leaves its run with the error.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { discoverThreads } from "../../src/backfill/thread-discovery";
import { Budget } from "../../src/client/budget";
import { createDb } from "../../src/db/client";
import { createRun, latestRun } from "../../src/db/runs";
import { consumeDeadLetters } from "../../src/handlers/dead-letters";
import { discoveryDeps } from "../../src/handlers/wiring";
import type { MigrationsQueue, QueueMessage } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { api } from "../support/ferry";

beforeEach(() => fake.reset());

const noQueue = { send: async () => {}, sendBatch: async () => {} } as unknown as MigrationsQueue;

it("OpenAI's refusal to list threads is recorded once and not asked again", async () => {
  const db = createDb(env.DB);
  for (let night = 0; night < 3; night++) {
    const run = await createRun(db, "cron", Date.now());
    await discoverThreads(discoveryDeps(env, new Budget(900)), noQueue, { type: "discover_threads", run_id: run.id });
  }
  expect((await fake.calls()).byRoute["GET /v1/threads"]).toBe(1);

  const status = (await (await api("/v1/status")).json()) as { source: { thread_discovery: unknown } };
  expect(status.source.thread_discovery).toMatchObject({
    status: "refused",
    error: { code: "list_threads_refused", message: expect.stringContaining("must be made with a session key") },
  });
  // Importing ids keeps working.
  const imported = await api("/v1/threads/import", { method: "POST", json: { thread_ids: ["thread_imported_after_refusal"] } });
  expect(await imported.json()).toEqual({ registered: 1, already_known: 0 });
});

it("a thread listing the queue gave up on leaves its run with the error", async () => {
  const run = await createRun(createDb(env.DB), "manual", Date.now());
  const message: QueueMessage = { type: "discover_threads", run_id: run.id, after: null };
  const batch = createMessageBatch("ferry-migrations-dlq", [{ id: "d1", timestamp: new Date(), attempts: 1, body: message }]);
  await consumeDeadLetters(batch, env);
  expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toEqual(["d1"]);
  expect((await latestRun(createDb(env.DB)))?.error).toMatchObject({ code: "dead_lettered" });
});
