// Contract §7.1: an invocation that cannot get permits soon enough does not hold on: its message
// goes back to the queue with a delay (acked and sent again, so waiting spends none of its
// deliveries), and the thread keeps its progress with no error, as nothing failed.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { expect, it } from "vitest";
import { consumeMigrations } from "../../src/handlers/queue";
import type { QueueMessage } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { pacedKey } from "../support/pacing";

it("messages that find no permit are acked and sent again with the wait as their delay", async () => {
  await fake.reset();
  const keys = await pacedKey();
  const threads = [];
  for (let i = 0; i < 6; i++) threads.push(await fake.createThread({ id: uniqueThreadId("back"), generate: 30 }));
  await fake.clearCalls();
  const sent: { body: QueueMessage; delaySeconds?: number }[] = [];
  const queue = { send: async (body: QueueMessage, options?: QueueSendOptions) => void sent.push({ body, delaySeconds: options?.delaySeconds }), sendBatch: async () => {} };
  const batch = createMessageBatch<QueueMessage>(
    "ferry-migrations",
    threads.map((thread_id, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 3, body: { type: "migrate_thread", thread_id } })),
  );
  const ctx = createExecutionContext();
  // 8 target calls a minute, of which the backfill may take 6 (lazy work's share aside): fewer than the 12 writes wanted.
  await consumeMigrations(batch, { ...env, ...keys, OPENAI_MAX_RPM: "8", MIGRATIONS: queue as unknown as Queue } as Env);
  const result = await getQueueResult(batch, ctx);

  expect(result.retryMessages).toEqual([]); // no delivery spent on waiting
  expect(result.explicitAcks).toHaveLength(6);
  const handedBack = sent.flatMap((s) => (s.body.type === "migrate_thread" ? [{ threadId: s.body.thread_id, delaySeconds: s.delaySeconds }] : []));
  expect(handedBack.length).toBeGreaterThan(0);
  for (const { threadId, delaySeconds } of handedBack) {
    expect(delaySeconds).toBeGreaterThan(30); // until the window has room again, about a minute
    // Its progress is kept, and nothing is recorded as failed.
    expect(await lookup(threadId)).toMatchObject({ status: "migrating", error: null });
  }
  for (const t of threads.filter((t) => !handedBack.some((h) => h.threadId === t))) expect((await lookup(t))?.status).toBe("migrated");
  expect((await fake.calls()).calls.filter((c) => c.status === 429)).toEqual([]);
});
