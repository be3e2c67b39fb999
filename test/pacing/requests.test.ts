// Contract §7.1: permits are taken a page of work at a time, so pacing costs at most one pacer
// request per page on each paced side (plus one at the end of an invocation that hands back what
// it did not spend) — and none at all on a side that is unpaced.
import { expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { countingPacers, pacedKey } from "../support/pacing";
import { drainQueue } from "../support/queue";

it("a 500-message thread (5 pages, 31 calls) costs each side at most one pacer request per page", async () => {
  await fake.reset();
  const keys = await pacedKey();
  const threadId = await fake.createThread({ id: uniqueThreadId("pages"), generate: 500 });
  await fake.clearCalls();
  const { PACER, counts } = countingPacers();
  // A rate this thread never comes near, so even the backfill's slow start grants whole pages at the fake's speed.
  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { ...keys, PACER, OPENAI_MAX_RPM: "100000", ASSISTANTS_MAX_RPM: "100000" });
  expect(await lookup(threadId)).toMatchObject({ status: "migrated", messages_migrated: 500 });

  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.messages]).toBe(5);
  expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(25);
  const pages = 5;
  expect(counts["source.take"]).toBeLessThanOrEqual(pages); // 6 calls: the thread and 5 lists
  expect(counts["target.take"]).toBeLessThanOrEqual(pages); // 25 writes
  expect((counts["source.giveBack"] ?? 0) + (counts["target.giveBack"] ?? 0)).toBeLessThanOrEqual(2); // once per side at the end
});

it("unpaced (no *_MAX_RPM): no pacer request at all, and the calls are today's", async () => {
  await fake.reset();
  const threadId = await fake.createThread({ id: uniqueThreadId("unpaced"), generate: 150 });
  await fake.clearCalls();
  const { PACER, counts } = countingPacers();
  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { PACER });
  expect(await lookup(threadId)).toMatchObject({ status: "migrated", messages_migrated: 150 });
  expect(counts).toEqual({});
  expect((await fake.calls()).total).toBe(1 + 2 + 8);
});
