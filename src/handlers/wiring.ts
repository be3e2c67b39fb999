import { Budget } from "../client/budget";
import { CallCore } from "../client/call";
import { connectSide } from "../client/sdk";
import { type Config, readConfig } from "../config";
import { readAssistantTools, saveAssistantTools } from "../db/assistants";
import { createDb, type Database } from "../db/client";
import type { DiscoveryDeps } from "../backfill/thread-discovery";
import type { FilesDeps } from "../files/vector-store";
import type { MigrationDeps } from "../migration/engine";
import type { Invocation } from "../migration/follow-ups";
import type { PreviewDeps } from "../migration/preview";
import type { ReadOptions } from "../migration/reader";
import { type AssistantToolsCache, AssistantsApi } from "../source/assistants-api";
import { OpenAITarget } from "../target/openai-target";

/** The subrequests one invocation may spend, across every thread it migrates. */
export function invocationBudget(env: Env, invocation: Invocation): Budget {
  const config = readConfig(env);
  return new Budget(invocation === "request" ? config.inlineBudget : config.queueBudget);
}

/** The source and the target of this deployment, over one call core that spends `budget` (and passes `fence` first). */
function connect(env: Env, budget: Budget, fence?: () => Promise<void>, tools = assistantTools(createDb(env.DB))) {
  const config = readConfig(env);
  const core = new CallCore(budget, fence);
  return {
    source: new AssistantsApi(connectSide(config.source, config.requestTimeoutMs, core), tools),
    target: new OpenAITarget(connectSide(config.target, config.requestTimeoutMs, core)),
  };
}

/** The source's files live on another host than the target's: each one is looked for on the target before it is named or copied (contract §6.1). */
const filesElsewhere = (config: Config) => new URL(config.source.baseUrl).host !== new URL(config.target.baseUrl).host;

const readingOptions = (config: Config): ReadOptions => ({
  toolCalls: config.toolCalls,
  filesElsewhere: filesElsewhere(config),
});

/** Each assistant's tools, read once and kept in D1 (MIGRATE_TOOL_CALLS=auto). */
const assistantTools = (db: Database): AssistantToolsCache => ({
  get: (id) => readAssistantTools(db, id),
  set: (id, tools) => saveAssistantTools(db, id, tools, Date.now()),
});

export function migrationDeps(env: Env, budget: Budget): MigrationDeps {
  const config = readConfig(env);
  return {
    db: createDb(env.DB),
    connect: (_row, fence) => connect(env, budget, fence),
    budget,
    requestTimeoutMs: config.requestTimeoutMs,
    orphanSafeCreate: config.orphanSafeCreate,
    reading: readingOptions(config),
  };
}

/** A dry run reads what ferry knows of assistants but records nothing (contract §7.3). */
export function previewDeps(env: Env, budget: Budget): PreviewDeps {
  const config = readConfig(env);
  const known = assistantTools(createDb(env.DB));
  return { ...connect(env, budget, undefined, { get: known.get, set: async () => {} }), budget, reading: readingOptions(config), orphanSafeCreate: config.orphanSafeCreate };
}

export function filesDeps(env: Env, budget: Budget): FilesDeps {
  const { source, target } = connect(env, budget);
  return { db: createDb(env.DB), budget, source, target, filesElsewhere: filesElsewhere(readConfig(env)), now: Date.now };
}

export function discoveryDeps(env: Env, budget: Budget): DiscoveryDeps {
  return { db: createDb(env.DB), source: connect(env, budget).source, sourceKey: sourceKey(env), now: Date.now };
}

/** Which source this deployment reads: each source's thread listing is kept apart (a changed ASSISTANTS_BASE_URL lists anew). */
export const sourceKey = (env: Env): string => readConfig(env).source.baseUrl;
