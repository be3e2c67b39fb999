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
  webhookSecret: string;
  /** ORPHAN_SAFE_CREATE: conversations are created empty and every item is appended. */
  orphanSafeCreate: boolean;
  /** MIGRATE_TOOL_CALLS: whose run steps become tool items (contract §3.1). */
  toolCalls: ToolCallsMode;
  /** Subrequests a POST /migrate may spend before handing the thread to the queue. */
  inlineBudget: number;
  /** Subrequests one queue message may spend before handing over from its checkpoint. */
  queueBudget: number;
  /** Queue messages of one batch migrated at the same time. */
  queueConcurrency: number;
  /** Per-call timeout; a lease always outlives it, so a stale holder's write cannot land after a takeover. */
  requestTimeoutMs: number;
  pacing: PacingConfig;
}

/** Contract §7.1: call permits per side, shared by every invocation. */
export interface PacingConfig {
  /** OPENAI_MAX_RPM / ASSISTANTS_MAX_RPM; null leaves the side unpaced (no pacer is ever asked). */
  target: number | null;
  source: number | null;
  /** BACKFILL_SHARE: the most of a side's rate the backfill may take while lazy work wants the rest. */
  backfillShare: number;
}

export const TOOL_CALLS_MODES = ["auto", "always", "never"] as const;
export type ToolCallsMode = (typeof TOOL_CALLS_MODES)[number];

/** Optional vars that `wrangler types` does not see (they have no default in wrangler.toml). */
export interface OptionalVars {
  ORPHAN_SAFE_CREATE?: string;
  MIGRATE_TOOL_CALLS?: string;
  INLINE_SUBREQUEST_BUDGET?: string;
  QUEUE_SUBREQUEST_BUDGET?: string;
  OPENAI_TIMEOUT_MS?: string;
  QUEUE_CONCURRENCY?: string;
  OPENAI_MAX_RPM?: string;
  ASSISTANTS_MAX_RPM?: string;
  BACKFILL_SHARE?: string;
}
type Vars = Env & OptionalVars;

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_SHUTDOWN_AT = "2026-08-26T00:00:00Z";

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** A var holds a value ferry refuses; nothing migrates until it is fixed (contract §1). */
export class ConfigInvalid extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join("; ")}`);
  }
  get variables(): string {
    return this.problems.map((p) => p.variable).join(", ");
  }
}

const checked = new WeakMap<object, Config | ConfigInvalid>();

/**
 * The configuration, checked once per isolate (per env object). Every bad value is refused loudly —
 * never a silent default: this throws ConfigInvalid naming each variable.
 */
export function readConfig(env: Vars): Config {
  let result = checked.get(env);
  if (!result) {
    result = parse(env);
    checked.set(env, result);
  }
  if (result instanceof ConfigInvalid) throw result;
  return result;
}

/** The API token alone: lookups stay authenticated (and answering) even while other settings are broken. */
export const apiToken = (env: Env): string => env.API_TOKEN ?? "";

function parse(env: Vars): Config | ConfigInvalid {
  const problems: ConfigProblem[] = [];
  const read = new Reader(env, problems);
  const targetUrl = read.url("OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL);
  const target = { baseUrl: targetUrl, apiKey: env.OPENAI_API_KEY ?? "" };
  const config: Config = {
    target,
    source: { baseUrl: read.url("ASSISTANTS_BASE_URL", targetUrl), apiKey: env.ASSISTANTS_API_KEY || target.apiKey },
    shutdownAt: read.date("ASSISTANTS_SHUTDOWN_AT", DEFAULT_SHUTDOWN_AT),
    webhookSecret: env.WEBHOOK_SECRET ?? "",
    orphanSafeCreate: read.boolean("ORPHAN_SAFE_CREATE", false),
    toolCalls: read.oneOf("MIGRATE_TOOL_CALLS", TOOL_CALLS_MODES, "auto"),
    inlineBudget: read.positiveInt("INLINE_SUBREQUEST_BUDGET", 45),
    queueBudget: read.positiveInt("QUEUE_SUBREQUEST_BUDGET", 900),
    queueConcurrency: read.positiveInt("QUEUE_CONCURRENCY", 6),
    requestTimeoutMs: read.positiveInt("OPENAI_TIMEOUT_MS", 20_000),
    pacing: {
      target: read.positiveInt("OPENAI_MAX_RPM", null),
      source: read.positiveInt("ASSISTANTS_MAX_RPM", null),
      backfillShare: read.fraction("BACKFILL_SHARE", 0.8),
    },
  };
  return problems.length ? new ConfigInvalid(problems) : config;
}

/** Reads vars by kind; an unset or empty var takes its default, a bad one is recorded as a problem. */
class Reader {
  constructor(
    private readonly env: Vars,
    private readonly problems: ConfigProblem[],
  ) {}

  private raw(name: keyof Vars): string | undefined {
    const value = this.env[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  }

  private refuse<T>(variable: string, message: string, fallback: T): T {
    this.problems.push({ variable, message });
    return fallback;
  }

  url(name: keyof Vars, fallback: string): string {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    if (!/^https?:\/\/[^/\s]+/.test(raw) || !isUrl(raw)) return this.refuse(name, `'${raw}' is not an http(s) URL`, fallback);
    return raw.replace(/\/+$/, "");
  }

  date(name: keyof Vars, fallback: string): Date {
    const raw = this.raw(name);
    const date = new Date(raw ?? fallback);
    // Only ISO 8601 dates: Date.parse accepts locale-dependent forms that could mean another day.
    if (raw !== undefined && (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(date.getTime()))) {
      return this.refuse(name, `'${raw}' is not an ISO 8601 date (e.g. 2027-03-31T00:00:00Z)`, new Date(fallback));
    }
    return date;
  }

  positiveInt<T extends number | null>(name: keyof Vars, fallback: T): number | T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    return Number.isInteger(n) && n > 0 ? n : this.refuse(name, `'${raw}' is not a positive whole number`, fallback);
  }

  /** A share: more than 0 (none would starve its side), at most 1. */
  fraction(name: keyof Vars, fallback: number): number {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    return n > 0 && n <= 1 ? n : this.refuse(name, `'${raw}' is not a number above 0 and at most 1`, fallback);
  }

  oneOf<T extends string>(name: keyof Vars, allowed: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    return (allowed as readonly string[]).includes(raw) ? (raw as T) : this.refuse(name, `'${raw}' is not one of ${allowed.join(", ")}`, fallback);
  }

  boolean(name: keyof Vars, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === "true" || raw === "false") return raw === "true";
    return this.refuse(name, `'${raw}' is neither true nor false`, fallback);
  }
}

function isUrl(raw: string): boolean {
  try {
    new URL(raw);
    return true;
  } catch {
    return false;
  }
}
