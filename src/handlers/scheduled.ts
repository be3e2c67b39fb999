import { startBackfill } from "../backfill/backfill";
import { createDb } from "../db/client";
import { takeStalledDiscovery } from "../db/discovery";
import { claimStalledExports } from "../db/exports";
import { markDrainedRuns } from "../db/runs";
import { findStalledThreads, markEnqueued } from "../db/threads";
import { forgetDeliveriesBefore } from "../db/webhooks";
import { migrationsQueue } from "../queue/messages";
import { sendAll } from "../queue/send";
import { configOrNull } from "./queue";
import { sourceKey } from "./wiring";

/** The crons in wrangler.toml, by what they do. */
export const NIGHTLY_BACKFILL = "0 3 * * *";
export const SWEEP = "*/10 * * * *";

/** Webhook ids are remembered at least this long. */
const WEBHOOK_MEMORY_MS = 24 * 60 * 60 * 1000;
const STALLED_PER_SWEEP = 1000;
/** An ingesting export whose checkpoint has not moved for this long lost its queue message. */
const EXPORT_STALL_MS = 30 * 60 * 1000;

export async function onSchedule(controller: ScheduledController, env: Env): Promise<void> {
  if (!configOrNull(env)) return;
  const db = createDb(env.DB);
  const queue = migrationsQueue(env);
  const now = controller.scheduledTime;
  switch (controller.cron) {
    case NIGHTLY_BACKFILL:
      await startBackfill(db, queue, "cron", now);
      return;
    case SWEEP: {
      const stalled = await findStalledThreads(db, now, STALLED_PER_SWEEP);
      await sendAll(queue, stalled.map((thread_id) => ({ type: "continue_thread", thread_id })));
      await markEnqueued(db, stalled, now);
      const exports = await claimStalledExports(db, now, EXPORT_STALL_MS, STALLED_PER_SWEEP);
      await sendAll(queue, exports.map((export_id) => ({ type: "ingest_export", export_id })));
      // A thread listing whose Worker died between moving its cursor and sending the next page.
      const listing = await takeStalledDiscovery(db, sourceKey(env), now);
      if (listing?.runId) await queue.send({ type: "discover_threads", run_id: listing.runId, after: listing.cursor });
      await forgetDeliveriesBefore(db, now - WEBHOOK_MEMORY_MS);
      await markDrainedRuns(db, now);
      return;
    }
    default:
      console.warn("no work is scheduled for cron", controller.cron);
  }
}
