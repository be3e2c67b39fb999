// Contract §6.1: keys and tokens never appear in logs, errors, D1 or anything ferry answers. A
// Foundry source (Entra) and an Azure OpenAI v1 target (api-key) migrate a thread, another app's
// secret is refused; then every table, every answer and every log line is searched for them.
import { afterEach, beforeEach, expect, inject, it, vi } from "vitest";
import { entra, foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { api, stateSnapshot, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

const AZURE_KEY = "azure-key-0123456789abcdef0123456789abcdef";

beforeEach(async () => {
  await fake.reset();
  await fake.configure({ apiKeys: ["sk-test", AZURE_KEY] });
});
afterEach(() => vi.restoreAllMocks());

it("no secret, key or token in D1, in ferry's answers or in its logs", async () => {
  const logged: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")));
  }
  const good = await registerEntraApp();
  const revoked = await registerEntraApp();
  await entra.revoke(revoked);
  const azureTarget = { OPENAI_BASE_URL: `${inject("fakeOpenAIUrl")}/openai/v1`, OPENAI_AUTH: "api-key", OPENAI_API_KEY: AZURE_KEY };
  const [ok, refused, queued] = await Promise.all(["ok", "refused", "queued"].map((l) => fake.createThread({ id: uniqueThreadId(`sec_${l}`), generate: 2 })));

  const answers: unknown[] = [];
  const answer = async (path: string, init: Parameters<typeof api>[1] = {}) => answers.push(await (await api(path, init)).json());
  await answer(`/v1/threads/${ok}/migrate`, { method: "POST", env: { ...foundrySource(good), ...azureTarget } });
  await answer(`/v1/threads/${refused}/migrate`, { method: "POST", env: { ...foundrySource(revoked), ...azureTarget } });
  await drainQueue([{ type: "migrate_thread", thread_id: queued! }], { ...foundrySource(revoked), ...azureTarget });
  await answer("/v1/threads/lookup", { method: "POST", json: { thread_ids: [ok, refused, queued] } });
  await answer("/v1/status", { env: { ...foundrySource(good), ...azureTarget } });
  await answer("/healthz", { token: null, env: { ...foundrySource(good), AZURE_CLIENT_ID: "not-a-guid" } });

  expect(answers[0]).toMatchObject({ status: "migrated" });
  expect(answers[1]).toMatchObject({ status: "failed", error: { code: "entra_refused" } });
  const tokens = (await entra.tokens()).map((t) => t.token);
  expect(tokens.length).toBeGreaterThan(0);

  const haystacks = { d1: JSON.stringify(await stateSnapshot()), answers: JSON.stringify(answers), logs: logged.join("\n") };
  for (const needle of [good.secret, revoked.secret, AZURE_KEY, ...tokens]) {
    for (const [where, text] of Object.entries(haystacks)) expect(text.includes(needle), `${needle.slice(0, 12)}… in ${where}`).toBe(false);
  }
});
