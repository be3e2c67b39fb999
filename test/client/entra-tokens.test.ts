// Contract §6.1: a token is kept until 5 minutes before it expires, then fetched anew; a refusal
// is not asked again by every call behind it. Time is moved with Date.now, the clock ferry reads.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Budget } from "../../src/client/budget";
import { CallCore } from "../../src/client/call";
import { EntraTokens } from "../../src/client/entra";
import { EntraRefused } from "../../src/client/errors";
import { AZURE_ROUTES, entra, entraAppConfig, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";

const SCOPE = "https://ai.azure.com/.default";

beforeEach(() => fake.reset());
afterEach(() => vi.restoreAllMocks());

const fetches = async () => (await fake.calls()).byRoute[AZURE_ROUTES.token] ?? 0;
const at = (ms: number) => vi.spyOn(Date, "now").mockReturnValue(ms);

it("keeps an hour-long token until 5 minutes before it expires", async () => {
  const app = await registerEntraApp(3600);
  const tokens = new EntraTokens(entraAppConfig(app), SCOPE, 1500);
  const core = new CallCore(new Budget(100));
  const t0 = Date.now();
  at(t0);
  const first = await tokens.get(core);
  at(t0 + 55 * 60_000 - 1_000);
  expect(await tokens.get(core)).toBe(first);
  expect(await fetches()).toBe(1);
  at(t0 + 55 * 60_000 + 1_000);
  expect(await tokens.get(core)).not.toBe(first);
  expect(await fetches()).toBe(2);
});

it("callers that need a token at once share one fetch, and it spends the invocation's budget once", async () => {
  const app = await registerEntraApp();
  const tokens = new EntraTokens(entraAppConfig(app), SCOPE, 1500);
  const budget = new Budget(1);
  const got = await Promise.all(Array.from({ length: 6 }, () => tokens.get(new CallCore(budget))));
  expect(new Set(got).size).toBe(1);
  expect(await fetches()).toBe(1);
  expect(budget.canAfford(1)).toBe(false);
});

it("a refused secret is asked once: the calls behind it get the same refusal", async () => {
  const app = await registerEntraApp();
  await entra.revoke(app);
  const tokens = new EntraTokens(entraAppConfig(app), SCOPE, 1500);
  const core = new CallCore(new Budget(100));
  for (let i = 0; i < 3; i++) {
    const err = await tokens.get(core).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EntraRefused);
    expect(err).toMatchObject({ status: 401, code: "invalid_client", message: expect.stringContaining("AADSTS7000215") });
  }
  expect(await fetches()).toBe(1);
});

it("a 401 drops only the token the refused call carried", async () => {
  const app = await registerEntraApp();
  const tokens = new EntraTokens(entraAppConfig(app), SCOPE, 1500);
  const core = new CallCore(new Budget(100));
  const old = await tokens.get(core);
  const carried = tokens.generation();
  expect(tokens.refused(carried)).toBe(true);
  const renewed = await tokens.get(core);
  expect(renewed).not.toBe(old);
  // A second call that carried the old token meets its 401 late: the new token stays.
  tokens.refused(carried);
  expect(await tokens.get(core)).toBe(renewed);
  expect(await fetches()).toBe(2);
});
