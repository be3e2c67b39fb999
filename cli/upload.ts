// `ferry upload <export file>`: the file streamed as the body of POST /v1/exports (never read
// whole into memory) with a bar of bytes sent; with --wait, the ingestion followed to its end.
import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import type { Export } from "../src/handlers/http/schemas";
import { call, CliError, EXIT, type Connection } from "./client";
import { count, progressBar, rate, tap } from "./output";

const MEDIA_TYPES: Record<string, string> = { ".ndjson": "application/x-ndjson", ".jsonl": "application/x-ndjson", ".json": "application/json" };

export async function upload(conn: Connection, file: string, opts: { wait?: boolean }): Promise<Export> {
  const type = MEDIA_TYPES[path.extname(file).toLowerCase()];
  if (!type) throw new CliError(`cannot tell the format of ${file}: name it .ndjson or .jsonl (one record a line), or .json (one document)`, EXIT.usage);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new CliError(`${file}: no such file`, EXIT.usage);
  }
  const started = Date.now();
  const bar = progressBar("upload", "bytes");
  bar.start(size, 0, rate(0, started, "bytes"));
  let sent = 0;
  const counter = tap((chunk) => {
    sent += chunk.length;
    bar.update(sent, rate(sent, started, "bytes"));
  });
  let exp: Export;
  try {
    const body = Readable.toWeb(createReadStream(file).pipe(counter)) as ReadableStream<Uint8Array>;
    exp = await call<Export>(conn, "POST", "/v1/exports", { body, headers: { "content-type": type, "content-length": String(size) } });
  } finally {
    bar.stop();
  }
  return opts.wait ? followIngestion(conn, exp) : exp;
}

/** Polls GET /v1/exports/{id} until it is ingested or failed, a bar of bytes ingested meanwhile. */
async function followIngestion(conn: Connection, exp: Export): Promise<Export> {
  const bar = progressBar("ingest", "bytes");
  const started = Date.now();
  bar.start(exp.bytes, exp.bytes_ingested, rate(0, started, "bytes"));
  try {
    while (exp.status === "ingesting") {
      await sleep(1000);
      exp = await call<Export>(conn, "GET", `/v1/exports/${exp.id}`);
      bar.update(exp.bytes_ingested, rate(exp.bytes_ingested, started, "bytes"));
    }
  } finally {
    bar.stop();
  }
  return exp;
}

/** Whether the export reports failures: it failed, or some of its lines were rejected. */
export const exportFailed = (e: Export) => e.status === "failed" || e.lines_rejected > 0;

export function renderExport(e: Export): string {
  const out = [
    `export ${e.id}: ${e.status}, ${count(e.bytes_ingested)} / ${count(e.bytes)} bytes ingested`,
    `threads: ${count(e.threads_found)} found, ${count(e.threads_registered)} new (queued for migration), ${count(e.already_known)} already known`,
  ];
  if (e.status === "ingesting") out.push(`still ingesting: GET /v1/exports/${e.id} shows its progress (upload with --wait to follow it here)`);
  if (e.error) out.push(`error ${e.error.code}: ${e.error.message}`);
  if (e.lines_rejected) out.push(`${count(e.lines_rejected)} lines rejected:`, ...e.rejections.map((r) => `  line ${r.line}: ${r.reason}`));
  return out.join("\n");
}
