// Retries back off by failures, not by turns: a long thread handed over many times meets its first
// transient error with the first backoff step (1–2 s), not one grown by its hand-overs.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { fake } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

it("the first failure after many hand-overs waits the first backoff step, and progress resets the count", async () => {
  await fake.reset();
  const threadId = await fake.createThread({ id: uniqueThreadId("turns"), generate: 600 });
  // The 5th page (one page an invocation) fails on all three reads of one call: one failure of the run.
  await fake.addFaults({ method: "GET", path: `^/v1/threads/${threadId}/messages$`, status: 503, skip: 4, times: 3 });
  const invocations = await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: "15" });

  expect(invocations.filter((i) => i.messages.some((m) => m.type === "continue_thread")).length).toBeGreaterThanOrEqual(5);
  const delays = invocations.flatMap((i) => i.retryDelays);
  expect(delays).toHaveLength(1);
  expect(delays[0]).toBeGreaterThanOrEqual(1);
  expect(delays[0]).toBeLessThanOrEqual(2);
  expect((await lookup(threadId))?.status).toBe("migrated");
  const row = await env.DB.prepare("select attempts from threads where thread_id = ?").bind(threadId).first<{ attempts: number }>();
  expect(row?.attempts).toBe(0);
}, 60_000);
