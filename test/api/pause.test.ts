// Contract §7.2: pause stops the backfill's OpenAI traffic — its queue work goes back with a delay
// and spends no call — while lazy migrations, webhooks and lookups go on; status shows it; resume
// carries on where the backfill was.
import { expect, it } from "vitest";
import type { QueueMessage } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { api, enqueuedMessages, lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";
import { accessed, deliver } from "../support/webhook";

const status = async () => (await (await api("/v1/status")).json()) as { paused: boolean; paused_since: string | null };

it("paused: the backfill's messages go back untouched and call nothing; lazy work goes on; resume finishes the backfill", async () => {
  await fake.reset();
  const backfill: string[] = [];
  for (let i = 0; i < 4; i++) backfill.push(await fake.createThread({ id: uniqueThreadId("bf"), generate: 30 }));
  const requested = await fake.createThread({ id: uniqueThreadId("req"), generate: 5 });
  const touched = await fake.createThread({ id: uniqueThreadId("hook"), generate: 5 });
  expect((await api("/v1/threads/import", { method: "POST", json: { thread_ids: backfill } })).status).toBe(200);

  const before = Date.now();
  const paused = await api("/v1/backfill/pause", { method: "POST" });
  expect(paused.status).toBe(200);
  const state = (await paused.json()) as { object: string; paused: boolean; paused_since: string };
  expect(state).toMatchObject({ object: "backfill_state", paused: true });
  expect(Date.parse(state.paused_since)).toBeGreaterThanOrEqual(before - 1000);
  // Pausing again keeps the first pause's time.
  expect(await (await api("/v1/backfill/pause", { method: "POST" })).json()).toMatchObject({ paused_since: state.paused_since });
  expect(await status()).toMatchObject({ paused: true, paused_since: state.paused_since });

  // The backfill's work, as the queue brings it: a fan-out page, migrations, an assistant discovery.
  await fake.clearCalls();
  const work: QueueMessage[] = [
    ...backfill.map((thread_id): QueueMessage => ({ type: "migrate_thread", thread_id })),
    { type: "continue_thread", thread_id: backfill[0]! },
    { type: "discover_assistants", after: null },
  ];
  const whilePaused = await drainQueue(work, {}, { holdDelayed: true });
  expect((await fake.calls()).total).toBe(0);
  const putBack = whilePaused.flatMap((i) => i.delayed);
  expect(putBack.map((d) => d.body)).toEqual(work);
  for (const d of putBack) expect(d.delaySeconds).toBeGreaterThanOrEqual(30);
  for (const t of backfill) expect((await lookup(t))?.status).toBe("pending");

  // Lazy work goes on: a request migrates inline, a webhook's migration runs from the queue.
  expect(await (await api(`/v1/threads/${requested}/migrate`, { method: "POST" })).json()).toMatchObject({ status: "migrated" });
  expect((await deliver({ body: accessed(touched) })).status).toBe(202);
  const lazy = enqueuedMessages().filter((m): m is QueueMessage => (m as QueueMessage).type === "migrate_thread" && (m as { thread_id: string }).thread_id === touched);
  expect(lazy).toEqual([{ type: "migrate_thread", thread_id: touched, lazy: true }]);
  await drainQueue(lazy, {}, { holdDelayed: true });
  expect((await lookup(touched))?.status).toBe("migrated");
  expect((await lookup(requested))?.status).toBe("migrated");

  const resumed = await api("/v1/backfill/resume", { method: "POST" });
  expect(await resumed.json()).toEqual({ object: "backfill_state", paused: false, paused_since: null });
  expect(await status()).toMatchObject({ paused: false, paused_since: null });
  await drainQueue(putBack.map((d) => d.body));
  for (const t of backfill) expect(await lookup(t)).toMatchObject({ status: "migrated", messages_migrated: 30 });
});
