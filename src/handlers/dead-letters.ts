import { createDb } from "../db/client";
import { increment } from "../db/counters";
import { markDeadLettered } from "../db/threads";
import { QueueMessage } from "../queue/messages";

/** A dead-lettered thread is retried by the nightly backfill after this long. */
const DEAD_LETTER_RETRY_MS = 24 * 60 * 60 * 1000;

/** The dead-letter queue's consumer: the queue gave up on these, so their threads become `failed` with their last error. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
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
