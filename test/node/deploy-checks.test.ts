// `npm run deploy` refuses to deploy while wrangler.toml has its placeholder D1 id or a secret
// the configured sides need is not set (scripts/deploy-checks.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { listedSecrets, missingSecrets, PLACEHOLDER_DATABASE_ID, placeholders, requiredSecrets, wranglerError } from "../../scripts/deploy-checks";

const shipped = readFileSync(path.join(import.meta.dirname, "../../wrangler.toml"), "utf8");
const filledIn = shipped.replace(PLACEHOLDER_DATABASE_ID, "5b1a7c1e-2f0d-4b8e-9a53-1d2c3e4f5a6b");
/** As `wrangler secret list --format json` prints them. */
const secretList = (...names: string[]) => JSON.stringify(names.map((name) => ({ name, type: "secret_text" })));

it("finds the placeholder D1 id wrangler.toml ships with, and nothing once it is filled in", () => {
  expect(placeholders(shipped)).toEqual([expect.stringContaining(`DB still has database_id "${PLACEHOLDER_DATABASE_ID}"`)]);
  expect(placeholders(filledIn)).toEqual([]);
});

it("needs the token, the webhook secret and the OpenAI key for the shipped settings", () => {
  const needs = requiredSecrets(shipped);
  expect(missingSecrets(needs, listedSecrets(secretList("API_TOKEN", "WEBHOOK_SECRET", "OPENAI_API_KEY")))).toEqual([]);
  expect(missingSecrets(needs, listedSecrets(secretList("OPENAI_API_KEY")))).toEqual([
    "secret API_TOKEN is not set (every /v1/* call (and `npx ferry`) authenticates with it): npx wrangler secret put API_TOKEN",
    "secret WEBHOOK_SECRET is not set (signed thread.accessed webhooks are verified with it): npx wrangler secret put WEBHOOK_SECRET",
  ]);
  // The source takes its own key, or the target's.
  expect(missingSecrets(needs, listedSecrets(secretList("API_TOKEN", "WEBHOOK_SECRET")))).toEqual([
    expect.stringContaining("secret OPENAI_API_KEY is not set (the target"),
    expect.stringContaining("secret ASSISTANTS_API_KEY (or OPENAI_API_KEY) is not set (the source"),
  ]);
});

it("needs the Entra app's secrets, and no key, for a side that uses Entra", () => {
  const foundry = filledIn.replace("[vars]\n", '[vars]\nASSISTANTS_AUTH = "entra"\nOPENAI_AUTH = "api-key"\n');
  const missing = missingSecrets(requiredSecrets(foundry), listedSecrets(secretList("API_TOKEN", "WEBHOOK_SECRET", "OPENAI_API_KEY")));
  expect(missing.map((m) => m.split(" is not set")[0])).toEqual(["secret AZURE_TENANT_ID", "secret AZURE_CLIENT_ID", "secret AZURE_CLIENT_SECRET"]);
  expect(missing[0]).toContain("the source (ASSISTANTS_AUTH) uses Entra");
});

it("quotes the ERROR line of a failed wrangler command", () => {
  const stderr = "\n\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1mIn a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN\u001b[0m\n\n🪵  Logs were written to \"/tmp/x.log\"\n";
  expect(wranglerError(stderr)).toBe("In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN");
});
