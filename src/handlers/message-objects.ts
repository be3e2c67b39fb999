import { failAssistant, recordAssistantError } from "../db/assistants";
import type { Database } from "../db/client";
import { failExport, recordExportError } from "../db/exports";
import { failBatch } from "../db/files";
import { failRun, recordRunError } from "../db/runs";
import type { StoredError } from "../db/schema";
import { failThreadFiles, markDeadLettered, recordFilesError } from "../db/threads";
import { THREAD_ID } from "../ids";
import type { QueueMessage } from "../queue/messages";

/** What the backfill waits before trying a dead-lettered object again. */
const DEAD_LETTER_RETRY_MS = 24 * 60 * 60 * 1000;

type Kind = QueueMessage["type"];
type Message<K extends Kind> = Extract<QueueMessage, { type: K }>;

/** The object a queue message works on: where its last error is kept, and how it ends when the queue gives up on it. */
interface MessageObject<K extends Kind> {
  /** Keeps the error of a failed delivery on the object (a thread's migration records its own). */
  recordError?(db: Database, message: Message<K>, error: StoredError, now: number): Promise<void>;
  /** The queue gave up: the object is `failed` with its last error, for a later backfill to retry (contract §4.7). */
  fail(db: Database, message: Message<K>, now: number): Promise<void>;
}

const failThread = (db: Database, threadId: string, now: number) => markDeadLettered(db, threadId, now, now + DEAD_LETTER_RETRY_MS);

const isThread = (ownerId: string) => THREAD_ID.test(ownerId);

const OBJECTS: { [K in Kind]: MessageObject<K> } = {
  ingest_export: {
    recordError: (db, m, error, now) => recordExportError(db, m.export_id, error, now),
    fail: (db, m, now) => failExport(db, m.export_id, null, now),
  },
  migrate_thread: { fail: (db, m, now) => failThread(db, m.thread_id, now) },
  continue_thread: { fail: (db, m, now) => failThread(db, m.thread_id, now) },
  backfill_page: {
    recordError: (db, m, error) => recordRunError(db, m.run_id, error),
    fail: (db, m) => failRun(db, m.run_id),
  },
  discover_threads: {
    recordError: (db, m, error) => recordRunError(db, m.run_id, error),
    fail: (db, m) => failRun(db, m.run_id),
  },
  discover_assistants: {
    recordError: async (db, m, error) => (m.run_id ? recordRunError(db, m.run_id, error) : undefined),
    fail: async (db, m) => (m.run_id ? failRun(db, m.run_id) : undefined),
  },
  sync_assistant: {
    recordError: (db, m, error, now) => recordAssistantError(db, m.assistant_id, error, now),
    fail: (db, m, now) => failAssistant(db, m.assistant_id, now),
  },
  sync_thread_files: {
    recordError: (db, m, error, now) => recordFilesError(db, m.thread_id, error, now),
    fail: (db, m, now) => failThreadFiles(db, m.thread_id, now, now + DEAD_LETTER_RETRY_MS),
  },
  follow_file_batch: {
    recordError: (db, m, error, now) => (isThread(m.owner_id) ? recordFilesError(db, m.owner_id, error, now) : recordAssistantError(db, m.owner_id, error, now)),
    fail: async (db, m, now) => {
      await failBatch(db, m.batch_id, { code: "dead_lettered", message: `the queue gave up following file batch ${m.batch_id}` }, now);
      if (isThread(m.owner_id)) await failThreadFiles(db, m.owner_id, now, now + DEAD_LETTER_RETRY_MS);
      else await failAssistant(db, m.owner_id, now);
    },
  },
};

const objectOf = <K extends Kind>(message: Message<K>) => OBJECTS[message.type] as MessageObject<K>;

export const recordFailedDelivery = (db: Database, message: QueueMessage, error: StoredError, now: number) =>
  objectOf(message).recordError?.(db, message, error, now);

export const failDeadLettered = (db: Database, message: QueueMessage, now: number) => objectOf(message).fail(db, message, now);
