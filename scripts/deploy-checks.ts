// What `npm run deploy` checks before `wrangler deploy` (README "Deploy to Cloudflare"): that
// wrangler.toml names real resources, and that every secret the configured sides need is set
// on the Worker. Pure functions of wrangler.toml's text and `wrangler secret list`'s output.
import { parse } from "smol-toml";

/** The D1 id wrangler.toml ships with, for local runs and the dry-run build. */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-0000-0000-000000000000";

interface WranglerToml {
  vars?: Record<string, unknown>;
  d1_databases?: { binding?: string; database_id?: string }[];
}

/** What in wrangler.toml still has to be filled in before a deploy. */
export function placeholders(tomlText: string): string[] {
  const toml = parse(tomlText) as WranglerToml;
  return (toml.d1_databases ?? [])
    .filter((db) => !db.database_id || db.database_id === PLACEHOLDER_DATABASE_ID)
    .map((db) => `wrangler.toml: [[d1_databases]] ${db.binding ?? "?"} still has database_id "${db.database_id ?? ""}": put the id \`wrangler d1 create ferry\` printed there`);
}

/** A secret ferry needs, satisfied by any one of `anyOf`. */
export interface SecretNeed {
  anyOf: string[];
  why: string;
}

/** The secrets the settings in wrangler.toml's [vars] need (src/config.ts reads them the same way). */
export function requiredSecrets(tomlText: string): SecretNeed[] {
  const vars = (parse(tomlText) as WranglerToml).vars ?? {};
  const auth = (name: string) => String(vars[name] ?? "bearer");
  const needs: SecretNeed[] = [
    { anyOf: ["API_TOKEN"], why: "every /v1/* call (and `npx ferry`) authenticates with it" },
    { anyOf: ["WEBHOOK_SECRET"], why: "signed thread.accessed webhooks are verified with it" },
  ];
  const sides = [
    { auth: auth("OPENAI_AUTH"), keys: ["OPENAI_API_KEY"], name: "the target (OPENAI_AUTH)" },
    { auth: auth("ASSISTANTS_AUTH"), keys: ["ASSISTANTS_API_KEY", "OPENAI_API_KEY"], name: "the source (ASSISTANTS_AUTH)" },
  ];
  for (const side of sides) {
    if (side.auth !== "entra") needs.push({ anyOf: side.keys, why: `${side.name} authenticates with an API key` });
  }
  const entra = sides.filter((s) => s.auth === "entra").map((s) => s.name);
  if (entra.length) {
    for (const name of ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"]) needs.push({ anyOf: [name], why: `${entra.join(" and ")} uses Entra` });
  }
  return needs;
}

/** The names in `wrangler secret list --format json`'s output. */
export function listedSecrets(output: string): Set<string> {
  return new Set((JSON.parse(output) as { name: string }[]).map((s) => s.name));
}

/** One line for each need no listed secret meets, saying how to set it. */
export function missingSecrets(needs: SecretNeed[], listed: Set<string>): string[] {
  return needs
    .filter((need) => !need.anyOf.some((name) => listed.has(name)))
    .map((need) => `secret ${need.anyOf.join(" (or ")}${need.anyOf.length > 1 ? ")" : ""} is not set (${need.why}): npx wrangler secret put ${need.anyOf[0]}`);
}

/** The line of a failed wrangler command's stderr that says why (its ERROR line), without colour. */
export function wranglerError(stderr: string): string {
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => l.includes("[ERROR]")) ?? lines.find((l) => !l.includes("Logs were written")) ?? "no output").replace(/^✘ \[ERROR\] /, "");
}
