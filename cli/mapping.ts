// `ferry export`, `ferry pause`, `ferry resume`: the mapping out of ferry, streamed, and the
// backfill's switch (contract §7.2).
import { createWriteStream } from "node:fs";
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { z } from "@hono/zod-openapi";
import type { BackfillState, ExportQuery } from "../src/handlers/http/schemas";
import { call, send, type Connection } from "./client";
import { count, newlines, tap } from "./output";

export type ExportOptions = Partial<z.infer<typeof ExportQuery>> & { output?: string };

export interface ExportSummary {
  file: string;
  bytes: number;
  lines: number;
}

/** Streams GET /v1/threads/export into `output` (stdout when unset): one page in memory at a time. */
export async function exportMapping(conn: Connection, opts: ExportOptions): Promise<ExportSummary> {
  const res = await send(conn, "GET", "/v1/threads/export", { query: { format: opts.format, status: opts.status, after: opts.after } });
  const summary: ExportSummary = { file: opts.output ?? "-", bytes: 0, lines: 0 };
  const tally = tap((chunk) => {
    summary.bytes += chunk.length;
    summary.lines += newlines(chunk);
  });
  const out: Writable = opts.output ? createWriteStream(opts.output) : process.stdout;
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), tally, out, { end: opts.output !== undefined });
  return summary;
}

export const renderExportSummary = (s: ExportSummary) => `wrote ${count(s.lines)} lines (${count(s.bytes)} bytes) to ${s.file}`;

type State = z.infer<typeof BackfillState>;

export const pause = (conn: Connection) => call<State>(conn, "POST", "/v1/backfill/pause");
export const resume = (conn: Connection) => call<State>(conn, "POST", "/v1/backfill/resume");

export const renderBackfillState = (s: State) =>
  s.paused ? `backfill paused since ${s.paused_since}: its OpenAI traffic waits until \`ferry resume\`; lazy migrations go on` : "backfill running";
