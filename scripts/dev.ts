// `npm run dev`: ferry on this machine with no OpenAI account. Starts the fake OpenAI (demo
// data), applies the D1 migrations locally, runs `wrangler dev` against the fake, waits for
// /healthz and prints curl lines to try. `--demo` also migrates the demo threads. Ctrl-C stops all.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { DEMO_THREAD_IDS, startFakeOpenAI, type FakeOpenAI } from "../fake-openai/index";
import type { ThreadMigration } from "../src/handlers/http/schemas";
import { DEMO_WEBHOOK_SECRET } from "./demo-secrets";
import { applyMigrations, fakeVars, portFree, startWranglerDev, stopAll } from "./local-ferry";

const HELP = `Usage: npm run dev [-- --demo | --real | --help]

Runs ferry locally (wrangler dev --local) on http://127.0.0.1:8787.

Default: no OpenAI key needed. Starts the fake OpenAI (demo threads, key sk-local-fake) on
127.0.0.1:8788 (or a free port if taken) and points ferry at it with --var overrides, which win over
anything in .dev.vars. The local D1 lives in .wrangler/dev-fake and is wiped on every start,
because the fake's conversations live in memory and vanish when it stops.

  --demo   after start-up, migrate every demo thread through ferry's API and print the results
  --real   talk to the real OpenAI API instead: needs a .dev.vars with OPENAI_API_KEY (copy
           .dev.vars.example). No fake is started and OPENAI_BASE_URL / API keys are not
           overridden; the local D1 is wrangler's usual .wrangler/state and is kept.
           API_TOKEN / WEBHOOK_SECRET default to dev-token / a demo whsec_ if .dev.vars lacks them.
  --help   this text

Ctrl-C (or SIGTERM) stops wrangler, workerd and the fake.`;

const WORKER_PORT = 8787;
const FAKE_PORT = 8788;
const FAKE_KEY = "sk-local-fake";
const DEV_TOKEN = "dev-token";
const FAKE_STATE_DIR = ".wrangler/dev-fake";

const { demo, real, help } = parseCommandLine();
if (help) {
  console.log(HELP);
  process.exit(0);
}
if (real && demo) fail("--demo migrates the fake's demo threads; it cannot be combined with --real");

process.chdir(path.resolve(import.meta.dirname, ".."));

let fake: FakeOpenAI | undefined;
let stopping = false;

for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => void shutdown(sig === "SIGINT" ? 130 : 143));
}
// If our parent (tsx) is killed outright we get no signal; notice being re-parented and clean up.
const parentPid = process.ppid;
setInterval(() => process.ppid !== parentPid && void shutdown(143), 1000).unref();

