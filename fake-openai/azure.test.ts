// The Azure layouts and the Entra token endpoint must reject what the real hosts reject, in their
// words and shapes; these tests pin that (ferry's own tests rely on it).
import { beforeEach, describe, expect, inject, it } from "vitest";
import { call, ctl } from "./http-client";

const TENANT = "contoso.onmicrosoft.com";
const CLIENT = "3f1c2b7a-0d4e-4a5b-9c6d-7e8f9a0b1c2d";
const SECRET = "fake-client-secret-value";
const FOUNDRY_SCOPE = "https://ai.azure.com/.default";

const tokenRequest = (fields: Record<string, string>) =>
  // A form body, not JSON: fetched here rather than through http-client's `call`.
  fetch(`${inject("fakeOpenAIUrl")}/${fields.tenant ?? TENANT}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT, client_secret: SECRET, scope: FOUNDRY_SCOPE, ...fields }),
  });
const token = async (scope = FOUNDRY_SCOPE) => ((await (await tokenRequest({ scope })).json()) as { access_token: string }).access_token;
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

beforeEach(async () => {
  await ctl("POST", "/reset");
  await ctl("POST", "/entra/apps", { tenant: TENANT, client_id: CLIENT, secret: SECRET });
});

describe("Entra token endpoint", () => {
  it("issues a bearer token with expires_in for the app's secret", async () => {
    const res = await tokenRequest({});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: expect.any(String) });
  });

  it("answers a wrong or revoked secret with 401 invalid_client, as Entra writes it", async () => {
    const wrong = await tokenRequest({ client_secret: "not-it" });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: "invalid_client", error_codes: [7000215], error_uri: "https://login.microsoftonline.com/error?code=7000215" });
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\..*Trace ID: .*Correlation ID: .*Timestamp: /);
    expect(Object.keys(body).sort()).toEqual(["correlation_id", "error", "error_codes", "error_description", "error_uri", "timestamp", "trace_id"]);

    await ctl("POST", `/entra/apps/${CLIENT}/revoke`);
    expect((await tokenRequest({})).status).toBe(401);
  });

  it("answers an unknown tenant, an unknown app and a scope without /.default with 400", async () => {
    const tenant = await tokenRequest({ tenant: "other.onmicrosoft.com" });
    expect([tenant.status, ((await tenant.json()) as { error: string }).error]).toEqual([400, "invalid_request"]);
    const app = await tokenRequest({ client_id: "00000000-0000-0000-0000-000000000000" });
    expect([app.status, ((await app.json()) as { error: string }).error]).toEqual([400, "unauthorized_client"]);
    const scope = await tokenRequest({ scope: "https://ai.azure.com/user.read" });
    expect([scope.status, ((await scope.json()) as { error: string }).error]).toEqual([400, "invalid_scope"]);
  });
});

describe("Foundry project layout", () => {
  const thread = async () => (await ctl("POST", "/threads", { generate: 2 })).id as string;

  it("serves threads, messages and the thread list with an Entra token and api-version", async () => {
    const id = await thread();
    const t = await token();
    const got = await call("GET", `/api/projects/demo/threads/${id}?api-version=2025-05-01`, undefined, bearer(t));
    expect(got.body).toMatchObject({ id, object: "thread" });
    const messages = await call("GET", `/api/projects/demo/threads/${id}/messages?api-version=2025-05-01&order=asc`, undefined, bearer(t));
    expect(messages.body.data).toHaveLength(2);
    const list = await call("GET", "/api/projects/demo/threads?api-version=2025-05-01&order=asc&limit=1", undefined, bearer(t));
    expect(list.body).toMatchObject({ object: "list", data: [{ id }], first_id: id, last_id: id, has_more: false });
  });

  it("rejects a missing or unsupported api-version with 400 in Azure's shape", async () => {
    const id = await thread();
    const t = await token();
    const missing = await call("GET", `/api/projects/demo/threads/${id}`, undefined, bearer(t));
    expect([missing.status, missing.body]).toEqual([400, { error: { code: "BadRequest", message: "Missing required query parameter: api-version" } }]);
    const wrong = await call("GET", `/api/projects/demo/threads/${id}?api-version=2024-02-15-preview`, undefined, bearer(t));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^Unsupported api version '2024-02-15-preview'\. The supported versions are 'v1', '2025-05-01'/);
  });

  it("takes Entra tokens only: no token, an api-key, a token for another audience or an expired one is a 401", async () => {
    const id = await thread();
    const path = `/api/projects/demo/threads/${id}?api-version=2025-05-01`;
    const rejected = { error: { code: "401", message: "Unauthorized. Access token is missing, invalid, audience is incorrect (https://ai.azure.com), or have expired." } };
    expect(await call("GET", path)).toMatchObject({ status: 401, body: rejected });
    expect(await call("GET", path, undefined, { "api-key": "sk-test" })).toMatchObject({ status: 401, body: rejected });
    expect(await call("GET", path, undefined, bearer(await token("https://cognitiveservices.azure.com/.default")))).toMatchObject({ status: 401 });
    const t = await token();
    await ctl("POST", "/entra/expire", { after_calls: 1 });
    expect((await call("GET", path, undefined, bearer(t))).status).toBe(200);
    expect(await call("GET", path, undefined, bearer(t))).toMatchObject({ status: 401, body: rejected });
  });

  it("answers Azure's 404 for a route it does not serve, v1 file lists included", async () => {
    const t = await token();
    const res = await call("GET", "/api/projects/demo/assistants/asst_x/files?api-version=2025-05-01", undefined, bearer(t));
    expect([res.status, res.body]).toEqual([404, { error: { code: "404", message: "Resource not found" } }]);
  });
});

describe("Azure OpenAI layouts", () => {
  it("the dated API needs an api-version: 404 without one, 400 for an unknown one", async () => {
    const id = (await ctl("POST", "/threads", {})).id as string;
    const key = { "api-key": "sk-test" };
    expect(await call("GET", `/openai/threads/${id}`, undefined, key)).toMatchObject({ status: 404, body: { error: { code: "404", message: "Resource not found" } } });
    expect(await call("GET", `/openai/threads/${id}?api-version=2023-05-15`, undefined, key)).toMatchObject({
      status: 400,
      body: { error: { code: "BadRequest", message: "API version not supported" } },
    });
    expect((await call("GET", `/openai/threads/${id}?api-version=2024-05-01-preview`, undefined, key)).body).toMatchObject({ id });
  });

  it("the v1 API serves conversations with an api-key or an Entra token, no api-version needed", async () => {
    const created = await call("POST", "/openai/v1/conversations", { items: [] }, { "api-key": "sk-test" });
    expect(created.status).toBe(200);
    expect((await call("GET", `/openai/v1/conversations/${created.body.id}`, undefined, bearer(await token()))).status).toBe(200);
    const badKey = await call("GET", `/openai/v1/conversations/${created.body.id}`, undefined, { "api-key": "nope" });
    expect(badKey.status).toBe(401);
    expect(badKey.body.error.message).toMatch(/^Access denied due to invalid subscription key or wrong API endpoint/);
  });

  it("OpenAI refuses to list threads to a secret key", async () => {
    const res = await call("GET", "/v1/threads", undefined, { Authorization: "Bearer sk-test", "OpenAI-Beta": "assistants=v2" });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "missing_scope", message: expect.stringContaining("must be made with a session key") });
  });
});
