import threads from "../../migrations/0000_threads.sql";
import backfill from "../../migrations/0001_backfill_webhooks_counters.sql";
import files from "../../migrations/0002_files_and_assistants.sql";
import hardening from "../../migrations/0003_hardening.sql";
import toolHistory from "../../migrations/0004_tool_history.sql";
import exportsMigration from "../../migrations/0005_exports.sql";
import azure from "../../migrations/0006_azure.sql";
import operations from "../../migrations/0007_operations.sql";
import countsKept from "../../migrations/0008_counts_kept_by_triggers.sql";

/** Every file in migrations/, in order (a test checks this list against the folder). */
export const MIGRATIONS: readonly (readonly [name: string, sql: string])[] = [
  ["0000_threads.sql", threads],
  ["0001_backfill_webhooks_counters.sql", backfill],
  ["0002_files_and_assistants.sql", files],
  ["0003_hardening.sql", hardening],
  ["0004_tool_history.sql", toolHistory],
  ["0005_exports.sql", exportsMigration],
  ["0006_azure.sql", azure],
  ["0007_operations.sql", operations],
  ["0008_counts_kept_by_triggers.sql", countsKept],
];

/** wrangler's own bookkeeping table, so `wrangler d1 migrations apply` and this agree on what ran. */
const TRACKING = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

const ready = new WeakMap<D1Database, Promise<void>>();

/**
 * Applies the migrations a database lacks, once per isolate and binding, so a plain `wrangler dev`
 * (or a deploy that skipped `wrangler d1 migrations apply`) still finds its tables. Each migration
 * and its record go in one atomic batch; an isolate that loses the race to another sees the record
 * and moves on. Only trusted work calls it: an authenticated request, a verified webhook, the
 * queue, the cron — so a stranger's request never creates tables.
 */
export function ensureSchema(d1: D1Database): Promise<void> {
  let applied = ready.get(d1);
  if (!applied) {
    applied = applyMigrations(d1).catch((err: unknown) => {
      ready.delete(d1);
      throw err;
    });
    ready.set(d1, applied);
  }
  return applied;
}

/** Applies whatever migrations the database lacks; safe to run at any time, from several isolates at once. */
export async function applyMigrations(d1: D1Database): Promise<void> {
  await d1.prepare(TRACKING).run();
  const applied = async () => new Set((await d1.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));
  const done = await applied();
  for (const [name, sql] of MIGRATIONS) {
    if (done.has(name)) continue;
    const statements = sql.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean);
    try {
      await d1.batch([...statements.map((s) => d1.prepare(s)), d1.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)]);
    } catch (err) {
      if (!(await applied()).has(name)) throw err;
    }
  }
}
