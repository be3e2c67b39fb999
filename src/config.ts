/** One side of a migration: where ferry reads threads from (source) or writes conversations to (target). */
export interface SideConfig {
  baseUrl: string;
  apiKey: string;
}

/** Runtime settings read from the Worker's vars and secrets (contract §1), with their defaults. */
export interface Config {
  target: SideConfig;
  source: SideConfig;
  shutdownAt: Date;
  apiToken: string;
  webhookSecret: string;
  /** Subrequests a POST /migrate may spend before handing the thread to the queue. */
  inlineBudget: number;
  /** Subrequests one queue message may spend before handing over from its checkpoint. */
  queueBudget: number;
  /** Queue messages of one batch migrated at the same time. */
  queueConcurrency: number;
  /** Per-call timeout; a lease always outlives it, so a stale holder's write cannot land after a takeover. */
  requestTimeoutMs: number;
}

/** Optional tuning vars that are not part of the contract's table. */
interface TuningVars {
  INLINE_SUBREQUEST_BUDGET?: string;
  QUEUE_SUBREQUEST_BUDGET?: string;
  OPENAI_TIMEOUT_MS?: string;
  QUEUE_CONCURRENCY?: string;
}

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_SHUTDOWN_AT = "2026-08-26T00:00:00Z";

export function readConfig(env: Env & TuningVars): Config {
  const target = { baseUrl: env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL, apiKey: env.OPENAI_API_KEY ?? "" };
  const shutdownAt = new Date(env.ASSISTANTS_SHUTDOWN_AT || DEFAULT_SHUTDOWN_AT);
  return {
    target,
    source: { baseUrl: env.ASSISTANTS_BASE_URL || target.baseUrl, apiKey: env.ASSISTANTS_API_KEY || target.apiKey },
    shutdownAt: Number.isNaN(shutdownAt.getTime()) ? new Date(DEFAULT_SHUTDOWN_AT) : shutdownAt,
    apiToken: env.API_TOKEN ?? "",
    webhookSecret: env.WEBHOOK_SECRET ?? "",
    inlineBudget: positiveInt(env.INLINE_SUBREQUEST_BUDGET, 45),
    queueBudget: positiveInt(env.QUEUE_SUBREQUEST_BUDGET, 900),
    queueConcurrency: positiveInt(env.QUEUE_CONCURRENCY, 6),
    requestTimeoutMs: positiveInt(env.OPENAI_TIMEOUT_MS, 20_000),
  };
}

function positiveInt(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
