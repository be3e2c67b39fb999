import { Budget } from "../client/budget";
import { CallCore } from "../client/call";
import { connectSide } from "../client/sdk";
import { type Config, readConfig } from "../config";
import { readAssistantTools, saveAssistantTools } from "../db/assistants";
import { createDb, type Database } from "../db/client";
import type { ThreadRow } from "../db/schema";
import type { DiscoveryDeps } from "../backfill/thread-discovery";
import type { IngestDeps } from "../ingest/ingest";
import type { FilesDeps } from "../files/vector-store";
import type { Connection, MigrationDeps } from "../migration/engine";
import type { Invocation } from "../migration/follow-ups";
import type { PreviewDeps } from "../migration/preview";
import type { ReadOptions } from "../migration/reader";
import { type LanePermits, Pacing, UNPACED } from "../pacing/permits";
import { migrationsQueue } from "../queue/messages";
import { type AssistantToolsCache, AssistantsApi } from "../source/assistants-api";
import { ExportSource } from "../source/export-source";
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
  return {
    source: new AssistantsApi(side(config, "source", budget, permits, fence), tools),
    target: new OpenAITarget(side(config, "target", budget, permits, fence)),
  };
}

/** One side's client, over a call core that spends `budget`, passes `fence` first and takes the side's permits when it is paced. */
const side = (config: Config, name: keyof LanePermits, budget: Budget, permits: LanePermits, fence?: () => Promise<void>) =>
  connectSide(config[name], config.requestTimeoutMs, new CallCore(budget, fence, permits[name]), permits[name]?.fetch);

/**
 * An exported thread is read from the EXPORTS bucket (contract §6.2), within the same budget and
 * behind the same fence; its files were never on the target's host, so each one a message names is
 * checked there, as for a cross-host source (contract §6.1).
 */
function connectExport(env: Env, budget: Budget, permits: LanePermits, row: ThreadRow, fence: () => Promise<void> = async () => {}): Required<Connection> {
  if (!row.exportLocation) throw new Error(`thread ${row.threadId} is an export thread without a location`);
  const config = readConfig(env);
  return {
    source: new ExportSource(env.EXPORTS, row.threadId, row.exportLocation, budget, fence),
    target: new OpenAITarget(side(config, "target", budget, permits, fence)),
    reading: { toolCalls: config.toolCalls, filesElsewhere: true },
  };
}

/** The source's files live on another host than the target's: each one is looked for on the target before it is named or copied (contract §6.1). */
const filesElsewhere = (config: Config) => new URL(config.source.baseUrl).host !== new URL(config.target.baseUrl).host;

const readingOptions = (config: Config): ReadOptions => ({ toolCalls: config.toolCalls, filesElsewhere: filesElsewhere(config) });

/** Each assistant's tools, read once and kept in D1 (MIGRATE_TOOL_CALLS=auto). */
const assistantTools = (db: Database): AssistantToolsCache => ({
  get: (id) => readAssistantTools(db, id),
  set: (id, tools) => saveAssistantTools(db, id, tools, Date.now()),
});

export function migrationDeps(env: Env, budget: Budget, permits: LanePermits = UNPACED): MigrationDeps {
  const config = readConfig(env);
  return {
    db: createDb(env.DB),
    connect: (row, fence) => (row.source === "export" ? connectExport(env, budget, permits, row, fence) : connect(env, budget, permits, fence)),
    budget,
    requestTimeoutMs: config.requestTimeoutMs,
    orphanSafeCreate: config.orphanSafeCreate,
    reading: readingOptions(config),
  };
}

/** A dry run reads what ferry knows of assistants but records nothing (contract §7.3); an exported thread (`row`) is read from its export. */
export function previewDeps(env: Env, budget: Budget, permits: LanePermits, row?: ThreadRow): PreviewDeps {
  const config = readConfig(env);
  if (row?.source === "export") return { ...connectExport(env, budget, permits, row), budget, orphanSafeCreate: config.orphanSafeCreate };
  const known = assistantTools(createDb(env.DB));
  return { ...connect(env, budget, permits, undefined, { get: known.get, set: async () => {} }), budget, reading: readingOptions(config), orphanSafeCreate: config.orphanSafeCreate };
}

export function filesDeps(env: Env, budget: Budget, permits: LanePermits): FilesDeps {
  const { source, target } = connect(env, budget, permits);
  return { db: createDb(env.DB), budget, source, target, filesElsewhere: filesElsewhere(readConfig(env)), now: Date.now };
}

export function ingestDeps(env: Env, budget: Budget): IngestDeps {
  return { db: createDb(env.DB), bucket: env.EXPORTS, queue: migrationsQueue(env), budget, now: Date.now };
}

export function discoveryDeps(env: Env, budget: Budget, permits: LanePermits = UNPACED): DiscoveryDeps {
  return { db: createDb(env.DB), source: connect(env, budget, permits).source, sourceKey: sourceKey(env), now: Date.now };
}

/** Which source this deployment reads: each source's thread listing is kept apart (a changed ASSISTANTS_BASE_URL lists anew). */
export const sourceKey = (env: Env): string => readConfig(env).source.baseUrl;
