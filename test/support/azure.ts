// Points ferry at the fake's Azure layouts (fake-openai/azure.ts) for one request or invocation,
// with an Entra app of its own registered at the fake's token endpoint.
import { inject } from "vitest";
import { control } from "./fake";
import type { EnvOverrides } from "./ferry";

const base = () => inject("fakeOpenAIUrl");

export interface EntraApp {
  tenant: string;
  clientId: string;
  secret: string;
}

let n = 0;
/**
 * A new Entra app at the fake. Its own client id keeps ferry's per-isolate token cache apart
 * from every other test's (the cache is keyed by the credentials).
 */
export async function registerEntraApp(tokenLifetimeSeconds?: number): Promise<EntraApp> {
  const suffix = `${Date.now().toString(16).padStart(12, "0").slice(-12)}`;
  const app = {
    tenant: `t${n}${suffix}.onmicrosoft.com`,
    clientId: `00000000-0000-4000-8${String(n++).padStart(3, "0")}-${suffix}`,
    secret: `secret-${crypto.randomUUID()}`,
  };
  await control("POST", "/entra/apps", { tenant: app.tenant, client_id: app.clientId, secret: app.secret, token_lifetime_s: tokenLifetimeSeconds });
  return app;
}

/** The app as ferry's config reads it. */
export const entraAppConfig = (app: EntraApp) => ({ authority: base(), tenantId: app.tenant, clientId: app.clientId, clientSecret: app.secret });

/** The source is a Foundry project (classic agents) read with the app's Entra tokens; the target stays the default. */
export const foundrySource = (app: EntraApp, apiVersion = "2025-05-01"): EnvOverrides => ({
  ASSISTANTS_BASE_URL: `${base()}/api/projects/demo`,
  ASSISTANTS_API_VERSION: apiVersion,
  ASSISTANTS_AUTH: "entra",
  AZURE_TENANT_ID: app.tenant,
  AZURE_CLIENT_ID: app.clientId,
  AZURE_CLIENT_SECRET: app.secret,
  ENTRA_AUTHORITY: base(),
});

export const entra = {
  revoke: (app: EntraApp) => control("POST", `/entra/apps/${app.clientId}/revoke`),
  /** Every issued token stops being accepted after this many more API calls. */
  expire: (afterCalls = 0) => control("POST", "/entra/expire", { after_calls: afterCalls }),
  /** The tokens the fake issued (to look for them where they must never be). */
  tokens: async () => (await control<{ tokens: { token: string; client_id: string }[] }>("GET", "/entra")).tokens,
};

/** Route keys as the fake counts them. */
export const AZURE_ROUTES = {
  token: "POST /{tenant}/oauth2/v2.0/token",
  thread: "GET /api/projects/{project}/threads/{id}",
  messages: "GET /api/projects/{project}/threads/{id}/messages",
  threads: "GET /api/projects/{project}/threads",
  steps: "GET /api/projects/{project}/threads/{id}/runs/{run_id}/steps",
} as const;
