// Contract §7.1: a 429 slows every invocation at once — its Retry-After holds back every permit of
// the side, the rate halves — and the rate climbs back after.
import { expect, it, vi } from "vitest";
import { PermitLedger, type TakeRequest } from "../../src/pacing/ledger";
import { fake } from "../support/fake";
import { api, lookup, uniqueThreadId } from "../support/ferry";
import { isTargetCall, pacedKey } from "../support/pacing";
import { drainQueue } from "../support/queue";

const ask = (lane: TakeRequest["lane"], extra: Partial<TakeRequest> = {}): TakeRequest => ({ lane, want: 6, rpm: 600, backfillShare: 0.8, maxWaitMs: 5_000, ...extra });

it("a 429 holds back both lanes for its wait, halves the rate once, and the rate climbs back to the full one (simulated clock)", () => {
  const ledger = new PermitLedger();
  expect(ledger.take(0, ask("lazy"))).toMatchObject({ granted: 6, startsInMs: 0 });
  const after429 = ledger.take(1_000, ask("lazy", { throttledMs: 3_000 }));
  expect(after429).toMatchObject({ granted: 6, startsInMs: 3_000 }); // reserved for the moment the wait is over
  expect(ledger.take(1_100, ask("backfill"))).toMatchObject({ startsInMs: 2_900 }); // the backfill waits too
  expect(ledger.take(1_200, ask("lazy", { maxWaitMs: 1_000 }))).toMatchObject({ granted: 0, retryAfterMs: 2_800 });
  // Other invocations' calls sent under the same pause answer 429 too: they extend nothing and halve nothing again.
  ledger.take(1_500, ask("lazy", { throttledMs: 1_000 }));
  expect(ledger.describe(2_000, 600)).toMatchObject({ currentRpm: 300, pausedForMs: 2_000 });
  // Additive increase from the end of the wait: half the rate back a minute later.
  expect(ledger.describe(4_000 + 30_000, 600).currentRpm).toBe(450);
  expect(ledger.describe(4_000 + 60_000, 600).currentRpm).toBe(600);
  // A 429 after the wait, at the lower rate, halves it again.
  ledger.take(4_500, ask("lazy", { throttledMs: 1_000 }));
  expect(ledger.describe(4_600, 600).currentRpm).toBe(151);
});

it("the API's x-ratelimit-remaining-requests lowers the rate by what others use of the key (simulated clock)", () => {
  const ledger = new PermitLedger();
  ledger.take(0, ask("backfill"));
  // The key allows 100 a minute and has 40 left: 60 used, 6 of them ferry's, so others use 54.
  ledger.take(1_000, ask("backfill", { observed: { limit: 100, remaining: 40, ageMs: 500 } }));
  expect(ledger.describe(2_000, 600).currentRpm).toBe(46);
  expect(ledger.describe(70_000, 600).currentRpm).toBe(600); // a window later the observation has passed
});

it("a 429 from the API makes every invocation wait its Retry-After, then the rate climbs back", async () => {
  await fake.reset();
  const keys = await pacedKey();
  const env = { ...keys, OPENAI_MAX_RPM: "600" };
  const threads = [];
  for (let i = 0; i < 24; i++) threads.push(await fake.createThread({ id: uniqueThreadId("thr"), generate: 30 }));
  await fake.clearCalls();
  // The API refuses the 5th conversation write with Retry-After: 2, while two invocations migrate at once.
  await fake.addFaults({ method: "POST", path: "^/v1/conversations", status: 429, retryAfter: 2, skip: 4 });
  const drain = (ids: string[]) => drainQueue(ids.map((thread_id) => ({ type: "migrate_thread", thread_id })), env);
  await Promise.all([drain(threads.slice(0, 12)), drain(threads.slice(12))]);
  for (const t of threads) expect((await lookup(t))?.status).toBe("migrated");

  const target = (await fake.calls()).calls.filter((c) => isTargetCall(c.route));
  const refused = target.find((c) => c.status === 429)!;
  // Within the wait, the only calls are those that held a permit already: the other invocation's page
  // and what this one had under way beside the refused call (a page each at most).
  const duringWait = target.filter((c) => c.at > refused.at + 200 && c.at < refused.at + 1_800);
  expect(duringWait.length).toBeLessThanOrEqual(12);
  expect(target.filter((c) => c.at >= refused.at + 2_000).length).toBeGreaterThan(0); // and work resumed after it

  const pacer = async () => ((await (await api("/v1/status", { env })).json()) as { pacing: { target: { max_rpm: number; current_rpm: number } } }).pacing.target;
  const cut = await pacer();
  expect(cut.max_rpm).toBe(600);
  expect(cut.current_rpm).toBeLessThan(600);
  await vi.waitUntil(async () => (await pacer()).current_rpm > cut.current_rpm, { timeout: 10_000, interval: 200 });
});
