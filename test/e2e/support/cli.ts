// The `ferry` CLI run as a child process, as an operator runs it, pointed at the e2e ferry.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

const BIN = path.resolve(import.meta.dirname, "../../../cli/bin.js");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** On top of FERRY_URL and FERRY_TOKEN for the e2e ferry; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
}

/** Starts `ferry …args` (its own node, through the package's bin launcher). */
export function spawnCli(args: string[], opts: CliOptions = {}): ChildProcess {
  const env: Record<string, string | undefined> = { ...process.env, FERRY_URL: inject("ferryUrl"), FERRY_TOKEN: inject("ferryToken"), ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
}

/** What a child printed and how it exited. */
export function finished(child: ChildProcess): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `ferry …args` to its end. */
export const ferry = (args: string[], opts?: CliOptions) => finished(spawnCli(args, opts));

/** A directory of its own for a test's input files. */
export const scratchDir = () => mkdtempSync(path.join(os.tmpdir(), "ferry-cli-"));
