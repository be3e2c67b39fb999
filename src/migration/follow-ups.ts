import { hasThreadFiles } from "../conversion/tool-resources";
import { migrationsQueue } from "../queue/messages";
import type { MigrationOutcome } from "./engine";

export type Invocation = "request" | "queue";

/** Seconds until it is worth asking again about a thread that continues in the background. */
const CONTINUE_RETRY_AFTER = 5;

/**
 * Queues what follows a migration run: the rest of a thread that did not finish (a queue message
 * retries its own delivery instead), or the files check of one that did. What continues lazy work
 * (a request always is) stays lazy, so it keeps its pacing lane and runs while the backfill is paused.
 * Returns the delay the thread continues after, or null when its migration is over.
 */
export async function queueFollowUps(env: Env, threadId: string, outcome: MigrationOutcome, invocation: Invocation, lazy: boolean): Promise<number | null> {
  const queue = migrationsQueue(env);
  const next = { type: "continue_thread" as const, thread_id: threadId, ...(lazy ? { lazy } : {}) };
  switch (outcome.kind) {
    case "handed_over":
      await queue.send(next);
      return CONTINUE_RETRY_AFTER;
    case "retry_later":
    case "paced":
      if (invocation === "request") await queue.send(next, { delaySeconds: outcome.delaySeconds });
      return outcome.delaySeconds;
    case "busy":
      return outcome.retryAfter; // its holder finishes or hands over by itself
    case "migrated":
      if (hasThreadFiles(outcome.row.toolResources, outcome.row.attachedFiles)) await queue.send({ type: "sync_thread_files", thread_id: threadId });
      return null;
    default:
      return null;
  }
}
