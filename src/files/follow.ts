import { saveAssistant } from "../db/assistants";
import { countStoreFilesByStatus } from "../db/files";
import { saveThreadFiles } from "../db/threads";
import { THREAD_ID } from "../ids";
import type { MigrationsQueue } from "../queue/messages";
import type { SyncStarted } from "./assistant-sync";
import { followBatch, type FilesDeps } from "./vector-store";

/** First look at a new batch, and the longest wait between looks: calls double apart while nothing changes. */
const FIRST_FOLLOW_SECONDS = 2;
const MAX_FOLLOW_SECONDS = 300;

/** Queues a delayed look at each batch a sync started. */
export async function followStarted(queue: MigrationsQueue, ownerId: string, started: SyncStarted): Promise<void> {
  if (!started.vectorStoreId) return;
  for (const batch_id of started.batches) {
    await queue.send(
      { type: "follow_file_batch", owner_id: ownerId, vector_store_id: started.vectorStoreId, batch_id, delay_seconds: FIRST_FOLLOW_SECONDS },
      { delaySeconds: FIRST_FOLLOW_SECONDS },
    );
  }
}

/** Looks at a batch once: schedules the next look while it ingests, settles its owner once nothing is left in flight. */
export async function followFileBatch(
  deps: FilesDeps,
  queue: MigrationsQueue,
  message: { owner_id: string; vector_store_id: string; batch_id: string; delay_seconds: number },
): Promise<void> {
  if ((await followBatch(deps, message.vector_store_id, message.batch_id)) === "in_progress") {
    const delay = Math.min(Math.max(message.delay_seconds * 2, FIRST_FOLLOW_SECONDS), MAX_FOLLOW_SECONDS);
    await queue.send({ ...message, type: "follow_file_batch", delay_seconds: delay }, { delaySeconds: delay });
    return;
  }
  if ((await countStoreFilesByStatus(deps.db, [message.owner_id])).in_progress > 0) return;
  const now = deps.now();
  if (THREAD_ID.test(message.owner_id)) {
    await saveThreadFiles(deps.db, message.owner_id, { filesStatus: "synced" }, now);
  } else {
    await saveAssistant(deps.db, message.owner_id, { status: "synced", syncedAt: now }, now);
  }
}
