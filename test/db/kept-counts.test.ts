// The counts status and the report read (contract §7.4) are kept by triggers as rows change: after
// any mix of inserts, upserts, status changes, warnings, errors and deletes — through ferry's own
// queries and raw SQL alike — each equals a full count of the rows.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { saveAssistant } from "../../src/db/assistants";
import { createDb } from "../../src/db/client";
import { saveStoreFiles } from "../../src/db/files";
import { createRun, markDrainedRuns } from "../../src/db/runs";
import { acquireLease, markEnqueued, registerThreads, type Release, releaseLease } from "../../src/db/threads";
import { seedMany } from "../support/many";

const rows = async <T>(sql: string) => (await env.DB.prepare(sql).all<T>()).results;

/** What the triggers keep, and what a full count says. */
async function kept() {
  return {
    status: await rows("select entity, status, n from status_counts where n <> 0 order by entity, status"),
    hours: await rows("select hour, n from migrated_by_hour where n <> 0 order by hour"),
    issues: await rows("select kind, code, n from issue_counts where n <> 0 order by kind, code"),
    runs: await rows("select id, migrated from backfill_runs order by id"),
  };
}
async function counted() {
  return {
    status: await rows(`
      select * from (
        select 'assistant' as entity, status, count(*) as n from assistants group by status
        union all select 'file', status, count(*) from store_files group by status
        union all select 'thread', status, count(*) from threads group by status)
      order by entity, status`),
    hours: await rows("select migrated_at / 3600000 as hour, count(*) as n from threads where status = 'migrated' and migrated_at is not null group by 1 order by 1"),
    issues: await rows(`
      select kind, code, count(*) as n from (
        select distinct 'warning' as kind, json_extract(w.value, '$.code') as code, t.thread_id from threads t, json_each(t.warnings) w
        union all select 'error', json_extract(error, '$.code'), thread_id from threads where error is not null)
      group by kind, code order by kind, code`),
    runs: await rows("select r.id, (select count(*) from threads t where t.queued_run_id = r.id and t.status = 'migrated') as migrated from backfill_runs r order by r.id"),
  };
}

it("every kept count equals a full count after a mix of changes", async () => {
  const db = createDb(env.DB);
  const now = Date.now();
  await seedMany("thread_kept", 3_000, now);
  expect(await kept()).toEqual(await counted());

  // ferry's own paths: register, lease, release as migrated with warnings, fail with an error.
  const run = await createRun(db, "manual", now);
  await registerThreads(db, ["thread_k_a", "thread_k_b", "thread_k_c", "thread_kept0000001"]);
  await markEnqueued(db, ["thread_k_a", "thread_k_b", "thread_kept0000096"], now, run.id);
  const ends: [string, Release][] = [
    ["thread_k_a", { status: "migrated", migratedAt: now, error: null, warnings: [{ code: "empty_message", detail: "x" }, { code: "empty_message", detail: "y" }] }],
    ["thread_k_b", { status: "failed", error: { code: "openai_rejected", message: "no" } }],
    ["thread_kept0000096", { status: "migrated", migratedAt: now - 5 * 3_600_000, error: null, warnings: [] }],
  ];
  for (const [id, end] of ends) {
    const owner = crypto.randomUUID();
    expect(await acquireLease(db, id, owner, now, 60_000)).toBeDefined();
    expect(await releaseLease(db, id, owner, end, now)).toBeDefined();
  }
  // Assistants and store files, inserted and upserted.
  await saveAssistant(db, "asst_k1", { status: "ingesting" }, now);
  await saveAssistant(db, "asst_k1", { status: "synced" }, now);
  await saveAssistant(db, "asst_k2", {}, now);
  await saveStoreFiles(db, [{ ownerId: "asst_k1", fileId: "file-1", vectorStoreId: "vs_1", status: "in_progress" }, { ownerId: "asst_k1", fileId: "file-2", vectorStoreId: "vs_1", status: "in_progress" }], now);
  await saveStoreFiles(db, [{ ownerId: "asst_k1", fileId: "file-1", vectorStoreId: "vs_1", status: "completed" }], now);
  await markDrainedRuns(db, now);
  expect(await kept()).toEqual(await counted());

  // Raw SQL, as an operator or a migration might write it.
  await env.DB.batch([
    env.DB.prepare("update threads set status = 'pending', migrated_at = null where thread_id = 'thread_kept0000000'"),
    env.DB.prepare("update threads set migrated_at = migrated_at - 86400000 where thread_id = 'thread_kept0000002'"),
    env.DB.prepare(`update threads set warnings = '[{"code":"incomplete_message","detail":"z"}]' where thread_id like 'thread_kept00001%'`),
    env.DB.prepare("update threads set error = '{\"code\":\"rate_limited\",\"message\":\"429\"}' where status = 'failed' and thread_id < 'thread_kept0000500'"),
    env.DB.prepare("delete from threads where thread_id like 'thread_kept00002%'"),
    env.DB.prepare("delete from store_files where file_id = 'file-2'"),
    env.DB.prepare("delete from assistants where assistant_id = 'asst_k2'"),
  ]);
  expect(await kept()).toEqual(await counted());
});
