import { createDb } from "../db/client";
import { increment } from "../db/counters";
import { QueueMessage } from "../queue/messages";
import { failDeadLettered } from "./message-objects";

/** The dead-letter queue's consumer: the queue gave up on these, so each one's object becomes `failed` with its last error. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const now = Date.now();
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    if (parsed.success) await failDeadLettered(db, parsed.data, now);
    console.warn("dead-lettered", message.id, JSON.stringify(message.body));
    await increment(db, "dead_lettered");
    message.ack();
  }
}
