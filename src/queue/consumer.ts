import { backoffMs } from "../openai/gateway";
import { migrate } from "../migration/service";
import { migrationsQueue, QueueMessage } from "./messages";

/**
 * MIGRATIONS consumer. Each message is acked or retried on its own; a malformed one is acked and
 * logged, never retried forever. Redelivery of finished work is a no-op (the engine sees `migrated`).
 */
export async function consumeMigrations(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      console.warn("dropping malformed queue message", message.id, parsed.error.issues[0]?.message);
      message.ack();
      continue;
    }
    try {
      const { thread_id } = parsed.data;
      const outcome = await migrate(env, thread_id, "queue");
      if (outcome.kind === "handed_over") await migrationsQueue(env).send({ type: "continue_thread", thread_id });
      if (outcome.kind === "retry_later") message.retry({ delaySeconds: outcome.delaySeconds });
      else message.ack();
    } catch (err) {
      console.error("queue message failed", message.id, err);
      message.retry({ delaySeconds: Math.ceil(backoffMs(message.attempts, 2_000) / 1000) });
    }
  }
}
