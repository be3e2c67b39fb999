// GET /v1/status, checked against a case computed by hand, before and after the shutdown date.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { app } from "../../src/handlers/http/app";
import { project } from "../../src/status/projection";
import { TOKEN } from "../support/ferry";

const HOUR = 3_600_000;

it("projects the finish from the last 24 hours' pace (hand-computed)", () => {
  const now = Date.UTC(2026, 7, 1);
  const p = project({
    now,
    shutdownAt: now + 10 * 24 * HOUR,
    threads: { pending: 400, migrating: 50, migrated: 1000, failed: 30, source_unavailable: 20 },
    migratedByHour: [
      { hour: now - 3 * HOUR, threads: 300 },
      { hour: now - 2 * HOUR, threads: 0 },
      { hour: now - HOUR, threads: 180 },
    ], // 480 in the day: 20 threads an hour
    lastRun: { startedAt: now - 6 * HOUR, drainedAt: now - 2 * HOUR, migrated: 200 }, // 50 an hour
  });
  // 480 remaining at 20/h = 24 h.
  expect(p).toEqual({
    seconds_until_shutdown: 10 * 24 * 3600,
    remaining: 480,
    throughput: {
      last_24h: {
        threads_migrated: 480,
        threads_per_hour: 20,
        by_hour: [
          { hour: "2026-07-31T21:00:00.000Z", threads_migrated: 300 },
          { hour: "2026-07-31T22:00:00.000Z", threads_migrated: 0 },
          { hour: "2026-07-31T23:00:00.000Z", threads_migrated: 180 },
        ],
      },
      last_run: { threads_migrated: 200, threads_per_hour: 50 },
    },
    projected_finish_at: new Date(now + 24 * HOUR).toISOString(),
    on_track: true,
  });
});

it("after the shutdown: negative seconds, off track while work remains, on track when none does", () => {
  const now = Date.UTC(2026, 10, 22);
  const shutdownAt = Date.UTC(2026, 7, 26);
  const base = { now, shutdownAt, migratedByHour: [], lastRun: { startedAt: now - 2 * HOUR, drainedAt: null, migrated: 10 } };
  const late = project({ ...base, threads: { pending: 10, migrating: 0, migrated: 5, failed: 0, source_unavailable: 3 } });
  expect(late.seconds_until_shutdown).toBe(-(88 * 24 * 3600));
  expect(late.throughput.last_run).toEqual({ threads_migrated: 10, threads_per_hour: 5 }); // falls back to the run's pace
  expect(late.projected_finish_at).toBe(new Date(now + 2 * HOUR).toISOString());
  expect(late.on_track).toBe(false);
  const done = project({ ...base, threads: { pending: 0, migrating: 0, migrated: 15, failed: 0, source_unavailable: 3 } });
  expect(done).toMatchObject({ remaining: 0, on_track: true, projected_finish_at: new Date(now).toISOString() });
});

it("no pace and work left: no projection, not on track", () => {
  const now = Date.UTC(2026, 0, 1);
  const p = project({ now, shutdownAt: now + HOUR, threads: { pending: 1, migrating: 0, migrated: 0, failed: 0, source_unavailable: 0 }, migratedByHour: [], lastRun: null });
  expect(p).toMatchObject({ projected_finish_at: null, on_track: false, throughput: { last_run: null } });
});

it("the endpoint reports D1's counts and the configured shutdown", async () => {
  const now = Date.now();
  await env.DB.prepare("delete from threads").run();
  const insert = (id: string, status: string, migratedAt: number | null) =>
    env.DB.prepare("insert into threads (thread_id, status, migrated_at) values (?, ?, ?)").bind(id, status, migratedAt).run();
  for (let i = 0; i < 6; i++) await insert(`thread_m${i}`, "migrated", now - (i < 4 ? HOUR : 30 * HOUR));
  for (let i = 0; i < 8; i++) await insert(`thread_p${i}`, "pending", null);
  await insert("thread_f", "failed", null);
  await insert("thread_s", "source_unavailable", null);

  const status = async (shutdown: string) => {
    const req = new Request("http://ferry/v1/status", { headers: { authorization: `Bearer ${TOKEN}` } });
    const res = await app.fetch(req, { ...env, ASSISTANTS_SHUTDOWN_AT: shutdown });
    return (await res.json()) as Record<string, unknown> & { throughput: { last_24h: { by_hour: { hour: string; threads_migrated: number }[] } } };
  };

  const before = await status(new Date(now + 30 * 24 * HOUR).toISOString());
  expect(before.threads).toEqual({ total: 16, pending: 8, migrating: 0, migrated: 6, failed: 1, source_unavailable: 1 });
  expect(before.remaining).toBe(9);
  // Hour by hour: 25 of them (the first counted whole), the 4 of an hour ago in theirs, the last under way.
  const { by_hour, ...day } = before.throughput.last_24h;
  expect(day).toEqual({ threads_migrated: 4, threads_per_hour: 0.17 });
  const hourOf = (t: number) => new Date(Math.floor(t / HOUR) * HOUR).toISOString();
  expect(by_hour).toHaveLength(25);
  expect(by_hour.at(-1)!.hour).toBe(hourOf(now));
  expect(by_hour.filter((h) => h.threads_migrated)).toEqual([{ hour: hourOf(now - HOUR), threads_migrated: 4 }]);
  expect(before.on_track).toBe(true); // 9 threads at 4 a day: 2.25 days, well before 30
  expect(before.seconds_until_shutdown as number).toBeGreaterThan(29 * 24 * 3600);

  const after = await status(new Date(now - 24 * HOUR).toISOString());
  expect(after.seconds_until_shutdown as number).toBeLessThan(-23 * 3600);
  expect(after.on_track).toBe(false);
  expect(after).toMatchObject({ dead_lettered: 0, malformed_messages: 0, last_backfill: null });
});
