import { z } from "zod";
import { ASSISTANT_ID, EXPORT_ID, THREAD_ID } from "../ids";

/** Every message the MIGRATIONS queue carries, checked when received: the queue is a trust boundary too. */
export const QueueMessage = z.discriminatedUnion("type", [
  /**
   * Migrate a thread (first access, backfill). `lazy`: an app is waiting for it (a webhook, or a
   * request that continues in the background): paced as lazy work, and it runs while the backfill is paused.
   */
  z.object({ type: z.literal("migrate_thread"), thread_id: z.string().regex(THREAD_ID), lazy: z.boolean().optional() }),
  /** Carry on with a thread from its checkpoint after an invocation spent its budget (`lazy` as above). */
  z.object({ type: z.literal("continue_thread"), thread_id: z.string().regex(THREAD_ID), lazy: z.boolean().optional() }),
  /** Enqueue the next page of a backfill run's threads, after `after` in id order. */
  z.object({ type: z.literal("backfill_page"), run_id: z.string().min(1).max(64), after: z.string().regex(THREAD_ID).nullable() }),
  /**
   * List the next page of the source's threads after `after`, register them and enqueue their
   * migrations for the backfill run `run_id` (contract §6.1). Without `after`: the run's first
   * page, where the source's last listing stopped.
   */
  z.object({ type: z.literal("discover_threads"), run_id: z.string().min(1).max(64), after: z.string().regex(THREAD_ID).nullable().optional() }),
  /** List the next page of the source's assistants and enqueue a sync for each (for the backfill run `run_id`). */
  z.object({ type: z.literal("discover_assistants"), run_id: z.string().min(1).max(64).optional(), after: z.string().regex(ASSISTANT_ID).nullable() }),
  /** Keep an assistant's files in a live vector store and export its prompt spec. */
  z.object({ type: z.literal("sync_assistant"), assistant_id: z.string().regex(ASSISTANT_ID) }),
  /** Check a migrated thread's vector store and files, rebuilding a deleted store. */
  z.object({ type: z.literal("sync_thread_files"), thread_id: z.string().regex(THREAD_ID) }),
  /** Look at a file batch again after `delay_seconds`; the delay doubles while nothing changes. */
  z.object({
    type: z.literal("follow_file_batch"),
    owner_id: z.union([z.string().regex(THREAD_ID), z.string().regex(ASSISTANT_ID)]),
    vector_store_id: z.string().min(1).max(128),
    batch_id: z.string().min(1).max(128),
    delay_seconds: z.number().int().min(0).max(3600),
  }),
  /** Ingest the next chunks of an export from its checkpoint, registering the threads they hold. */
  z.object({ type: z.literal("ingest_export"), export_id: z.string().regex(EXPORT_ID) }),
]);
export type QueueMessage = z.infer<typeof QueueMessage>;

export type MigrationsQueue = Queue<QueueMessage>;
/** wrangler.toml: where the MIGRATIONS consumer's given-up messages go; the same Worker consumes it. */
export const DEAD_LETTER_QUEUE = "ferry-migrations-dlq";
export const migrationsQueue = (env: Env) => env.MIGRATIONS as MigrationsQueue;
