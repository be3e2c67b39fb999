import { fanOutPage } from "../backfill/backfill";
import { readConfig } from "../config";
import { createDb, type Database } from "../db/client";
import { increment } from "../db/counters";
import { markDrainedRuns } from "../db/runs";
import { markDeadLettered } from "../db/threads";
import { retryDelaySeconds } from "../migration/engine";
import { invocationBudget, migrate, queueFollowUps } from "../migration/service";
import { syncAssistant } from "../files/assistant-sync";
import { discoverAssistants } from "../files/discovery";
import { followFileBatch, followStarted } from "../files/follow";
import { syncThreadFiles } from "../files/thread-sync";
import { StoreBusy, type FilesDeps } from "../files/vector-store";
import { RateLimited } from "../openai/errors";
import { OpenAIGateway } from "../openai/gateway";
import type { Budget } from "../migration/budget";
import { migrationsQueue, QueueMessage, type MigrationsQueue } from "./messages";

const DEAD_LETTER_QUEUE = "ferry-migrations-dlq";
/** Another worker is creating the same vector store: look again after it surely finished. */
const STORE_BUSY_RETRY_SECONDS = 30;
/** A dead-lettered thread is retried by the nightly backfill after this long. */
const DEAD_LETTER_RETRY_MS = 24 * 60 * 60 * 1000;

/** Routes a batch to the main consumer or the dead-letter consumer. */
export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  if (batch.queue === DEAD_LETTER_QUEUE) return consumeDeadLetters(batch, db);
  return consumeMigrations(batch, env, db);
}

/**
 * MIGRATIONS consumer. Each message is acked or retried on its own, a few at a time, all within one
 * subrequest budget. A malformed message is acked, logged and counted, never retried forever.
 * Redelivered work is a no-op: the engine answers `migrated` without calling OpenAI.
 */
async function consumeMigrations(batch: MessageBatch<unknown>, env: Env, db: Database): Promise<void> {
  const budget = invocationBudget(env, "queue");
  const queue = migrationsQueue(env);
  await forEachConcurrently(batch.messages, readConfig(env).queueConcurrency, async (message) => {
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      console.warn("dropping malformed queue message", message.id, parsed.error.issues[0]?.message);
      await increment(db, "malformed_messages");
      message.ack();
      return;
    }
    try {
      const delay = await handle(parsed.data, env, db, queue, budget);
      if (delay === null) message.ack();
      else message.retry({ delaySeconds: delay ?? retryDelaySeconds(message.attempts) });
    } catch (err) {
      console.error("queue message failed", message.id, err);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  });
  await markDrainedRuns(db, Date.now());
}

/** Does one message's work. Returns null when done, or the retry delay (undefined: back off by attempts). */
async function handle(message: QueueMessage, env: Env, db: Database, queue: MigrationsQueue, budget: Budget): Promise<number | undefined | null> {
  const files = (): FilesDeps => ({ db, gateway: new OpenAIGateway(readConfig(env), budget), now: Date.now });
  try {
    switch (message.type) {
      case "backfill_page":
        await fanOutPage(db, queue, message.run_id, message.after, Date.now());
        return null;
      case "discover_assistants":
        await discoverAssistants(files(), queue, message.after);
        return null;
      case "sync_assistant":
        await followStarted(queue, message.assistant_id, await syncAssistant(files(), message.assistant_id));
        return null;
      case "sync_thread_files":
        await followStarted(queue, message.thread_id, await syncThreadFiles(files(), message.thread_id));
        return null;
      case "follow_file_batch":
        await followFileBatch(files(), queue, message);
        return null;
      case "migrate_thread":
      case "continue_thread": {
        const outcome = await migrate(env, message.thread_id, budget);
        const delay = await queueFollowUps(env, message.thread_id, outcome, "queue");
        if (outcome.kind !== "retry_later") return null; // done, refused for good, or in another holder's hands
        return outcome.rateLimited ? delay : undefined;
      }
    }
  } catch (err) {
    if (err instanceof RateLimited) return err.retryAfter;
    if (err instanceof StoreBusy) return STORE_BUSY_RETRY_SECONDS;
    throw err;
  }
}

/** The queue gave up on these: their threads become `failed` with their last error. */
async function consumeDeadLetters(batch: MessageBatch<unknown>, db: Database): Promise<void> {
  const now = Date.now();
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    const body = parsed.success ? parsed.data : null;
    if (body?.type === "migrate_thread" || body?.type === "continue_thread") {
      await markDeadLettered(db, body.thread_id, now, now + DEAD_LETTER_RETRY_MS);
    }
    console.warn("dead-lettered", message.id, JSON.stringify(message.body));
    await increment(db, "dead_lettered");
    message.ack();
  }
}

async function forEachConcurrently<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
