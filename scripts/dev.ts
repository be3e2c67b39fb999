// `npm run dev`: ferry on this machine with no OpenAI account. Starts the fake OpenAI (demo
// data), applies the D1 migrations locally, runs `wrangler dev` against the fake, waits for
// /healthz and prints curl lines to try. `--demo` also migrates the demo threads; `--azure`
// reads them from the fake's Azure AI Foundry layout (Entra auth) and writes to its Azure
// OpenAI v1 layout, then shows a backfill discovering and migrating them. Ctrl-C stops all.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { DEMO_THREAD_IDS, startFakeOpenAI, type FakeOpenAI } from "../fake-openai/index";
import type { ThreadMigration } from "../src/handlers/http/schemas";
import type { MigrationStatus } from "../src/handlers/http/schemas";
import { DEMO_ENTRA_APP, DEMO_WEBHOOK_SECRET } from "./demo-secrets";
import { applyMigrations, fakeVars, freePort, portFree, startWranglerDev, stopAll } from "./local-ferry";
import { migrateThread } from "./migrate-thread";

const HELP = `Usage: npm run dev [-- --demo | --azure | --real | --help]

Runs ferry locally (wrangler dev --local) on http://127.0.0.1:8787 (or a free port if taken).

Default: no OpenAI key needed. Starts the fake OpenAI (demo threads, key sk-local-fake) on
127.0.0.1:8788 (or a free port if taken) and points ferry at it with --var overrides, which win over
anything in .dev.vars. The local D1 lives in .wrangler/dev-fake and is wiped on every start,
because the fake's conversations live in memory and vanish when it stops.

  --demo   after start-up, migrate every demo thread through ferry's API and print the results
  --azure  the source is the fake's Azure AI Foundry project (classic agents: Entra token from the
           fake's Microsoft Entra, api-version 2025-05-01), the target its Azure OpenAI v1 API
           (api-key). After start-up it migrates one Foundry thread through the API, then starts
           a backfill that lists the project's threads itself and migrates the rest
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

const { demo, azure, real, help } = parseCommandLine();
if (help) {
  console.log(HELP);
  process.exit(0);
}
if (real && (demo || azure)) fail("--demo and --azure use the fake's demo threads; they cannot be combined with --real");

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
  const port = (await portFree(WORKER_PORT)) ? WORKER_PORT : await freePort();
  if (port !== WORKER_PORT) console.log(`[dev] port ${WORKER_PORT} is in use (another wrangler dev?); ferry takes ${port}`);

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
    Object.assign(vars, fakeVars(fake.url, FAKE_KEY, DEV_TOKEN), azure ? azureVars(fake) : {});
    persistTo = FAKE_STATE_DIR;
    rmSync(FAKE_STATE_DIR, { recursive: true, force: true });
    console.log(
      azure
        ? `[dev] fake Azure on ${fake.url}: Foundry project ${vars.ASSISTANTS_BASE_URL}, Azure OpenAI v1 ${vars.OPENAI_BASE_URL}, Entra ${fake.url}/${DEMO_ENTRA_APP.tenant}/oauth2/v2.0/token`
        : `[dev] fake OpenAI on ${fake.url}/v1 (key ${FAKE_KEY})`,
    );
  }

  console.log("[dev] applying D1 migrations to the local database");
  await applyMigrations({ persistTo });

  const dev = await startWranglerDev({
    port,
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
  if (azure) await runAzureDemo(dev.url, token);
  else if (demo) await runDemo(dev.url, token);
}

/**
 * The settings a Foundry-to-Azure migration takes (README "Migrating Foundry classic agent
 * threads"), pointed at the fake's layouts. The stand-in's URL is not a Foundry hostname, so
 * the shutdown date a Foundry project would default to is set explicitly.
 */
function azureVars(f: FakeOpenAI): Record<string, string> {
  f.state.entra.register({ tenant: DEMO_ENTRA_APP.tenant, client_id: DEMO_ENTRA_APP.clientId, secret: DEMO_ENTRA_APP.secret });
  return {
    ASSISTANTS_BASE_URL: `${f.url}/api/projects/demo`,
    ASSISTANTS_API_VERSION: "2025-05-01",
    ASSISTANTS_AUTH: "entra",
    AZURE_TENANT_ID: DEMO_ENTRA_APP.tenant,
    AZURE_CLIENT_ID: DEMO_ENTRA_APP.clientId,
    AZURE_CLIENT_SECRET: DEMO_ENTRA_APP.secret,
    ENTRA_AUTHORITY: f.url,
    ASSISTANTS_SHUTDOWN_AT: "2027-03-31T00:00:00Z",
    OPENAI_BASE_URL: `${f.url}/openai/v1`,
    OPENAI_AUTH: "api-key",
  };
}

function printBanner(base: string, token: string): void {
  const auth = `-H 'Authorization: Bearer ${token}'`;
  const [a, b] = fake ? DEMO_THREAD_IDS : ["thread_YOUR_ID", "thread_OTHER_ID"];
  const lines = [
    "",
    `ferry is up on ${base}  (${!fake ? "real OpenAI API, settings from .dev.vars" : azure ? `fake Foundry project at ${fake.url}/api/projects/demo, fake Azure OpenAI v1 at ${fake.url}/openai/v1` : `fake OpenAI at ${fake.url}/v1`})`,
    `status page: ${base}/ (API token: ${token})   API reference: ${base}/docs`,
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

/** Migrates each demo thread via the API and prints the results. */
async function runDemo(base: string, token: string): Promise<void> {
  console.log("[dev] --demo: migrating the demo threads through ferry's API");
  for (const id of DEMO_THREAD_IDS) await migrateAndShow(base, token, id);
  await continueToolsDemo(base, token);
  await showConversations();
}

/**
 * The demo thread with tool history, continued as an app now would: responses.create on its
 * conversation, which the (fake) API accepts only if every function call kept its output.
 */
async function continueToolsDemo(base: string, token: string): Promise<void> {
  const thread = (await (await fetch(`${base}/v1/threads/thread_demo_tools`, { headers: { Authorization: `Bearer ${token}` } })).json()) as ThreadMigration;
  if (!thread.conversation_id) return;
  const res = await fetch(`${fake!.url}/v1/responses`, {
    method: "POST",
    headers: { Authorization: `Bearer ${FAKE_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o", conversation: thread.conversation_id, input: "Did the booking go through?" }),
  });
  const answer = (await res.json()) as { output?: { content: { text: string }[] }[]; error?: { message: string } };
  console.log(`[dev] responses.create on thread_demo_tools' conversation: HTTP ${res.status} → ${answer.output?.[0]?.content[0]?.text ?? answer.error?.message}`);
}

