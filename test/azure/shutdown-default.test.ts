// Contract §6.1: ASSISTANTS_SHUTDOWN_AT's default follows the source — 2027-03-31 for a Foundry
// project endpoint, 2026-08-26 otherwise — and the status projection counts down to it.
import { expect, it } from "vitest";
import { api } from "../support/ferry";

const FOUNDRY = {
  ASSISTANTS_BASE_URL: "https://contoso.services.ai.azure.com/api/projects/support",
  ASSISTANTS_API_VERSION: "2025-05-01",
  ASSISTANTS_AUTH: "entra",
  AZURE_TENANT_ID: "contoso.onmicrosoft.com",
  AZURE_CLIENT_ID: "3f1c2b7a-0d4e-4a5b-9c6d-7e8f9a0b1c2d",
  AZURE_CLIENT_SECRET: "never-used-here",
};

const status = async (env: Record<string, string>) =>
  (await (await api("/v1/status", { env })).json()) as { shutdown_at: string; seconds_until_shutdown: number; source: { base_url: string } };

it("a Foundry project source counts down to 2027-03-31; any other source to 2026-08-26; a set value wins", async () => {
  const foundry = await status(FOUNDRY);
  expect(foundry.shutdown_at).toBe("2027-03-31T00:00:00.000Z");
  expect(Math.abs(foundry.seconds_until_shutdown - (Date.UTC(2027, 2, 31) - Date.now()) / 1000)).toBeLessThan(5);
  expect(foundry.source.base_url).toBe(FOUNDRY.ASSISTANTS_BASE_URL);

  expect((await status({})).shutdown_at).toBe("2026-08-26T00:00:00.000Z");
  expect((await status({ ASSISTANTS_BASE_URL: "https://contoso.openai.azure.com/openai/v1" })).shutdown_at).toBe("2026-08-26T00:00:00.000Z");
  expect((await status({ ...FOUNDRY, ASSISTANTS_SHUTDOWN_AT: "2027-01-15" })).shutdown_at).toBe("2027-01-15T00:00:00.000Z");
});
