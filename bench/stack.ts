// The system under test: a snapshot of ferry's sources run by `wrangler dev --local` on loopback,
// pointed at the in-process fake OpenAI, each instance with its own fresh local D1 directory.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { applyMigrations, fakeVars, freePort, startWranglerDev } from "../scripts/local-ferry";

export { stopAll } from "../scripts/local-ferry";

export const API_TOKEN = "bench-token";
export const FAKE_KEY = "sk-bench";
/** The source's own key where a part limits the target's key alone (part 5). */
export const SOURCE_KEY = "sk-bench-source";

export const repoRoot = path.resolve(import.meta.dirname, "..");

/**
 * A private copy of what wrangler builds and serves (src, migrations, wrangler.toml), taken once at
 * start: other people editing src/ during a run would otherwise make `wrangler dev` rebuild and
 * restart mid-measurement (losing the local queue's in-memory messages).
 */
export interface Workspace {
  dir: string;
  appDir: string;
  /** D1 state with the migrations applied, copied for each instance. */
  templateState: string;
}

export async function prepareWorkspace(): Promise<Workspace> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-bench-"));
  const appDir = path.join(dir, "app");
  mkdirSync(appDir);
  for (const entry of ["src", "migrations", "wrangler.toml", "package.json", "tsconfig.json"]) {
    if (existsSync(path.join(repoRoot, entry))) cpSync(path.join(repoRoot, entry), path.join(appDir, entry), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(appDir, "node_modules"), "dir");
  const templateState = path.join(dir, "state-template");
  await applyMigrations({ cwd: appDir, persistTo: templateState, logPath: path.join(dir, "migrations.log") });
  return { dir, appDir, templateState };
}

export function removeWorkspace(ws: Workspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}

/** The consumer settings wrangler.toml gives the migrations queue (what the local queue obeys). */
export interface ConsumerSettings {
  maxBatchSize: number;
  maxBatchTimeout: number;
}

export function readConsumerSettings(appDir: string): ConsumerSettings {
  const toml = readFileSync(path.join(appDir, "wrangler.toml"), "utf8");
  // Block 0 is everything before the first consumer (the producer names the same queue).
  const block = toml.split("[[queues.consumers]]").slice(1).find((b) => /^\s*queue\s*=\s*"ferry-migrations"\s*$/m.test(b)) ?? "";
  const num = (key: string, fallback: number) => Number(new RegExp(`^\\s*${key}\\s*=\\s*(\\d+)`, "m").exec(block)?.[1] ?? fallback);
  // Cloudflare's defaults when the keys are absent.
  return { maxBatchSize: num("max_batch_size", 10), maxBatchTimeout: num("max_batch_timeout", 5) };
}

export interface FerryInstance {
  url: string;
  inspectorPort: number;
  pgid: number;
  stop(): Promise<void>;
}

export interface FerryStartOptions {
  ws: Workspace;
  name: string;
  fakeUrl: string;
  /** Tuning vars (e.g. QUEUE_CONCURRENCY) on top of the ones pointing ferry at the fake. */
  extraVars?: Record<string, string>;
  /** A state directory prepared already (a seeded D1); otherwise a fresh copy of the migrated one. */
  persistTo?: string;
}

/** Starts `wrangler dev --local` on free loopback ports with a fresh copy of the migrated D1 state. */
export async function startFerry(opts: FerryStartOptions): Promise<FerryInstance> {
  const state = opts.persistTo ?? path.join(opts.ws.dir, `state-${opts.name}`);
  if (!opts.persistTo) cpSync(opts.ws.templateState, state, { recursive: true });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const ferry = await startWranglerDev({
    cwd: opts.ws.appDir,
    logPath: path.join(opts.ws.dir, `wrangler-${opts.name}.log`),
    port,
    inspectorPort,
    persistTo: state,
    vars: { ...fakeVars(opts.fakeUrl, FAKE_KEY, API_TOKEN), ...opts.extraVars },
  });
  return { url: ferry.url, inspectorPort, pgid: ferry.pgid, stop: ferry.stop };
}

// ---------- the processes of one instance, from /proc (Linux only; elsewhere: nothing) ----------

export type Role = "worker" | "proxy" | "wrangler" | "launcher";
/** worker: the workerd running ferry (and the local D1 and queue); proxy: wrangler's entry workerd. */
export interface ProcInfo {
  pid: number;
  role: Role;
}

const CLK_TCK = 100; // USER_HZ, 100 on every Linux this runs on

export function instanceProcesses(pgid: number): ProcInfo[] {
  if (!existsSync("/proc/self/stat")) return [];
  const out: ProcInfo[] = [];
  for (const name of safeReaddir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    if (!stat || Number(statFields(stat)[2]) !== pgid) continue;
    const cmd = (readProc(`/proc/${name}/cmdline`) ?? "").split("\0");
    const pid = Number(name);
    if (path.basename(cmd[0] ?? "") === "workerd") out.push({ pid, role: cmd.some((a) => a.startsWith("--inspector-addr")) ? "worker" : "proxy" });
    else if (cmd.some((a) => a.endsWith("wrangler-dist/cli.js"))) out.push({ pid, role: "wrangler" });
    else out.push({ pid, role: "launcher" });
  }
  return out;
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return null;
  const f = statFields(stat);
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

/** VmRSS and VmHWM (peak resident set) in bytes. */
export function memory(pid: number): { rss: number; hwm: number } | null {
  const status = readProc(`/proc/${pid}/status`);
  if (!status) return null;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

/** Fields after the command name, from index 0 = state (so pgrp is [2], utime [11], stime [12]). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function readProc(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
function machineBusySeconds(): number | null {
  const line = readProc("/proc/stat")?.split("\n")[0];
  if (!line?.startsWith("cpu ")) return null;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLK_TCK;
}

/**
 * CPU seconds used over a span by each role of an instance, by this process (`bench`: the fake
 * OpenAI and the clients), and by everything else on the machine (`other`: a busy machine skews
 * every number, so the report shows it).
 */
export class CpuMeter {
  private start = new Map<number, number>();
  private selfStart = process.cpuUsage();
  private machineStart = machineBusySeconds();
  private readonly procs: ProcInfo[];

  constructor(pgid: number) {
    this.procs = instanceProcesses(pgid);
    for (const p of this.procs) this.start.set(p.pid, cpuSeconds(p.pid) ?? 0);
  }

  read(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.procs) {
      const now = cpuSeconds(p.pid);
      if (now === null) continue;
      out[p.role] = (out[p.role] ?? 0) + now - this.start.get(p.pid)!;
    }
    const self = process.cpuUsage(this.selfStart);
    out.bench = (self.user + self.system) / 1e6;
    const machine = machineBusySeconds();
    if (machine !== null && this.machineStart !== null) {
      const ours = Object.values(out).reduce((a, b) => a + b, 0);
      out.other = Math.max(0, machine - this.machineStart - ours);
    }
    return out;
  }
}

/**
 * Waits, up to `maxWaitMs`, for a second in which the rest of the machine (everything but this
 * process and the instance) uses under `maxCores` of CPU: someone else's test run on the same
 * 2 cores would skew the part about to start. Returns the cores the rest used in the last second
 * (null where /proc is missing).
 */
export async function waitForQuiet(pgid: number, maxWaitMs: number, maxCores = 0.25): Promise<number | null> {
  const started = Date.now();
  for (;;) {
    const meter = new CpuMeter(pgid);
    await sleep(1000);
    const other = meter.read().other;
    if (other === undefined) return null;
    if (other < maxCores || Date.now() - started >= maxWaitMs) return other;
  }
}
