// Reading thread ids from an operator's file, each with its line number so a bad line can be
// reported where the operator will look for it. Streamed: a file of millions of ids is fine.
import { createReadStream } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { THREAD_ID } from "../src/ids";
import { CliError, EXIT } from "./client";

export type IdLine = { line: number; id: string } | { line: number; bad: string };

export const FORMATS = [".txt", ".csv", ".ndjson", ".jsonl"] as const;

export interface ReadOptions {
  /** The CSV column holding the ids. */
  column: string;
}

export function readThreadIds(file: string, opts: ReadOptions): AsyncGenerator<IdLine> {
  const ext = path.extname(file).toLowerCase();
  if (ext === ".txt") return textLines(file);
  if (ext === ".csv") return csvRows(file, opts.column);
  if (ext === ".ndjson" || ext === ".jsonl") return ndjsonLines(file);
  throw new CliError(`cannot tell the format of ${file}: name it ${FORMATS.join(", ")}`, EXIT.usage);
}

const checked = (line: number, value: string): IdLine =>
  THREAD_ID.test(value) ? { line, id: value } : { line, bad: `${JSON.stringify(value.slice(0, 80))} is not a thread id` };

async function* lines(file: string): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (text.trim() !== "") yield { line, text: text.trim() };
  }
}

/** One id a line; blank lines are skipped. */
async function* textLines(file: string): AsyncGenerator<IdLine> {
  for await (const { line, text } of lines(file)) yield checked(line, text);
}

/** One JSON value a line: `{"thread_id": …}` (other fields ignored) or the id as a string. */
async function* ndjsonLines(file: string): AsyncGenerator<IdLine> {
  for await (const { line, text } of lines(file)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield { line, bad: "not JSON" };
      continue;
    }
    const id = typeof value === "string" ? value : (value as { thread_id?: unknown } | null)?.thread_id;
    yield typeof id === "string" ? checked(line, id) : { line, bad: "no thread_id string" };
  }
}

/** A header row naming the columns, then the records; the ids are in `column`. */
async function* csvRows(file: string, column: string): AsyncGenerator<IdLine> {
  const skipped: IdLine[] = [];
  const parser = createReadStream(file).pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, skip_records_with_error: true, info: true }),
  );
  // A row the parser cannot read (an unclosed quote, say) is skipped with its line.
  parser.on("skip", (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? 0, bad: err.message }));
  let index = -1;
  let width = 0;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield* skipped.splice(0);
    if (index < 0) {
      index = record.indexOf(column);
      width = record.length;
      if (index < 0) throw new CliError(`${file} has no "${column}" column (its header: ${record.join(", ")}): name the column with --column`, EXIT.usage);
      continue;
    }
    if (record.length !== width) yield { line: info.lines, bad: `${record.length} fields where the header has ${width}` };
    else yield checked(info.lines, record[index]!);
  }
  yield* skipped.splice(0);
}
