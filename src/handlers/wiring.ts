import { Budget } from "../client/budget";
import { CallCore } from "../client/call";
import { sdkClient } from "../client/sdk";
import { type Config, readConfig } from "../config";
import { readAssistantTools, saveAssistantTools } from "../db/assistants";
import { createDb, type Database } from "../db/client";
import type { FilesDeps } from "../files/vector-store";
import type { MigrationDeps } from "../migration/engine";
import type { Invocation } from "../migration/follow-ups";
import type { PreviewDeps } from "../migration/preview";
import type { ReadOptions } from "../migration/reader";
import { type LanePermits, Pacing, UNPACED } from "../pacing/permits";
import { type AssistantToolsCache, AssistantsApi } from "../source/assistants-api";
import { OpenAITarget } from "../target/openai-target";

/** The subrequests one invocation may spend, across every thread it migrates. */
export function invocationBudget(env: Env, invocation: Invocation): Budget {
  const config = readConfig(env);
  return new Budget(invocation === "request" ? config.inlineBudget : config.queueBudget);
}

/** Runs an invocation's work under its call permits (contract §7.1), handing back whatever it did not spend. */
export async function withPacing<T>(env: Env, work: (pacing: Pacing) => Promise<T>): Promise<T> {
  const pacing = new Pacing(env, readConfig(env));
  try {
    return await work(pacing);
  } finally {
    await pacing.release();
  }
}

/**
 * The source and the target of this deployment, over call cores that spend `budget` (and pass
 * `fence` first), each side under its own permits when it is paced.
 */
function connect(env: Env, budget: Budget, permits: LanePermits, fence?: () => Promise<void>, tools = assistantTools(createDb(env.DB))) {
  const config = readConfig(env);
  const core = (side: keyof LanePermits) => new CallCore(budget, fence, permits[side]);
  return {
    source: new AssistantsApi(core("source"), sdkClient(config.source, config.requestTimeoutMs, permits.source?.fetch), tools),
    target: new OpenAITarget(core("target"), sdkClient(config.target, config.requestTimeoutMs, permits.target?.fetch)),
  };
}

const readingOptions = (config: Config): ReadOptions => ({
  toolCalls: config.toolCalls,
  filesElsewhere: new URL(config.source.baseUrl).host !== new URL(config.target.baseUrl).host,
});

/** Each assistant's tools, read once and kept in D1 (MIGRATE_TOOL_CALLS=auto). */
const assistantTools = (db: Database): AssistantToolsCache => ({
  get: (id) => readAssistantTools(db, id),
  set: (id, tools) => saveAssistantTools(db, id, tools, Date.now()),
});

export function migrationDeps(env: Env, budget: Budget, permits: LanePermits = UNPACED): MigrationDeps {
  const config = readConfig(env);
  return {
    db: createDb(env.DB),
    connect: (_row, fence) => connect(env, budget, permits, fence),
    budget,
    requestTimeoutMs: config.requestTimeoutMs,
    orphanSafeCreate: config.orphanSafeCreate,
    reading: readingOptions(config),
  };
}

/** A dry run reads what ferry knows of assistants but records nothing (contract §7.3). */
export function previewDeps(env: Env, budget: Budget, permits: LanePermits): PreviewDeps {
  const config = readConfig(env);
  const known = assistantTools(createDb(env.DB));
  return { ...connect(env, budget, permits, undefined, { get: known.get, set: async () => {} }), budget, reading: readingOptions(config), orphanSafeCreate: config.orphanSafeCreate };
}

export function filesDeps(env: Env, budget: Budget, permits: LanePermits): FilesDeps {
  const { source, target } = connect(env, budget, permits);
  return { db: createDb(env.DB), budget, source, target, now: Date.now };
}
