export const AUTH_MODES = ["bearer", "api-key", "entra"] as const;
/**
 * How a side proves who ferry is: `bearer` is OpenAI's `Authorization: Bearer <key>` (OpenAI and
 * OpenAI-compatible hosts), `api-key` Azure's `api-key: <key>` header, `entra` a Microsoft Entra
 * token from the app in `EntraApp` (contract §6.1).
 */
export type AuthMode = (typeof AUTH_MODES)[number];

/** One side of a migration: where ferry reads threads from (source) or writes conversations to (target). */
export interface SideConfig {
  baseUrl: string;
  auth: AuthMode;
  /** The key for `bearer` and `api-key` auth; unused with Entra. */
  apiKey: string;
  /** Sent as the `api-version` query parameter on every call to this side (Azure), when set. */
  apiVersion: string | null;
  /** With `entra`: the app, and the scope its tokens are asked for. */
  entra: { app: EntraApp; scope: string } | null;
}

/** The Microsoft Entra app (client credentials) a side with `entra` auth uses. */
export interface EntraApp {
  /** Token endpoint host: `<authority>/<tenant>/oauth2/v2.0/token`. */
  authority: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
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
  /** The largest export `POST /v1/exports` takes: the platform's request size for the account's plan. */
  exportUploadMaxBytes: number;
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

/** Optional vars that `wrangler types` does not see (they have no default in wrangler.toml or .dev.vars.example). */
export interface OptionalVars {
  ASSISTANTS_AUTH?: string;
  OPENAI_AUTH?: string;
  ASSISTANTS_API_VERSION?: string;
  OPENAI_API_VERSION?: string;
  ENTRA_AUTHORITY?: string;
  ASSISTANTS_ENTRA_SCOPE?: string;
  OPENAI_ENTRA_SCOPE?: string;
  ORPHAN_SAFE_CREATE?: string;
  MIGRATE_TOOL_CALLS?: string;
  INLINE_SUBREQUEST_BUDGET?: string;
  QUEUE_SUBREQUEST_BUDGET?: string;
  OPENAI_TIMEOUT_MS?: string;
  QUEUE_CONCURRENCY?: string;
  EXPORT_UPLOAD_MAX_BYTES?: string;
  OPENAI_MAX_RPM?: string;
  ASSISTANTS_MAX_RPM?: string;
  BACKFILL_SHARE?: string;
}
type Vars = Env & OptionalVars;

export const DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_ENTRA_AUTHORITY = "https://login.microsoftonline.com";
/** Foundry's documented token scope (Microsoft Learn: Foundry REST API reference, "Authentication"). */
export const DEFAULT_ENTRA_SCOPE = "https://ai.azure.com/.default";
/** When the source goes away unless ASSISTANTS_SHUTDOWN_AT says otherwise (contract §6.1). */
export const SHUTDOWN_DEFAULTS = {
  /** OpenAI's Assistants API (and Azure OpenAI's, retired the same day). */
  assistants: "2026-08-26T00:00:00Z",
  /** Azure AI Foundry Agent Service classic agents. */
  foundry: "2027-03-31T00:00:00Z",
} as const;

/** `https://<resource>.services.ai.azure.com/api/projects/<project>`: a Foundry project endpoint. */
export const isFoundryProject = (url: string): boolean => {
  const { protocol, hostname, pathname } = new URL(url);
  return protocol === "https:" && hostname.endsWith(".services.ai.azure.com") && /^\/api\/projects\/[^/]+/.test(pathname);
};

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
  const sourceUrl = read.url("ASSISTANTS_BASE_URL", targetUrl);
  const targetKey = env.OPENAI_API_KEY ?? "";
  const entra = new EntraReader(read, env, read.url("ENTRA_AUTHORITY", DEFAULT_ENTRA_AUTHORITY));
  const config: Config = {
    target: side(read, entra, { url: targetUrl, key: [targetKey, "OPENAI_API_KEY"], auth: "OPENAI_AUTH", version: "OPENAI_API_VERSION", scope: "OPENAI_ENTRA_SCOPE" }),
    source: side(read, entra, {
      url: sourceUrl,
      key: env.ASSISTANTS_API_KEY ? [env.ASSISTANTS_API_KEY, "ASSISTANTS_API_KEY"] : [targetKey, "OPENAI_API_KEY"],
      auth: "ASSISTANTS_AUTH",
      version: "ASSISTANTS_API_VERSION",
      scope: "ASSISTANTS_ENTRA_SCOPE",
    }),
    shutdownAt: read.date("ASSISTANTS_SHUTDOWN_AT", isFoundryProject(sourceUrl) ? SHUTDOWN_DEFAULTS.foundry : SHUTDOWN_DEFAULTS.assistants),
    webhookSecret: env.WEBHOOK_SECRET ?? "",
    orphanSafeCreate: read.boolean("ORPHAN_SAFE_CREATE", false),
    toolCalls: read.oneOf("MIGRATE_TOOL_CALLS", TOOL_CALLS_MODES, "auto"),
    inlineBudget: read.positiveInt("INLINE_SUBREQUEST_BUDGET", 45),
    queueBudget: read.positiveInt("QUEUE_SUBREQUEST_BUDGET", 900),
    queueConcurrency: read.positiveInt("QUEUE_CONCURRENCY", 6),
    requestTimeoutMs: read.positiveInt("OPENAI_TIMEOUT_MS", 20_000),
    // 100 MB is what Cloudflare accepts in one request on the Free and Pro plans (Business 200, Enterprise 500).
    exportUploadMaxBytes: read.positiveInt("EXPORT_UPLOAD_MAX_BYTES", 100 * 1000 * 1000),
    pacing: {
      target: read.positiveInt("OPENAI_MAX_RPM", null),
      source: read.positiveInt("ASSISTANTS_MAX_RPM", null),
      backfillShare: read.fraction("BACKFILL_SHARE", 0.8),
    },
  };
  return problems.length ? new ConfigInvalid(problems) : config;
}

