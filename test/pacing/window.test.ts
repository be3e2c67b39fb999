// Contract §4.8 / §7.1: with a side's MAX_RPM set, ferry never sends more than that many calls to it
// in any minute, all invocations together. Checked twice: the ledger on a clock the test owns, over
// many simulated minutes with permits spent anywhere in their span; and the Worker's queue consumer
// against the fake's own sliding window, which answers 429 the moment a key goes over.
import { expect, it } from "vitest";
import { fake } from "../support/fake";
import { busiestWindow, isTargetCall, saturatedBackfill, simulate } from "../support/pacing";

it.each([
  ["saturating backfill", 600, [{ lane: "backfill" as const, demandPerMinute: Infinity, count: 40 }]],
  ["backfill and lazy work", 300, [{ lane: "backfill" as const, demandPerMinute: Infinity, count: 20 }, { lane: "lazy" as const, demandPerMinute: 40, count: 10 }]],
  ["a small rate", 7, [{ lane: "backfill" as const, demandPerMinute: Infinity, count: 5 }, { lane: "lazy" as const, demandPerMinute: 3, count: 2 }]],
])("%s: no minute holds more than the rate, and the rate is used (simulated clock)", (_, rpm, groups) => {
  for (const seed of [1, 2, 3]) {
    const workers = groups.flatMap((g) => Array.from({ length: g.count }, () => ({ lane: g.lane, demandPerMinute: g.demandPerMinute })));
    const { sends } = simulate({ rpm, durationMs: 10 * 60_000, workers, seed });
    expect(busiestWindow(sends.map((s) => s.at))).toBeLessThanOrEqual(rpm);
    // And the bound does not come from idling: over the last five minutes at least 80 % of the rate is
    // used, though these callers are slow (up to 1.5 s a call) and waste permits by letting them expire
    // (the lanes' own tests and bench part 5 measure the rate with callers as fast as the Worker's).
    expect(sends.filter((s) => s.at >= 5 * 60_000).length / 5).toBeGreaterThanOrEqual(Math.floor(0.8 * rpm));
  }
});

it("the Worker's queue consumer stays within the fake's window: no 429, and the rest waits in the queue", async () => {
  await fake.reset();
  const R = 12;
  const { invocations } = await saturatedBackfill(R); // 20 target calls wanted, 12 allowed
  const calls = (await fake.calls()).calls;
  expect(calls.filter((c) => c.status === 429)).toEqual([]);
  const target = calls.filter((c) => isTargetCall(c.route));
  expect(target.length).toBeGreaterThan(0);
  expect(target.length).toBeLessThanOrEqual(R);
  // What found no permit went back to the queue, to come back once the window has room.
  const delayed = invocations.flatMap((i) => i.delayed);
  expect(delayed.length).toBeGreaterThan(0);
  for (const d of delayed) expect(d.delaySeconds).toBeGreaterThanOrEqual(1);
});
