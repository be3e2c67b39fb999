import { fanOutPage } from "../backfill/backfill";
import { discoverThreads } from "../backfill/thread-discovery";
import type { Budget } from "../client/budget";
import { CallFailure, describeFailure, EntraRefused, RateLimited } from "../client/errors";
import { ConfigInvalid, readConfig } from "../config";
import { createDb, type Database } from "../db/client";
import { backfillPausedAt } from "../db/control";
import { increment } from "../db/counters";
import { markDrainedRuns } from "../db/runs";
import { syncAssistant } from "../files/assistant-sync";
import { discoverAssistants } from "../files/discovery";
import { followFileBatch, followStarted } from "../files/follow";
import { syncThreadFiles } from "../files/thread-sync";
import { StoreBusy } from "../files/vector-store";
import { ingestExport } from "../ingest/ingest";
import { migrateThread } from "../migration/engine";
import { queueFollowUps } from "../migration/follow-ups";
import { Paced, type Pacing } from "../pacing/permits";
import { migrationsQueue, QueueMessage, type MigrationsQueue } from "../queue/messages";
import { redeliverySeconds } from "../retry";
import { recordFailedDelivery } from "./message-objects";
import { discoveryDeps, filesDeps, ingestDeps, invocationBudget, migrationDeps, withPacing } from "./wiring";

/**
 * What becomes of one queue message. `handBack`: acked and sent again with a delay, for work that
 * waits (for call permits) without having failed: a retry would spend one of its deliveries.
 */
export type Disposition = { ack: true } | { retry: true; delaySeconds: number } | { handBack: true; delaySeconds: number };

const ACK: Disposition = { ack: true };
const retryAfter = (delaySeconds: number): Disposition => ({ retry: true, delaySeconds });
const handBack = (delaySeconds: number): Disposition => ({ handBack: true, delaySeconds });

/** Another worker is creating the same vector store: look again after it surely finished. */
const STORE_BUSY_RETRY_SECONDS = 30;
/** While a setting is refused, work waits this long between deliveries (five of them before it dead-letters). */
const CONFIG_INVALID_RETRY_SECONDS = 3600;
/**
 * While the backfill is paused its work is put back for half as long as the pause has lasted, 30 s
 * to 15 min: a short pause resumes quickly, and a long one does not cycle every queued message every
 * few seconds (each round trip is queue operations).
 */
const pausedDelay = (pausedAt: number, now: number) => Math.min(900, Math.max(30, Math.round((now - pausedAt) / 2000)));

/**
 * MIGRATIONS consumer. Each message is acked or retried on its own, a few at a time, all within one
 * subrequest budget. A malformed message is acked, logged and counted, never retried forever.
 * Redelivered work is a no-op: the engine answers `migrated` without calling OpenAI.
 */
export async function consumeMigrations(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = configOrNull(env);
  if (!config) return batch.retryAll({ delaySeconds: CONFIG_INVALID_RETRY_SECONDS });
  const db = createDb(env.DB);
  const budget = invocationBudget(env, "queue");
  const queue = migrationsQueue(env);
  const pausedAt = await backfillPausedAt(db); // once per invocation: one row
  await withPacing(env, (pacing) =>
    forEachConcurrently(batch.messages, config.queueConcurrency, async (message) => {
      const parsed = QueueMessage.safeParse(message.body);
      if (!parsed.success) {
        console.warn("dropping malformed queue message", message.id, parsed.error.issues[0]?.message);
        await increment(db, "malformed_messages");
        message.ack();
        return;
      }
      // Paused (contract §7.2): backfill work goes back to the queue untouched; lazy work goes on.
      const paused = pausedAt !== null && !isLazy(parsed.data);
      const work = paused ? Promise.resolve(handBack(pausedDelay(pausedAt, Date.now()))) : handle(parsed.data, env, db, queue, budget, pacing);
      const disposition = await work.catch(async (err: unknown) => {
        if (err instanceof Paced) return handBack(err.retryAfter); // waiting for permits is not a failure of the object
        await recordFailedDelivery(db, parsed.data, { code: failureCode(err), message: describeFailure(err) }, Date.now());
        return failed(err, message.attempts);
      });
      if ("ack" in disposition) return message.ack();
      if ("retry" in disposition) return message.retry({ delaySeconds: disposition.delaySeconds });
      await queue.send(parsed.data, { delaySeconds: disposition.delaySeconds }); // sent before the ack: never lost
      message.ack();
    }),
  );
  await markDrainedRuns(db, Date.now());
}

/** A migration an app is waiting for (a webhook's, or one a request started); everything else is the backfill's work. */
const isLazy = (message: QueueMessage) => "lazy" in message && message.lazy === true;

/** Does one message's work: a lazy migration in the lazy lane, everything else as the backfill. */
async function handle(message: QueueMessage, env: Env, db: Database, queue: MigrationsQueue, budget: Budget, pacing: Pacing): Promise<Disposition> {
  const lazy = isLazy(message);
  const permits = pacing.lane(lazy ? "lazy" : "backfill");
  switch (message.type) {
    case "backfill_page":
      await fanOutPage(db, queue, message.run_id, message.after, Date.now());
      return ACK;
    case "discover_threads":
      await discoverThreads(discoveryDeps(env, budget, permits), queue, message);
      return ACK;
    case "discover_assistants":
      await discoverAssistants(filesDeps(env, budget, permits), queue, message);
      return ACK;
    case "sync_assistant":
      await followStarted(queue, message.assistant_id, await syncAssistant(filesDeps(env, budget, permits), message.assistant_id));
      return ACK;
    case "sync_thread_files": {
      const started = await syncThreadFiles(filesDeps(env, budget, permits), message.thread_id);
      if (started) await followStarted(queue, message.thread_id, started);
      else await queue.send(message); // the scan saved its progress; a new invocation carries on
      return ACK;
    }
    case "follow_file_batch":
      await followFileBatch(filesDeps(env, budget, permits), queue, message);
      return ACK;
    case "ingest_export":
      // An export too long for one invocation continues from its checkpoint in the next.
      if ((await ingestExport(ingestDeps(env, budget), message.export_id)) === "more") await queue.send(message);
      return ACK;
    case "migrate_thread":
    case "continue_thread": {
      const outcome = await migrateThread(migrationDeps(env, budget, permits), message.thread_id);
      await queueFollowUps(env, message.thread_id, outcome, "queue", lazy);
      if (outcome.kind === "paced") return handBack(outcome.delaySeconds);
      // Done, refused for good, or in another holder's hands; only a thread that must be tried again keeps its message.
      return outcome.kind === "retry_later" ? retryAfter(outcome.delaySeconds) : ACK;
    }
  }
}

/** A message whose work threw: tried again after the 429's wait, or backed off by its deliveries. */
function failed(err: unknown, attempts: number): Disposition {
  if (err instanceof RateLimited) return retryAfter(err.retryAfter);
  if (err instanceof StoreBusy) return retryAfter(STORE_BUSY_RETRY_SECONDS);
  console.error("queue message failed", err);
  return retryAfter(redeliverySeconds(attempts));
}

/** The configuration, or null (logged) when a setting is refused: then no migration runs (contract §1). */
export function configOrNull(env: Env) {
  try {
    return readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigInvalid)) throw err;
    console.error(`${err.message}: no migration runs until it is fixed`);
    return null;
  }
}

const failureCode = (err: unknown) =>
  err instanceof RateLimited ? "rate_limited" : err instanceof EntraRefused ? "entra_refused" : err instanceof CallFailure ? "openai_unavailable" : "internal_error";

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
