// `ferry import` end to end (contract §8): 25,000 ids from a CSV with bad lines, and an import
// killed mid-way and run again, checked against what ferry itself then knows.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import type { ImportState, ImportSummary } from "../../cli/import";
import type { MigrationStatus, ThreadMigration } from "../../src/handlers/http/schemas";
import { IMPORT_MAX_IDS } from "../../src/ids";
import { ferry, finished, scratchDir, spawnCli } from "./support/cli";
import { ferryFetch } from "./support/seed";

const totalThreads = async () => ((await (await ferryFetch("/v1/status")).json()) as MigrationStatus).threads.total;

async function lookupAll(ids: string[]): Promise<ThreadMigration[]> {
  const found: ThreadMigration[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const res = await ferryFetch("/v1/threads/lookup", { method: "POST", json: { thread_ids: ids.slice(i, i + 100) } });
    found.push(...((await res.json()) as { data: ThreadMigration[] }).data);
  }
  return found;
}

/** `n` fresh thread ids, unique to this run. */
const freshIds = (n: number) => {
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: n }, (_, i) => `thread_cli_${run}_${i}`);
};

it("imports 25,000 ids from a CSV and reports its bad lines by number, exiting 1", async () => {
  const ids = freshIds(25_000);
  const rows = ["thread_id,user", ...ids.map((id, i) => `${id},user${i}`)];
  // Bad lines where an operator's export would have them: a stray value, a short row, a long one.
  const bad = [
    { at: 101, row: "not-a-thread,user" },
    { at: 12_000, row: "thread_short_row" },
    { at: 24_999, row: "thread_x,user,extra" },
  ];
  for (const b of bad) rows.splice(b.at - 1, 0, b.row); // in line order, so each lands on line `at`
  const file = path.join(scratchDir(), "threads.csv");
  writeFileSync(file, `${rows.join("\n")}\n`);
  const before = await totalThreads();

  const run = await ferry(["import", file, "--json"]);
  expect(run.code, run.stderr).toBe(1);
  const summary = JSON.parse(run.stdout) as ImportSummary;
  expect(summary).toMatchObject({ registered: 25_000, already_known: 0, bad_line_count: 3, calls: 25, line: rows.length });
  expect(summary.bad_lines.map((b) => b.line)).toEqual(bad.map((b) => b.at));
  expect(summary.bad_lines.map((b) => b.reason)).toEqual([`"not-a-thread" is not a thread id`, "1 fields where the header has 2", "3 fields where the header has 2"]);
  expect(await totalThreads()).toBe(before + 25_000);
  const sample = await lookupAll([ids[0]!, ids[12_345]!, ids.at(-1)!]);
  expect(sample.map((t) => t.status)).toEqual(["pending", "pending", "pending"]);

  const human = await ferry(["import", file, "--restart"]);
  expect(human.code).toBe(1);
  expect(human.stdout).toContain("0 new, 25,000 already known");
  expect(human.stdout).toContain(`line 101: "not-a-thread" is not a thread id`);
});

it("resumes a killed import after the last confirmed line: no id lost, none sent twice but the call in flight", async () => {
  const ids = freshIds(60_000);
  const file = path.join(scratchDir(), "threads.txt");
  writeFileSync(file, `${ids.join("\n")}\n`);
  const stateFile = `${file}.ferry-import`;
  const before = await totalThreads();

  const child = spawnCli(["import", file]);
  const exited = finished(child);
  // Killed (no chance to clean up) once ferry confirmed a few calls and before the last.
  let state: ImportState | undefined;
  while (!state || state.line < 5 * IMPORT_MAX_IDS) {
    if (child.exitCode !== null) throw new Error(`the import ended before it was killed: ${(await exited).stderr}`);
    try {
      state = JSON.parse(readFileSync(stateFile, "utf8")) as ImportState;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill("SIGKILL");
  await exited;
  const killed = JSON.parse(readFileSync(stateFile, "utf8")) as ImportState;
  expect(killed.line).toBeLessThan(ids.length);
  expect(killed.registered).toBe(killed.line); // one id a line, each confirmed new

  const resumed = await ferry(["import", file, "--json"]);
  expect(resumed.code, resumed.stderr).toBe(0);
  const summary = JSON.parse(resumed.stdout) as ImportSummary;
  expect(summary.resumed_after_line).toBe(killed.line);
  // The second run sent exactly the ids after the state file's line…
  expect(summary.this_run.registered + summary.this_run.already_known).toBe(ids.length - killed.line);
  // …of which only the call in flight at the kill can have reached ferry before.
  expect(summary.this_run.already_known).toBeLessThanOrEqual(IMPORT_MAX_IDS);
  expect(summary.registered + summary.already_known).toBe(ids.length);
  expect(await totalThreads()).toBe(before + ids.length);
  const found = await lookupAll([ids[0]!, ids[killed.line - 1]!, ids[killed.line]!, ids.at(-1)!]);
  expect(found.map((t) => t.status)).toEqual(["pending", "pending", "pending", "pending"]);
});

it("tells a changed file from the one its state file describes", async () => {
  const dir = scratchDir();
  const file = path.join(dir, "threads.ndjson");
  const [a, b] = freshIds(2);
  writeFileSync(file, `${JSON.stringify({ thread_id: a })}\n{"id": 1}\nnot json\n`);
  const first = await ferry(["import", file, "--json"]);
  expect(first.code).toBe(1);
  expect((JSON.parse(first.stdout) as ImportSummary).bad_lines).toEqual([
    { line: 2, reason: "no thread_id string" },
    { line: 3, reason: "not JSON" },
  ]);
  writeFileSync(file, `${JSON.stringify({ thread_id: b })}\n`);
  const changed = await ferry(["import", file]);
  expect(changed.code).toBe(2);
  expect(changed.stderr).toContain("--restart");
});