type VarName = keyof Vars & string;

interface SideVars {
  url: string;
  /** The key this side would use, and the variable it came from (named when it is missing). */
  key: [value: string, variable: VarName];
  auth: VarName;
  version: VarName;
  scope: VarName;
}

/** One side's settings; `entra` is read (and its secrets required) only when the side uses it. */
function side(read: Reader, entra: EntraReader, vars: SideVars): SideConfig {
  const auth = read.oneOf(vars.auth, AUTH_MODES, "bearer");
  const [apiKey, keyVar] = vars.key;
  if (auth === "api-key" && !apiKey) read.refuse(keyVar, `${vars.auth}=api-key needs the key in ${keyVar}`, null);
  const apiVersion = read.token(vars.version);
  const scope = read.entraScope(vars.scope);
  // Without api-version these hosts answer nothing but 400/404, so a missing one is a setting to fix, not a failed thread.
  if (apiVersion === null && needsApiVersion(vars.url)) read.refuse(vars.version, `${vars.url} needs an api-version (e.g. 2025-05-01 for a Foundry project)`, null);
  return {
    baseUrl: vars.url,
    auth,
    apiKey,
    apiVersion,
    entra: auth === "entra" ? { app: entra.app(vars.auth), scope } : null,
  };
}

/**
 * Foundry project endpoints and Azure OpenAI's dated API (`…/openai`, not `…/openai/v1`) take
 * every call with an api-version only (Microsoft Learn: Foundry REST API reference; Azure OpenAI
 * API version lifecycle).
 */
function needsApiVersion(url: string): boolean {
  const { hostname, pathname } = new URL(url);
  if (isFoundryProject(url)) return true;
  return /\.(openai|cognitiveservices)\.azure\.com$/.test(hostname) && /^\/openai\/?$/.test(pathname);
}

/** The Entra app's secrets, read once and required only when a side uses Entra; each missing one is named. */
class EntraReader {
  private read?: EntraApp;
  constructor(
    private readonly vars: Reader,
    private readonly env: Vars,
    private readonly authority: string,
  ) {}

  app(authVar: string): EntraApp {
    if (!this.read) {
      const need = (name: "AZURE_TENANT_ID" | "AZURE_CLIENT_ID" | "AZURE_CLIENT_SECRET") => {
        const value = this.env[name]?.trim() ?? "";
        if (!value) this.vars.refuse(name, `${authVar}=entra needs the Entra app's ${name}`, null);
        return value;
      };
      this.read = {
        authority: this.authority,
        tenantId: this.vars.check("AZURE_TENANT_ID", need("AZURE_TENANT_ID"), TENANT, "is not a tenant id (a GUID or a domain such as contoso.onmicrosoft.com)"),
        clientId: this.vars.check("AZURE_CLIENT_ID", need("AZURE_CLIENT_ID"), GUID, "is not an application (client) id, a GUID"),
        clientSecret: need("AZURE_CLIENT_SECRET"),
      };
    }
    return this.read;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(\.[a-z0-9-]+)+)$/i;

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

  refuse<T>(variable: string, message: string, fallback: T): T {
    this.problems.push({ variable, message });
    return fallback;
  }

  /** A value already read, checked against a pattern; an empty one was refused by its reader. */
  check(name: VarName, value: string, pattern: RegExp, what: string): string {
    return !value || pattern.test(value) ? value : this.refuse(name, `'${value}' ${what}`, value);
  }

  /** A query-parameter value such as an api-version: letters, digits, dots and dashes, or null when unset. */
  token(name: VarName): string | null {
    const raw = this.raw(name);
    if (raw === undefined) return null;
    return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(raw) ? raw : this.refuse(name, `'${raw}' is not an api-version (e.g. 2025-05-01)`, null);
  }

  /** Client-credentials tokens are asked for a resource's `/.default` scope, never a single permission. */
  entraScope(name: VarName): string {
    const raw = this.raw(name) ?? DEFAULT_ENTRA_SCOPE;
    return /^(https:\/\/|api:\/\/)\S+\/\.default$/.test(raw) && isUrl(raw) ? raw : this.refuse(name, `'${raw}' is not a resource's .default scope (e.g. ${DEFAULT_ENTRA_SCOPE})`, raw);
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
