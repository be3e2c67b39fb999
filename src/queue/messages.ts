import { z } from "zod";
import { THREAD_ID } from "../ids";

/** Every message the MIGRATIONS queue carries, checked when received: the queue is a trust boundary too. */
export const QueueMessage = z.discriminatedUnion("type", [
  /** Migrate a thread (first access, backfill). */
  z.object({ type: z.literal("migrate_thread"), thread_id: z.string().regex(THREAD_ID) }),
  /** Carry on with a thread from its checkpoint after an invocation spent its budget. */
  z.object({ type: z.literal("continue_thread"), thread_id: z.string().regex(THREAD_ID) }),
]);
export type QueueMessage = z.infer<typeof QueueMessage>;

export type MigrationsQueue = Queue<QueueMessage>;
export const migrationsQueue = (env: Env) => env.MIGRATIONS as MigrationsQueue;
