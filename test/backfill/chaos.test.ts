// 1,000 imported threads migrate through POST /v1/backfill and the real local queue while the fake
// fails 10% of calls with 500 and 5% with 429: every message lands once, none is lost.
import { expect, it, vi } from "vitest";
import { FAULT_MIX, NO_RANDOM_FAULTS } from "../../fake-openai/faults";
import { fake } from "../support/fake";
import { api } from "../support/ferry";

const THREADS = 1000;
const MESSAGES = 3;

it("1,000 threads under 10% 500s and 5% 429s: zero duplicates, zero losses", async () => {
  await fake.reset();
  const ids = Array.from({ length: THREADS }, (_, i) => `thread_chaos${String(i).padStart(4, "0")}`);
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(ids.slice(i, i + 50).map((id) => fake.createThread({ id, generate: MESSAGES })));
  }
  const imported = await api("/v1/threads/import", { method: "POST", json: { thread_ids: ids } });
  expect(await imported.json()).toEqual({ registered: THREADS, already_known: 0 });

  // No commit-then-fail: an applied-then-failed create leaves an orphan conversation, which the
  // check below would count as a duplicate (the bench measures that part).
  await fake.configure({ random: { ...FAULT_MIX, rateCommitThenFail: 0 } });
  const started = await api("/v1/backfill", { method: "POST" });
  expect(started.status).toBe(202);

  const status = await vi.waitUntil(
    async () => {
      const s = (await (await api("/v1/status")).json()) as { threads: Record<string, number>; last_backfill: { enqueued: number; drained_at: string | null } };
      return s.threads.migrated === THREADS && s.last_backfill.drained_at ? s : false;
    },
    { timeout: 240_000, interval: 1_000 },
  );
  expect(status.last_backfill.enqueued).toBe(THREADS);
  await fake.configure({ random: NO_RANDOM_FAULTS });

  const { calls } = await fake.calls();
  expect(calls.filter((c) => c.status === 500).length).toBeGreaterThan(100); // the chaos was real
  expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(50);

  const byThread = new Map<string, string[][]>();
  for (const c of await fake.conversations()) {
    const threadId = c.metadata.assistants_thread_id!;
    const texts = c.items.map((i) => (i.content as { text: string }[])[0]!.text);
    byThread.set(threadId, [...(byThread.get(threadId) ?? []), texts]);
  }
  const expected = Array.from({ length: MESSAGES }, (_, i) => `message ${i + 1}`);
  const wrong = ids.filter((id) => {
    const convs = byThread.get(id) ?? [];
    // A plain 500 never applies a write, so an extra conversation would be a real duplicate.
    return convs.length !== 1 || JSON.stringify(convs[0]) !== JSON.stringify(expected);
  });
  expect(wrong).toEqual([]);

  const res = await api("/v1/threads/lookup", { method: "POST", json: { thread_ids: ids.slice(0, 100) } });
  const { data } = (await res.json()) as { data: { status: string; messages_migrated: number }[] };
  expect(data.every((t) => t.status === "migrated" && t.messages_migrated === MESSAGES)).toBe(true);
}, 300_000);
