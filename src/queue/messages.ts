import { z } from "zod";
import { THREAD_ID } from "../ids";

/** Every message the MIGRATIONS queue carries, checked when received: the queue is a trust boundary too. */
export const QueueMessage = z.discriminatedUnion("type", [
  /** Migrate a thread (first access, backfill). */
  z.object({ type: z.literal("migrate_thread"), thread_id: z.string().regex(THREAD_ID) }),
  /** Carry on with a thread from its checkpoint after an invocation spent its budget. */
  z.object({ type: z.literal("continue_thread"), thread_id: z.string().regex(THREAD_ID) }),
  /** Enqueue the next page of a backfill run's threads, after `after` in id order. */
  z.object({ type: z.literal("backfill_page"), run_id: z.string().min(1).max(64), after: z.string().regex(THREAD_ID).nullable() }),
]);
export type QueueMessage = z.infer<typeof QueueMessage>;

export type MigrationsQueue = Queue<QueueMessage>;
export const migrationsQueue = (env: Env) => env.MIGRATIONS as MigrationsQueue;
