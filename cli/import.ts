// `ferry import <file>`: thread ids into POST /v1/threads/import, 1,000 a call, resumable. After
// each confirmed call the state file beside the input records the last line done, so a run that
// was killed goes on after it; at most the one call in flight then is sent again, and ferry's
// import is idempotent (it answers those as already known).
import { createReadStream, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { z } from "@hono/zod-openapi";
import type { ImportResult } from "../src/handlers/http/schemas";
import { IMPORT_MAX_IDS } from "../src/ids";
import { call, CliError, EXIT, type Connection } from "./client";
import { count, newlines, progressBar, rate } from "./output";
import { readThreadIds } from "./thread-ids";

/** Bad lines a state file keeps (all are counted). */
const BAD_LINES_KEPT = 1000;
/** Bad lines a person is shown; --json has every kept one. */
const BAD_LINES_SHOWN = 50;

export interface BadLine {
  line: number;
  reason: string;
}

/** The state file, `<file>.ferry-import`. */
export interface ImportState {
  ferry_url: string;
  /** Every line up to this one was read and each id on them confirmed by ferry. */
  line: number;
  /** The last confirmed id: a re-run checks the file still has it on that line. */
  last_id: { line: number; id: string } | null;
  registered: number;
  already_known: number;
  calls: number;
  bad_line_count: number;
  bad_lines: BadLine[];
}

export interface ImportSummary extends Omit<ImportState, "ferry_url" | "last_id"> {
  file: string;
  state_file: string;
  /** 0 for a fresh import. */
  resumed_after_line: number;
  this_run: { registered: number; already_known: number; calls: number };
}

export interface ImportOptions {
  column: string;
  restart?: boolean;
}

export const stateFileOf = (file: string) => `${file}.ferry-import`;

export async function importFile(conn: Connection, file: string, opts: ImportOptions): Promise<ImportSummary> {
  if (!existsSync(file)) throw new CliError(`${file}: no such file`, EXIT.usage);
  const stateFile = stateFileOf(file);
  const state = (!opts.restart && loadState(stateFile, conn)) || freshState(conn);
  const resumedAfter = state.line;
  const thisRun = { registered: 0, already_known: 0, calls: 0 };
  const total = await countLines(file);
  const started = Date.now();
  const bar = progressBar("import", "lines");
  if (total > state.line) bar.start(total, state.line, rate(0, started, "ids")); // a finished import has nothing to show
  const stop = () => {
    bar.stop();
    process.stderr.write(`interrupted: run the same command again to go on after line ${count(state.line)} (${stateFile})\n`);
    process.exit(130);
  };
  process.once("SIGINT", stop);

  let batch: { line: number; id: string }[] = [];
  let bad: BadLine[] = [];
  let lastLine = state.line;
  let checkedResumePoint = !state.last_id;
  const confirmUpTo = async (line: number) => {
    if (batch.length) {
      const result = await call<z.infer<typeof ImportResult>>(conn, "POST", "/v1/threads/import", { json: { thread_ids: batch.map((b) => b.id) } });
      for (const tally of [state, thisRun]) {
        tally.registered += result.registered;
        tally.already_known += result.already_known;
        tally.calls++;
      }
      state.last_id = batch.at(-1)!;
    }
    state.bad_line_count += bad.length;
    state.bad_lines.push(...bad.slice(0, BAD_LINES_KEPT - state.bad_lines.length));
    state.line = line;
    [batch, bad] = [[], []];
    saveState(stateFile, state);
    bar.update(line, rate(thisRun.registered + thisRun.already_known, started, "ids"));
  };

  try {
    for await (const item of readThreadIds(file, opts)) {
      if (item.line <= state.line) {
        if (item.line === state.last_id?.line) {
          if (!("id" in item) || item.id !== state.last_id.id) throw changedSince(file, stateFile, state.last_id);
          checkedResumePoint = true;
        }
        continue;
      }
      if (!checkedResumePoint) throw changedSince(file, stateFile, state.last_id!);
      lastLine = item.line;
      if ("bad" in item) bad.push({ line: item.line, reason: item.bad });
      else batch.push(item);
      if (batch.length === IMPORT_MAX_IDS) await confirmUpTo(item.line);
    }
    if (!checkedResumePoint) throw changedSince(file, stateFile, state.last_id!);
    await confirmUpTo(lastLine);
  } finally {
    bar.stop();
    process.off("SIGINT", stop);
  }
  const { ferry_url: _url, last_id: _last, ...tallies } = state;
  return { file, state_file: stateFile, resumed_after_line: resumedAfter, ...tallies, this_run: thisRun };
}

export function renderImport(s: ImportSummary): string {
  const out = [
    s.resumed_after_line ? `resumed ${s.file} after line ${count(s.resumed_after_line)} (${s.state_file})` : `imported ${s.file}`,
    `this run: ${count(s.this_run.registered)} new, ${count(s.this_run.already_known)} already known, in ${count(s.this_run.calls)} calls`,
    `all runs: ${count(s.registered)} new, ${count(s.already_known)} already known; ${count(s.line)} lines read`,
  ];
  if (s.bad_line_count) {
    out.push(`${count(s.bad_line_count)} bad lines, not imported (fix them and import those ids again):`);
    out.push(...s.bad_lines.slice(0, BAD_LINES_SHOWN).map((b) => `  line ${b.line}: ${b.reason}`));
    if (s.bad_line_count > BAD_LINES_SHOWN) out.push(`  … ${count(s.bad_line_count - BAD_LINES_SHOWN)} more (--json lists the first ${BAD_LINES_KEPT})`);
  }
  return out.join("\n");
}

const changedSince = (file: string, stateFile: string, last: { line: number; id: string }) =>
  new CliError(`${file} changed since ${stateFile} was written (line ${last.line} no longer holds ${last.id}): pass --restart to import it from the start`, EXIT.usage);

function freshState(conn: Connection): ImportState {
  return { ferry_url: conn.url, line: 0, last_id: null, registered: 0, already_known: 0, calls: 0, bad_line_count: 0, bad_lines: [] };
}

function loadState(stateFile: string, conn: Connection): ImportState | null {
  if (!existsSync(stateFile)) return null;
  let state: ImportState;
  try {
    state = JSON.parse(readFileSync(stateFile, "utf8")) as ImportState;
  } catch {
    throw new CliError(`${stateFile} is not a state file this tool wrote: remove it, or pass --restart`, EXIT.usage);
  }
  if (state.ferry_url !== conn.url) throw new CliError(`${stateFile} records an import into ${state.ferry_url}, not ${conn.url}: pass --restart to import into ${conn.url}`, EXIT.usage);
  return state;
}

/** Written whole and renamed into place, so a kill leaves the old state or the new one. */
function saveState(stateFile: string, state: ImportState): void {
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
  renameSync(`${stateFile}.tmp`, stateFile);
}

/** The bar's total: newlines counted in one pass over the bytes. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    lines += newlines(chunk);
    last = chunk.at(-1) ?? last;
  }
  return last === 10 ? lines : lines + 1;
}
