// Contract §4.8 / §7.1: lazy migrations (a user or an app is waiting) always keep 1 − BACKFILL_SHARE
// of a side's rate, and whatever share one lane leaves idle flows to the other.
import { expect, it } from "vitest";
import { fake } from "../support/fake";
import { api, uniqueThreadId } from "../support/ferry";
import { callsBetween, isTargetCall, saturatedBackfill, simulate } from "../support/pacing";

const RPM = 600;
const MINUTES = 8;
const backfill = (count: number) => Array.from({ length: count }, () => ({ lane: "backfill" as const, demandPerMinute: Infinity }));
const lazy = (count: number, demandPerMinute: number) => Array.from({ length: count }, () => ({ lane: "lazy" as const, demandPerMinute }));
/** Calls per minute over the last half of the run, when the lanes have settled. */
const perMinute = (sends: Parameters<typeof callsBetween>[0], lane?: "lazy" | "backfill") => callsBetween(sends, (MINUTES / 2) * 60_000, MINUTES * 60_000, lane) / (MINUTES / 2);

it("under a saturating backfill, lazy work that wants more than its share gets its share (simulated clock)", () => {
  // Calls of up to 300 ms: lazy work that wastes permits (held past their use) would lose its own share to itself.
  const { sends } = simulate({ rpm: RPM, backfillShare: 0.8, durationMs: MINUTES * 60_000, workers: [...backfill(40), ...lazy(10, Infinity)], callMs: [20, 300] });
  expect(perMinute(sends, "lazy") / perMinute(sends)).toBeGreaterThanOrEqual(0.2);
  expect(perMinute(sends)).toBeGreaterThanOrEqual(0.9 * RPM);
});

it("a steady lazy stream gets every call it asks for at once, and the backfill takes the rest (simulated clock)", () => {
  const { sends, waits } = simulate({ rpm: RPM, backfillShare: 0.8, durationMs: MINUTES * 60_000, workers: [...backfill(40), ...lazy(5, 12)], callMs: [20, 300] });
  const lazyWaits = waits.filter((w) => w.lane === "lazy" && w.at > 60_000).map((w) => w.ms);
  expect(lazyWaits.length).toBeGreaterThan(100);
  expect(Math.max(...lazyWaits)).toBe(0);
  expect(perMinute(sends, "lazy")).toBeGreaterThanOrEqual(5 * 12 * 0.8); // its demand (the simulated calls themselves take time)
  // The rest goes to the backfill; these lazy callers hold a page of permits for one call or two, and
  // what they hold counts as theirs until handed back, so 88 % here (bench part 5 measures the Worker).
  expect(perMinute(sends)).toBeGreaterThanOrEqual(0.88 * RPM);
});

it("idle share flows: lazy work alone may take the whole rate (simulated clock)", () => {
  const { sends } = simulate({ rpm: RPM, durationMs: MINUTES * 60_000, workers: lazy(40, Infinity) });
  expect(perMinute(sends)).toBeGreaterThanOrEqual(0.9 * RPM);
});

it("a lazy migrate request goes through while the backfill has taken every permit it may", async () => {
  await fake.reset();
  const waiting = await fake.createThread({ id: uniqueThreadId("lazy"), generate: 30 });
  const { env, invocations } = await saturatedBackfill(12);
  expect(invocations.flatMap((i) => i.delayed).length).toBeGreaterThan(0); // the backfill is saturated and waits

  await fake.clearCalls();
  const res = await api(`/v1/threads/${waiting}/migrate`, { method: "POST", env });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "migrated", messages_migrated: 30 });
  const calls = (await fake.calls()).calls;
  expect(calls.filter((c) => isTargetCall(c.route)).length).toBe(2);
  expect(calls.filter((c) => c.status === 429)).toEqual([]);
});
