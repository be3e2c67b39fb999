// A message that keeps failing goes to the dead-letter queue, whose consumer marks the thread failed.
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { api, settled, uniqueThreadId } from "../support/ferry";
import { migrationsQueue } from "../../src/queue/messages";
import { env } from "cloudflare:test";

beforeEach(() => fake.reset());

it("fails max_retries times → dead letter → failed with its last error", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("dlq"), generate: 3 });
  await fake.addFaults({ method: "GET", path: `^/v1/threads/${threadId}/messages$`, status: 503, times: -1 });
  await migrationsQueue(env).send({ type: "migrate_thread", thread_id: threadId });

  const result = await settled(threadId, 45_000);
  expect(result.status).toBe("failed");
  expect(result.error).toMatchObject({ code: "openai_unavailable" });
  expect(result.error!.message).toContain("503");
  const { calls } = await fake.calls();
  // 1 delivery + 2 retries (the test consumer's max_retries), 3 reads each with backoff.
  expect(calls.filter((c) => c.route === "GET /v1/threads/{id}/messages")).toHaveLength(9);

  const status = (await (await api("/v1/status")).json()) as { dead_lettered: number; threads: { failed: number } };
  expect(status.dead_lettered).toBe(1);
  expect(status.threads.failed).toBeGreaterThanOrEqual(1);
}, 60_000);
