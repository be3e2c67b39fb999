import type { MigrationsQueue, QueueMessage } from "./messages";

/** Queues' sendBatch limits: 100 messages and 256 KB a call. */
const MAX_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 256 * 1024;
/** Allowance for each message's envelope beyond its JSON body. */
const PER_MESSAGE_OVERHEAD = 100;

/** Splits messages into sendBatch calls that stay within the platform's limits. */
export function planBatches(messages: readonly QueueMessage[]): QueueMessage[][] {
  const batches: QueueMessage[][] = [];
  let current: QueueMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = new TextEncoder().encode(JSON.stringify(message)).length + PER_MESSAGE_OVERHEAD;
    if (current.length && (current.length === MAX_BATCH_MESSAGES || bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

export async function sendAll(queue: MigrationsQueue, messages: readonly QueueMessage[]): Promise<void> {
  for (const batch of planBatches(messages)) await queue.sendBatch(batch.map((body) => ({ body })));
}