try {
  await main();
} catch (err) {
  if (!stopping) console.error(`\n[dev] ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}

async function main(): Promise<void> {
  if (!(await portFree(WORKER_PORT))) throw new Error(`port ${WORKER_PORT} is in use (another wrangler dev?); stop it first`);

  const vars: Record<string, string> = {};
  let token = DEV_TOKEN;
  let persistTo: string | undefined;
  if (real) {
    const devVars = readDevVars();
    if (!devVars.OPENAI_API_KEY) throw new Error("--real needs a .dev.vars with OPENAI_API_KEY (copy .dev.vars.example)");
    if (devVars.API_TOKEN) token = devVars.API_TOKEN;
    else vars.API_TOKEN = DEV_TOKEN;
    if (!devVars.WEBHOOK_SECRET) vars.WEBHOOK_SECRET = DEMO_WEBHOOK_SECRET;
  } else {
    fake = await startFakeOpenAI({ port: (await portFree(FAKE_PORT)) ? FAKE_PORT : 0, apiKeys: [FAKE_KEY], seed: "demo" });
    Object.assign(vars, fakeVars(fake.url, FAKE_KEY, DEV_TOKEN));
    persistTo = FAKE_STATE_DIR;
    rmSync(FAKE_STATE_DIR, { recursive: true, force: true });
    console.log(`[dev] fake OpenAI on ${fake.url}/v1 (key ${FAKE_KEY})`);
  }

  console.log("[dev] applying D1 migrations to the local database");
  await applyMigrations({ persistTo });

  const dev = await startWranglerDev({
    port: WORKER_PORT,
    persistTo,
    vars,
    flags: ["--test-scheduled"],
    onSlowStart: () => console.log("[dev] still waiting for /healthz: look above for a build error (wrangler reloads when src/ changes)"),
  });
  dev.child.on("exit", (c, sig) => {
    if (stopping) return;
    console.error(`\n[dev] wrangler dev exited (${sig ?? c}); stopping`);
    void shutdown(c || 1);
  });

  printBanner(dev.url, token);
  if (demo) await runDemo(dev.url, token);
}

function printBanner(base: string, token: string): void {
  const auth = `-H 'Authorization: Bearer ${token}'`;
  const [a, b] = fake ? DEMO_THREAD_IDS : ["thread_YOUR_ID", "thread_OTHER_ID"];
  const lines = [
    "",
    `ferry is up on ${base}  (${fake ? `fake OpenAI at ${fake.url}/v1` : "real OpenAI API, settings from .dev.vars"})`,
    "",
    "# migrate a thread",
    `curl -s -X POST ${base}/v1/threads/${a}/migrate ${auth}`,
    "# look it up (never calls OpenAI)",
    `curl -s ${base}/v1/threads/${a} ${auth}`,
    "# batch lookup (unknown ids come back as status \"unknown\")",
    `curl -s -X POST ${base}/v1/threads/lookup ${auth} -H 'Content-Type: application/json' -d '{"thread_ids":["${a}","${b}","thread_never_seen"]}'`,
    "# upload an export (NDJSON: records, thread.message or transcript lines), then follow its ingestion",
    `curl -s -X POST ${base}/v1/exports ${auth} -H 'Content-Type: application/x-ndjson' --data-binary @export.ndjson`,
    `curl -s ${base}/v1/exports/exp_FROM_THE_ANSWER ${auth}`,
  ];
  if (fake) {
    lines.push(
      "# the conversations the fake OpenAI now holds",
      `curl -s ${fake.url}/__control/conversations`,
      "",
      `demo threads: ${DEMO_THREAD_IDS.join(" ")}`,
    );
  }
  lines.push("Ctrl-C stops everything.", "");
  console.log(lines.join("\n"));
}

/** Migrates each demo thread via the API; a 202 means the queue finishes it, so poll the lookup. */
async function runDemo(base: string, token: string): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  console.log("[dev] --demo: migrating the demo threads through ferry's API");
  for (const id of DEMO_THREAD_IDS) {
    const res = await fetch(`${base}/v1/threads/${id}/migrate`, { method: "POST", headers });
    let body = (await res.json()) as ThreadMigration;
    const deadline = Date.now() + 60_000;
    while (res.status === 202 && ["pending", "migrating"].includes(body.status) && Date.now() < deadline && !stopping) {
      await sleep(1000);
      body = (await (await fetch(`${base}/v1/threads/${id}`, { headers })).json()) as ThreadMigration;
    }
    console.log(
      `[dev] ${id}: HTTP ${res.status} → ${JSON.stringify({
        status: body.status,
        conversation_id: body.conversation_id,
        messages_migrated: body.messages_migrated,
        warnings: body.warnings?.length ?? 0,
      })}`,
    );
  }
  const convs = (await (await fetch(`${fake!.url}/__control/conversations`)).json()) as { data: unknown[] };
  console.log(`[dev] the fake OpenAI now holds ${convs.data.length} conversation(s). Still running; Ctrl-C to stop.`);
}

/** Stops every wrangler process group (TERM, then KILL after 5 s) and the fake, then exits. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log("\n[dev] stopping");
  await stopAll();
  await fake?.close();
  process.exit(code);
}

function readDevVars(): Record<string, string> {
  if (!existsSync(".dev.vars")) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(".dev.vars", "utf8").split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1]!] = m[2]!.replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}

function parseCommandLine() {
  try {
    const options = { demo: { type: "boolean" }, real: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
    return parseArgs({ args: process.argv.slice(2), options }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
}

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}
