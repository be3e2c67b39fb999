// At-least-once delivery (contract §4.1): the same message twice, at once or later, is one migration.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeEach, expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { QueueMessage } from "../../src/queue/messages";
import { fake, ROUTES } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

let seq = 0;
async function deliver(...bodies: unknown[]) {
  const batch = createMessageBatch<unknown>(
    "ferry-migrations",
    bodies.map((body) => ({ id: `m${seq++}`, timestamp: new Date(), attempts: 1, body })),
  );
  const retries = batch.messages.map((m) => vi.spyOn(m, "retry"));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { ...(await getQueueResult(batch, ctx)), retryOptions: retries.flatMap((spy) => spy.mock.calls.map(([options]) => options)) };
}

const migrateMessage = (thread_id: string): QueueMessage => ({ type: "migrate_thread", thread_id });

it("the same message delivered twice in one batch migrates once", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("dup"), generate: 50 });
  const result = await deliver(migrateMessage(threadId), migrateMessage(threadId));
  expect(result.explicitAcks).toHaveLength(2);
  expect(result.retryMessages).toEqual([]);
  expect(await lookup(threadId)).toMatchObject({ status: "migrated", messages_migrated: 50 });
  expect(await fake.conversations()).toHaveLength(1);
});

it("a redelivery after the migration finished is acked without calling OpenAI", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("late"), generate: 5 });
  await deliver(migrateMessage(threadId));
  await fake.clearCalls();
  const result = await deliver(migrateMessage(threadId));
  expect(result.explicitAcks).toHaveLength(1);
  expect((await fake.calls()).total).toBe(0);
  expect((await fake.conversations())[0]!.items).toHaveLength(5);
});

it("a malformed message is acked and dropped, never retried", async () => {
  const result = await deliver({ type: "migrate_thread", thread_id: "not-a-thread" }, { nonsense: true }, "text");
  expect(result.explicitAcks).toHaveLength(3);
  expect(result.retryMessages).toEqual([]);
  expect((await fake.calls()).total).toBe(0);
});

it("a rate-limited migration is retried with the Retry-After delay", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("slow"), generate: 5 });
  await fake.addFaults({ method: "POST", path: "^/v1/conversations$", status: 429, retryAfter: 30 });
  const result = await deliver(migrateMessage(threadId));
  expect(result.retryMessages).toHaveLength(1);
  expect(result.retryOptions).toEqual([{ delaySeconds: 30 }]);
  expect(await lookup(threadId)).toMatchObject({ status: "migrating", error: { code: "rate_limited" } });
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.create]).toBe(1); // no waiting 30 s in the Worker
});
