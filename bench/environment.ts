// Date, machine and versions for the results header.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./stack";

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  versions: Record<string, string>;
  commit: string;
}

function version(pkg: string): string {
  try {
    // Straight from node_modules: some packages' exports maps hide package.json from require.resolve.
    return (JSON.parse(readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  const sha = git(["rev-parse", "--short", "HEAD"]) || "unknown";
  // What wrangler serves: uncommitted changes there make the numbers those of a work tree, not a commit.
  const dirty = git(["status", "--porcelain", "--", "src", "migrations", "wrangler.toml", "package-lock.json"]) !== "";
  return {
    date: new Date().toISOString(),
    cpu: (cpus[0]?.model ?? "unknown").trim(),
    cores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    versions: {
      wrangler: version("wrangler"),
      workerd: version("workerd"),
      miniflare: version("miniflare"),
      openai: version("openai"),
      autocannon: version("autocannon"),
    },
    commit: `${sha}${dirty ? " + uncommitted changes in src/migrations/wrangler.toml" : ""}`,
  };
}
