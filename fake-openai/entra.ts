// Microsoft Entra's client-credentials token endpoint (`POST /{tenant}/oauth2/v2.0/token`), with
// the apps it knows, the tokens it issued, and its error bodies as Entra writes them. The Azure
// layouts (azure.ts) accept only tokens issued here. Control: register an app, revoke its secret,
// expire issued tokens early.

import { randomBytes, randomUUID } from "node:crypto";
import { ApiError } from "./errors";
import { route, type Route } from "./routes";

export interface EntraAppSpec {
  tenant: string;
  client_id: string;
  secret: string;
  /** Seconds a token lives (`expires_in`); Entra issues about an hour: default 3599. */
  token_lifetime_s?: number;
}

interface IssuedToken {
  clientId: string;
  scope: string;
  expiresAt: number;
}

/** Why an API rejects a token. */
export type TokenProblem = "missing" | "invalid" | "expired" | "audience";

/**
 * An Entra error, in Entra's body: `error`, `error_description` (its AADSTS code, then trace and
 * correlation ids and a timestamp), `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
 * `error_uri` (Microsoft Learn: "Microsoft identity platform and the OAuth 2.0 client credentials flow").
 */
export class EntraError extends ApiError {
  constructor(
    status: 400 | 401,
    private readonly error: string,
    private readonly aadsts: number,
    description: string,
  ) {
    super(status, description);
  }

  override toBody() {
    const trace = randomUUID();
    const correlation = randomUUID();
    const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.message} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

export class EntraStore {
  private apps = new Map<string, EntraAppSpec & { revoked: boolean }>();
  private tokens = new Map<string, IssuedToken>();
  /** API calls still accepted before every token issued by then stops being accepted (control `expire`). */
  private callsUntilExpiry: number | null = null;

  register(spec: EntraAppSpec): void {
    for (const k of ["tenant", "client_id", "secret"] as const) {
      if (typeof spec?.[k] !== "string" || !spec[k]) throw new ApiError(400, `Missing '${k}'.`);
    }
    this.apps.set(spec.client_id, { ...spec, revoked: false });
  }

  /** The app's secret no longer works (deleted in the portal); tokens already issued live on until they expire. */
  revoke(clientId: string): void {
    const app = this.apps.get(clientId);
    if (!app) throw new ApiError(404, `No app '${clientId}'.`);
    app.revoked = true;
  }

  /**
   * After `afterCalls` more accepted API calls (0: now), every token issued by then stops being
   * accepted, as tokens expired or revoked early would; tokens issued later work.
   */
  expire(afterCalls = 0): void {
    this.callsUntilExpiry = afterCalls;
    if (afterCalls <= 0) this.expireIssued();
  }

  private expireIssued(): void {
    for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, Date.now());
    this.callsUntilExpiry = null;
  }

  /** A token request as the endpoint receives it (form fields), answered as Entra does. */
  issue(tenant: string, form: URLSearchParams) {
    const grant = form.get("grant_type");
    if (grant !== "client_credentials") {
      throw new EntraError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
    }
    const clientId = form.get("client_id") ?? "";
    const app = this.apps.get(clientId);
    if (![...this.apps.values()].some((a) => a.tenant === tenant)) {
      throw new EntraError(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (!app || app.tenant !== tenant) {
      throw new EntraError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
    }
    if (app.revoked || form.get("client_secret") !== app.secret) {
      throw new EntraError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = form.get("scope") ?? "";
    if (!/^\S+\/\.default$/.test(scope)) {
      throw new EntraError(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const lifetime = app.token_lifetime_s ?? 3599;
    const token = `eyJ0eXAiOiJKV1QifQ.${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { clientId, scope, expiresAt: Date.now() + lifetime * 1000 });
    return { token_type: "Bearer", expires_in: lifetime, ext_expires_in: lifetime, access_token: token };
  }

  /** Checks a bearer token an API received for one of `scopes`; null when it is accepted. */
  check(token: string | null, scopes: readonly string[]): TokenProblem | null {
    if (!token) return "missing";
    const t = this.tokens.get(token);
    if (!t) return "invalid";
    if (Date.now() >= t.expiresAt) return "expired";
    if (!scopes.includes(t.scope)) return "audience";
    if (this.callsUntilExpiry !== null && --this.callsUntilExpiry <= 0) this.expireIssued();
    return null;
  }

  snapshot() {
    return {
      apps: [...this.apps.values()],
      tokens: [...this.tokens].map(([token, t]) => ({ token, client_id: t.clientId, scope: t.scope, expires_at: t.expiresAt })),
    };
  }
}

export const entraRoutes: Route[] = [
  route("POST", "/{tenant}/oauth2/v2.0/token", (c) => c.state.entra.issue(c.params.tenant, new URLSearchParams(c.raw))),

  route("POST", "/__control/entra/apps", (c) => {
    c.state.entra.register(c.body() as unknown as EntraAppSpec);
    return { ok: true };
  }),
  route("POST", "/__control/entra/apps/{client_id}/revoke", (c) => {
    c.state.entra.revoke(c.params.client_id);
    return { ok: true };
  }),
  route("POST", "/__control/entra/expire", (c) => {
    c.state.entra.expire(c.body().after_calls as number | undefined);
    return { ok: true };
  }),
  route("GET", "/__control/entra", (c) => c.state.entra.snapshot()),
];
