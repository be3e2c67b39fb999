// `npm run deploy`: `wrangler deploy`, once wrangler.toml has no placeholder left and the Worker
// has every secret its settings need; otherwise it says what is missing and deploys nothing.
import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { listedSecrets, missingSecrets, placeholders, requiredSecrets, wranglerError } from "./deploy-checks";
import { wranglerJs } from "./local-ferry";

process.chdir(path.resolve(import.meta.dirname, ".."));
const toml = readFileSync("wrangler.toml", "utf8");
const problems = placeholders(toml);

try {
  const { stdout } = await promisify(execFile)(process.execPath, [wranglerJs, "secret", "list", "--format", "json"], { env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" } });
  problems.push(...missingSecrets(requiredSecrets(toml), listedSecrets(stdout)));
} catch (err) {
  problems.push(`\`wrangler secret list\` failed (${wranglerError((err as { stderr?: string }).stderr ?? (err as Error).message)}): log in with \`npx wrangler login\` (or set CLOUDFLARE_API_TOKEN), and put the secrets first (README "Deploy to Cloudflare")`);
}

if (problems.length) {
  console.error(`npm run deploy: not deploying until these are fixed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
const deploy = spawnSync(process.execPath, [wranglerJs, "deploy", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(deploy.status ?? 1);