async function migrateAndShow(base: string, token: string, id: string): Promise<void> {
  try {
    const { httpStatus, thread } = await migrateThread(base, token, id, { stopped: () => stopping });
    console.log(`[dev] ${id}: HTTP ${httpStatus} → ${summary(thread)}`);
  } catch (err) {
    console.log(`[dev] ${id}: ${(err as Error).message}`); // the demo goes on with the other threads
  }
}

function summary(t: ThreadMigration): string {
  return JSON.stringify({ status: t.status, conversation_id: t.conversation_id, messages_migrated: t.messages_migrated, warnings: t.warnings?.length ?? 0, error: t.error?.message });
}

async function showConversations(): Promise<void> {
  const convs = (await (await fetch(`${fake!.url}/__control/conversations`)).json()) as { data: unknown[] };
  console.log(`[dev] the fake now holds ${convs.data.length} conversation(s). Still running; Ctrl-C to stop.`);
}

/**
 * `--azure`: one Foundry thread migrated on request, then a backfill that lists the project's
 * threads itself (no import) and migrates the others; prints each thread and the countdown.
 */
async function runAzureDemo(base: string, token: string): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  const [first] = DEMO_THREAD_IDS;
  console.log(`[dev] --azure: migrating the Foundry thread ${first} through ferry's API`);
  await migrateAndShow(base, token, first);
  console.log("[dev] --azure: POST /v1/backfill, which lists the Foundry project's threads and migrates them");
  await fetch(`${base}/v1/backfill`, { method: "POST", headers });
  const deadline = Date.now() + 90_000;
  let status = (await (await fetch(`${base}/v1/status`, { headers })).json()) as MigrationStatus;
  while (!stopping && Date.now() < deadline && (status.source.thread_discovery?.status !== "listed" || status.threads.migrated < DEMO_THREAD_IDS.length)) {
    await sleep(1000);
    status = (await (await fetch(`${base}/v1/status`, { headers })).json()) as MigrationStatus;
  }
  for (const id of DEMO_THREAD_IDS) console.log(`[dev] ${id}: ${summary((await (await fetch(`${base}/v1/threads/${id}`, { headers })).json()) as ThreadMigration)}`);
  const days = Math.floor(status.seconds_until_shutdown / 86_400);
  console.log(
    `[dev] discovery ${JSON.stringify(status.source.thread_discovery)}; threads ${JSON.stringify(status.threads)}; ` +
      `the source shuts down ${status.shutdown_at} (${days} days), projected finish ${status.projected_finish_at}, on track: ${status.on_track}`,
  );
  await showConversations();
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
    const options = { demo: { type: "boolean" }, azure: { type: "boolean" }, real: { type: "boolean" }, help: { type: "boolean", short: "h" } } as const;
    return parseArgs({ args: process.argv.slice(2), options }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n\n${HELP}`);
  }
}

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}
