import { readConfig } from "../config";
import { createDb } from "../db/client";
import { OpenAIGateway } from "../openai/gateway";
import { hasThreadFiles } from "../files/thread-sync";
import { migrationsQueue } from "../queue/messages";
import { Budget } from "./budget";
import { migrateThread, type MigrationOutcome } from "./engine";

export type Invocation = "request" | "queue";

/** The subrequests one invocation may spend, across every thread it migrates. */
export function invocationBudget(env: Env, invocation: Invocation): Budget {
  const config = readConfig(env);
  return new Budget(invocation === "request" ? config.inlineBudget : config.queueBudget);
}

/** Runs the engine within the invocation's budget. */
export function migrate(env: Env, threadId: string, budget: Budget): Promise<MigrationOutcome> {
  const config = readConfig(env);
  return migrateThread(
    { db: createDb(env.DB), gateway: new OpenAIGateway(config, budget), budget, requestTimeoutMs: config.requestTimeoutMs },
    threadId,
  );
}

/** Seconds until it is worth asking again about a thread that continues in the background. */
const CONTINUE_RETRY_AFTER = 5;

/**
 * Queues what follows a migration run: the rest of a thread that did not finish (a queue message
 * retries its own delivery instead), or the files check of one that did.
 * Returns the delay the thread continues after, or null when its migration is over.
 */
export async function queueFollowUps(env: Env, threadId: string, outcome: MigrationOutcome, invocation: Invocation): Promise<number | null> {
  const queue = migrationsQueue(env);
  switch (outcome.kind) {
    case "handed_over":
      await queue.send({ type: "continue_thread", thread_id: threadId });
      return CONTINUE_RETRY_AFTER;
    case "retry_later":
      if (invocation === "request") await queue.send({ type: "continue_thread", thread_id: threadId }, { delaySeconds: outcome.delaySeconds });
      return outcome.delaySeconds;
    case "busy":
      return outcome.retryAfter; // its holder finishes or hands over by itself
    case "migrated":
      if (hasThreadFiles(outcome.row)) await queue.send({ type: "sync_thread_files", thread_id: threadId });
      return null;
    default:
      return null;
  }
}
