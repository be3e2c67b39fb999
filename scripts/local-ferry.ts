// Runs ferry under `wrangler dev --local` for the local run (scripts/dev.ts) and the bench
// (bench/stack.ts): wrangler's own entry on this node, each run in its own process group, the
// --vars that point ferry at a fake OpenAI, and a bounded wait for /healthz.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_WEBHOOK_SECRET } from "./demo-secrets";
import { stopGroup } from "./process-group";

const HEALTH_TIMEOUT_MS = 120_000;
const SLOW_START_MS = 20_000;

// wrangler's own entry, run with this node directly: no npx/shell in between, so a process group
// holds exactly wrangler, its CLI child and workerd.
export const wranglerJs = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin/wrangler.js");

/** Every process group started here and not yet exited, so an interrupted run can stop them all. */
const groups = new Set<number>();

export interface WranglerOptions {
  cwd?: string;
  /** Where wrangler's output goes (uncoloured); default: this process's stdout and stderr. */
  logPath?: string;
}

/** Spawns wrangler in its own process group (detached), so stopping it reaches the whole tree. */
export function spawnWrangler(argv: string[], opts: WranglerOptions = {}): ChildProcess {
  // Never prompt (CI=true skips the migrations confirmation) and never phone home.
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", ...(opts.logPath ? { NO_COLOR: "1", FORCE_COLOR: "0" } : {}) };
  const child = spawn(process.execPath, [wranglerJs, ...argv], {
    cwd: opts.cwd,
    env,
    stdio: ["ignore", opts.logPath ? "pipe" : "inherit", opts.logPath ? "pipe" : "inherit"], // no stdin: no hotkeys, no prompts
    detached: true,
  });
  if (opts.logPath) {
    const log = createWriteStream(opts.logPath);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  const pgid = child.pid!;
  groups.add(pgid);
  child.on("exit", () => groups.delete(pgid));
  return child;
}

/** `wrangler d1 migrations apply DB --local`; throws unless it succeeds. */
export async function applyMigrations(opts: WranglerOptions & { persistTo?: string }): Promise<void> {
  const persist = opts.persistTo ? ["--persist-to", opts.persistTo] : [];
  const child = spawnWrangler(["d1", "migrations", "apply", "DB", "--local", ...persist], opts);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`wrangler d1 migrations apply exited with ${code}${opts.logPath ? `; see ${opts.logPath}` : ""}`);
}

/**
 * The --vars that point ferry at a fake OpenAI. Every setting that could name the real API is
 * overridden (--var wins over .dev.vars), so keys in a .dev.vars never leave the machine.
 */
export function fakeVars(fakeUrl: string, fakeKey: string, apiToken: string): Record<string, string> {
  return {
    OPENAI_BASE_URL: `${fakeUrl}/v1`,
    ASSISTANTS_BASE_URL: `${fakeUrl}/v1`,
    OPENAI_API_KEY: fakeKey,
    ASSISTANTS_API_KEY: fakeKey,
    API_TOKEN: apiToken,
    WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET,
  };
}

export interface DevOptions extends WranglerOptions {
  port: number;
  inspectorPort?: number;
  /** Local D1/queue state directory; wrangler's .wrangler/state when omitted. */
  persistTo?: string;
  vars: Record<string, string>;
  /** More `wrangler dev` flags, e.g. --test-scheduled. */
  flags?: string[];
  /** Called once if /healthz is still not up after 20 s. */
  onSlowStart?: () => void;
}

export interface LocalFerry {
  url: string;
  /** The process group (wrangler's pid). */
  pgid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev --local` on loopback and resolves once /healthz answers 200. Throws if
 * wrangler exits first; stops it and throws if /healthz is not up within 2 minutes.
 */
export async function startWranglerDev(o: DevOptions): Promise<LocalFerry> {
  const child = spawnWrangler(
    [
      "dev", "--local", "--ip", "127.0.0.1", "--port", String(o.port),
      ...(o.inspectorPort ? ["--inspector-port", String(o.inspectorPort)] : []),
      "--show-interactive-dev-session=false",
      ...(o.persistTo ? ["--persist-to", o.persistTo] : []),
      ...(o.flags ?? []),
      ...Object.entries(o.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    o,
  );
  const pgid = child.pid!;
  const stop = () => stopTracked(pgid);
  let exited: string | null = null;
  child.on("exit", (code, sig) => (exited = `${sig ?? code}`));
  const url = `http://127.0.0.1:${o.port}`;
  const see = o.logPath ? `; see ${o.logPath}` : "";
  const started = Date.now();
  let hinted = false;
  for (;;) {
    if (exited !== null) throw new Error(`wrangler dev exited (${exited}) before answering${see}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return { url, pgid, child, stop };
    } catch {
      // not listening yet
    }
    const waited = Date.now() - started;
    if (waited > HEALTH_TIMEOUT_MS) {
      await stop();
      throw new Error(`${url}/healthz did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000}s${see}`);
    }
    if (waited > SLOW_START_MS && !hinted) {
      hinted = true;
      o.onSlowStart?.();
    }
    await sleep(200);
  }
}

/** TERM, then KILL after the grace period, to one process group started here. */
async function stopTracked(pgid: number): Promise<void> {
  await stopGroup(pgid);
  groups.delete(pgid);
}

/** Stops every process group started here that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...groups].map(stopTracked));
}

/** Whether nothing listens on 127.0.0.1:port. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
