// Contract §7.4: status, the backfill's fan-out and the list routes read D1 rows in proportion to
// what they answer, not to the number of threads. For each, every statement it runs is planned on
// an index (EXPLAIN QUERY PLAN: no full scan), and D1's own meta.rows_read stays small on 20,000
// threads. (On the counts of before, status alone read every thread: 20,000 rows a call.)
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { markDrainedRuns } from "../../src/db/runs";
import { findBackfillCandidates } from "../../src/db/threads";
import { fullScans, queryPlans, recordingD1, rowsRead, type Statement } from "../support/d1";
import { api } from "../support/ferry";
import { seedMany } from "../support/many";

const N = 20_000;
beforeAll(async () => {
  await seedMany("thread_big", N);
  // A run that enqueued threads and has not drained: the drain check has something to look at.
  await env.DB.prepare("insert into backfill_runs (id, trigger, started_at, fan_out_done_at) values ('run_open', 'manual', 1, 2)").run();
  await env.DB.prepare("update threads set queued_run_id = 'run_open' where thread_id < 'thread_big0001000'").run();
}, 60_000);

/** Runs a route twice on a recording binding (the first warms the isolate: schema check, prepared statements); returns the second's statements. */
async function statementsOf(path: string): Promise<Statement[]> {
  const { db, statements } = recordingD1();
  expect((await api(path, { env: { DB: db } })).status).toBe(200);
  statements.length = 0;
  const res = await api(path, { env: { DB: db } });
  expect(res.status).toBe(200);
  await res.text();
  return [...statements];
}

async function expectIndexed(statements: Statement[]) {
  for (const { sql, plan } of await queryPlans(statements)) expect(fullScans(plan), `${sql}\n${plan.join("\n")}`).toEqual([]);
}

it.each([
  ["GET /v1/status", "/v1/status", 60],
  ["GET /v1/report", "/v1/report", 60],
  ["a page of 100", "/v1/threads?limit=100", 2 * 101],
  ["a page of 100 failed threads", "/v1/threads?status=failed&limit=100", 2 * 101],
  ["a page of 100 with a warning", "/v1/threads?warning=empty_message&limit=100", 3 * 101],
  ["a page of 100 with a warning and a status", "/v1/threads?warning=assistant_image_replaced&status=migrated&limit=100", 3 * 101],
])("%s: indexed statements, few rows read", async (_, path, most) => {
  const statements = await statementsOf(path);
  expect(statements.length).toBeGreaterThan(0);
  await expectIndexed(statements);
  expect(await rowsRead(statements)).toBeLessThanOrEqual(most as number);
});

it("a fan-out page reads its page of threads with work, never the migrated ones; the drain check reads a row", async () => {
  const { db: d1, statements } = recordingD1();
  const db = createDb(d1);
  const now = Date.now();
  const first = await findBackfillCandidates(db, null, now, 500);
  const second = await findBackfillCandidates(db, first.at(-1)!.id, now, 500);
  expect([first.length, second.length]).toEqual([500, 500]);
  const plans = await queryPlans(statements);
  for (const { plan } of plans) expect(plan.join("\n")).toMatch(/USING INDEX threads_backfill_work/);
  expect(await rowsRead(statements)).toBeLessThanOrEqual(2 * 501);

  statements.length = 0;
  await markDrainedRuns(db, now);
  await expectIndexed(statements);
  expect(await rowsRead(statements)).toBeLessThanOrEqual(4);
});
