// Contract §1: a bad value is refused loudly — /healthz answers 503 naming the variable, and no
// migration runs — never a silent default. Lookups keep answering meanwhile.
import { createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { createExecutionContext } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { consumeMigrations } from "../src/handlers/queue";
import { fake } from "./support/fake";
import { api, migrate, stateSnapshot, uniqueThreadId } from "./support/ferry";

beforeEach(() => fake.reset());

/** An Entra app whose every part is fine, for the rows that refuse one of them. */
const entraApp = { ASSISTANTS_AUTH: "entra", AZURE_TENANT_ID: "contoso.onmicrosoft.com", AZURE_CLIENT_ID: "3f1c2b7a-0d4e-4a5b-9c6d-7e8f9a0b1c2d", AZURE_CLIENT_SECRET: "s" };

const refused: [variable: string, value: string, context?: Record<string, string>][] = [
  ["ASSISTANTS_SHUTDOWN_AT", "next spring"],
  ["ASSISTANTS_SHUTDOWN_AT", "2026-13-45"],
  ["OPENAI_BASE_URL", "api.openai.com/v1"],
  ["ASSISTANTS_BASE_URL", "ftp://example.com"],
  ["ORPHAN_SAFE_CREATE", "yes"],
  ["MIGRATE_TOOL_CALLS", "sometimes"],
  ["INLINE_SUBREQUEST_BUDGET", "0"],
  ["QUEUE_SUBREQUEST_BUDGET", "-5"],
  ["QUEUE_CONCURRENCY", "1.5"],
  ["OPENAI_TIMEOUT_MS", "soon"],
  ["ASSISTANTS_AUTH", "oauth"],
  ["OPENAI_AUTH", "basic"],
  ["ASSISTANTS_API_VERSION", "2025-05-01&x=1"],
  ["OPENAI_API_VERSION", "v 1"],
  // A Foundry project endpoint answers nothing without an api-version.
  ["ASSISTANTS_API_VERSION", "", { ASSISTANTS_BASE_URL: "https://contoso.services.ai.azure.com/api/projects/support" }],
  ["OPENAI_API_KEY", "", { OPENAI_AUTH: "api-key" }],
  ["AZURE_TENANT_ID", "", { ...entraApp }],
  ["AZURE_TENANT_ID", "contoso tenant", { ...entraApp }],
  ["AZURE_CLIENT_ID", "", { ...entraApp }],
  ["AZURE_CLIENT_ID", "my-app", { ...entraApp }],
  ["AZURE_CLIENT_SECRET", "", { ...entraApp }],
  ["ENTRA_AUTHORITY", "login.microsoftonline.com"],
  ["ASSISTANTS_ENTRA_SCOPE", "https://ai.azure.com/user.read"],
  ["OPENAI_ENTRA_SCOPE", "ai.azure.com"],
  ["OPENAI_MAX_RPM", "0"],
  ["ASSISTANTS_MAX_RPM", "-60"],
  ["OPENAI_MAX_RPM", "many"],
  ["BACKFILL_SHARE", "0"],
  ["BACKFILL_SHARE", "1.2"],
  ["BACKFILL_SHARE", "most"],
];

it.each(refused)("%s=%j → /healthz 503 naming it, no migration runs", async (variable, value, context = {}) => {
  const vars = { ...context, [variable]: value };
  const health = await api("/healthz", { token: null, env: vars });
  expect(health.status).toBe(503);
  const { error } = (await health.json()) as { error: { code: string; param: string; message: string } };
  expect(error).toMatchObject({ code: "config_invalid", param: variable });
  expect(error.message).toContain(value);

  const threadId = await fake.createThread({ id: uniqueThreadId("cfg"), generate: 3 });
  await fake.clearCalls();
  const before = await stateSnapshot();
  const res = await api(`/v1/threads/${threadId}/migrate`, { method: "POST", env: vars });
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: { param: string } }).error.param).toBe(variable);
  expect(await stateSnapshot()).toEqual(before);
  expect((await fake.calls()).total).toBe(0);
});

it("the queue consumer runs no migration under a refused setting and keeps every message for later", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("cfgq"), generate: 3 });
  await fake.clearCalls();
  const batch = createMessageBatch("ferry-migrations", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { type: "migrate_thread", thread_id: threadId } }]);
  const ctx = createExecutionContext();
  await consumeMigrations(batch, { ...env, ASSISTANTS_SHUTDOWN_AT: "tomorrow" });
  const result = await getQueueResult(batch, ctx);
  expect(result.retryBatch).toMatchObject({ retry: true });
  expect(result.explicitAcks).toEqual([]);
  expect((await fake.calls()).total).toBe(0);
});

it("lookups keep answering while a setting is refused", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("cfgl"), generate: 2 });
  expect((await migrate(threadId)).body.status).toBe("migrated");
  const res = await api(`/v1/threads/${threadId}`, { env: { ASSISTANTS_SHUTDOWN_AT: "never" } });
  expect(res.status).toBe(200);
});

it("a good configuration is healthy", async () => {
  expect((await api("/healthz", { token: null, env: { ASSISTANTS_SHUTDOWN_AT: "2027-03-31T00:00:00Z", ORPHAN_SAFE_CREATE: "true", OPENAI_MAX_RPM: "500", BACKFILL_SHARE: "1" } })).status).toBe(200);
});
