import type { Budget } from "../client/budget";
import { IDS_PER_STATEMENT, type Database } from "../db/client";
import { commitChunk, failExport, type FoundThread, findExport, markQueued, registeredAfter, REJECTIONS_KEPT, seenThreads, setLinesKey } from "../db/exports";
import type { ExportRow, OpenThread, Rejection } from "../db/schema";
import type { MigrationsQueue } from "../queue/messages";
import { sendAll } from "../queue/send";
import { concatBytes, type Line, readLines } from "../exports/lines";
import { type ExportLocation, type ExportShape, exportKeys } from "../exports/location";
import { recordLines } from "../exports/normalize";
import { MAX_LINE_BYTES, parseLine } from "../exports/shapes";

export interface IngestDeps {
  db: Database;
  bucket: R2Bucket;
  queue: MigrationsQueue;
  /** What this invocation may still spend: R2 reads and writes, D1 statements and queue sends alike. */
  budget: Budget;
  now: () => number;
}

/** A checkpoint is taken after at most this many bytes, or this many threads, whichever comes first. */
const CHUNK_BYTES = 1024 * 1024;
const CHUNK_THREADS = 200;
/** Bytes one invocation ingests at most, so its CPU time stays well inside a queue invocation's. */
const INVOCATION_BYTES = 64 * 1024 * 1024;
/** What committing a chunk may cost: its seen-threads queries, the re-written records, the batch. */
const CHUNK_COST = Math.ceil(CHUNK_THREADS / IDS_PER_STATEMENT) + 1 + 1;
/** A rejection's reason is cut to this length: it quotes input. */
const REASON_MAX_CHARS = 300;

/** Migrations queued per page once every line is read, and what a page costs: the select, its sends, the mark. */
const QUEUE_PAGE = 500;
const QUEUE_PAGE_COST = 1 + Math.ceil(QUEUE_PAGE / 100) + 1;

/**
 * Ingests an export from its checkpoint (contract §6.2): the lines stream from R2 and are taken a
 * chunk at a time; each chunk's threads are registered and its checkpoint (byte offset, line)
 * saved in one atomic batch, so a crash resumes at the last chunk and a huge export spans as many
 * invocations as it needs. Once it is `ingested`, the new threads' migrations are queued a page at
 * a time: after the ingestion rather than during it, so that ingestion never waits in the queue
 * behind its own migrations (queuing may; the consumer is busy with them meanwhile). Answers "more"
 * when this invocation stopped before the end.
 */
export async function ingestExport(deps: IngestDeps, exportId: string): Promise<"done" | "more"> {
  deps.budget.spend();
  const found = await findExport(deps.db, exportId);
  if (!found || found.status === "failed" || found.queuedAt) return "done";
  if (found.status === "ingesting") {
    const row = found.linesKey ? found : await splitDocument(deps, found);
    if (!row) return "done";
    const read = await readChunks(deps, row);
    if (read !== "read") return read === "more" ? "more" : "done";
  }
  return queueMigrations(deps, exportId, found.queuedAfter);
}

/** Reads and commits chunks from the checkpoint: "stopped" when the object is gone or another delivery committed a chunk first (it carries on). */
async function readChunks(deps: IngestDeps, row: ExportRow): Promise<"read" | "more" | "stopped"> {
  const { budget } = deps;
  const linesKey = row.linesKey!;
  let chunk = new Chunk(row.id, linesKey, row.offset, row.lines, row.openThread);
  const progress = { kept: row.rejections, read: 0 };
  if (row.offset < row.bytes) {
    budget.spend();
    const object = await deps.bucket.get(linesKey, { range: { offset: row.offset } });
    if (!object) {
      await gone(deps, row.id, linesKey);
      return "stopped";
    }
    for await (const line of readLines(object.body, row.offset, MAX_LINE_BYTES)) {
      chunk.add(line);
      if (!chunk.full) continue;
      // The chunk is read again by the next invocation: nothing of it was written.
      if (!budget.canAfford(CHUNK_COST)) return "more";
      const next = await commit(deps, chunk, progress, false);
      if (!next) return "stopped";
      chunk = next;
      if (progress.read >= INVOCATION_BYTES) return "more";
    }
  }
  if (!budget.canAfford(CHUNK_COST)) return "more";
  return (await commit(deps, chunk, progress, true)) ? "read" : "stopped";
}

/**
 * Commits a chunk: decides each line against the threads found before, writes the chunk's re-written
 * records, and commits. Returns the next chunk, or null when another delivery had committed this
 * one already.
 */
async function commit(deps: IngestDeps, chunk: Chunk, progress: { kept: Rejection[]; read: number }, last: boolean): Promise<Chunk | null> {
  const { db, budget, now } = deps;
  const ids = chunk.newThreadIds();
  budget.spend(Math.ceil(ids.length / IDS_PER_STATEMENT));
  const decided = chunk.decide(await seenThreads(db, chunk.exportId, ids), last);
  if (chunk.records.length) {
    budget.spend();
    await deps.bucket.put(exportKeys.records(chunk.exportId, chunk.start), concatBytes(chunk.records, chunk.recordBytes));
  }
  budget.spend();
  const committed = await commitChunk(db, { exportId: chunk.exportId, start: chunk.start, end: chunk.end, lines: chunk.lines, ...decided, kept: progress.kept, last, now: now() });
  if (!committed) return null;
  progress.kept = [...progress.kept, ...decided.rejections].slice(0, REJECTIONS_KEPT);
  progress.read += chunk.end - chunk.start;
  return new Chunk(chunk.exportId, chunk.linesKey, chunk.end, chunk.lines, decided.open);
}

/**
 * Queues the migrations of the threads this export registered, in id order from where the last
 * page ended. Sending before marking means a crash in between only sends a thread twice, which the
 * lease and the `migrated` check make harmless.
 */
async function queueMigrations(deps: IngestDeps, exportId: string, after: string | null): Promise<"done" | "more"> {
  const { db, budget, now } = deps;
  for (;;) {
    if (!budget.canAfford(QUEUE_PAGE_COST)) return "more";
    budget.spend();
    const ids = await registeredAfter(db, exportId, after, QUEUE_PAGE);
    budget.spend(Math.ceil(ids.length / 100));
    await sendAll(deps.queue, ids.map((thread_id) => ({ type: "migrate_thread", thread_id })));
    const done = ids.length < QUEUE_PAGE;
    budget.spend();
    await markQueued(db, exportId, after, ids.at(-1) ?? null, done, now());
    if (done) return "done";
    after = ids.at(-1)!;
  }
}

type Entry =
  | { kind: "rejected"; line: number; reason: string }
  | { kind: "message"; line: number; threadId: string; shape: Exclude<ExportShape, "record">; start: number; end: number }
  | { kind: "record"; line: number; threadId: string; location: ExportLocation };

/**
 * The lines of one checkpoint's worth, parsed as they come. Everything a chunk writes to R2 (the
 * re-written records) depends on its bytes alone, never on what D1 says, so two deliveries working
 * on the same chunk write the same object.
 */
class Chunk {
  private readonly entries: Entry[] = [];
  readonly records: Uint8Array[] = [];
  recordBytes = 0;
  end: number;
  private threadStarts = 0;
  private lastThread: string | null;

  constructor(
    readonly exportId: string,
    readonly linesKey: string,
    readonly start: number,
    /** Lines read before this chunk's first (its first line is `lines + 1`). */
    public lines: number,
    private readonly open: OpenThread | null,
  ) {
    this.end = start;
    this.lastThread = open?.threadId ?? null;
  }

  get full(): boolean {
    return this.end - this.start >= CHUNK_BYTES || this.threadStarts >= CHUNK_THREADS;
  }

  add(line: Line): void {
    const number = ++this.lines;
    this.end = line.end;
    if (line.text === null) {
      this.reject(number, line.problem === "too_long" ? `longer than ${MAX_LINE_BYTES} bytes (a shape-1 record must fit; export such a thread as thread.message lines)` : "not UTF-8 text");
      return;
    }
    const parsed = parseLine(line.text, number);
    if (parsed.kind === "blank") return;
    if (parsed.kind === "rejected") return this.reject(number, parsed.reason);
    if (parsed.threadId !== this.lastThread) this.threadStarts++;
    this.lastThread = parsed.threadId;
    if (parsed.kind === "message") {
      this.entries.push({ kind: "message", line: number, threadId: parsed.threadId, shape: parsed.shape, start: line.start, end: line.end });
      return;
    }
    const base = this.recordBytes;
    const lines = recordLines(parsed.record, base);
    this.records.push(...lines.lines);
    this.recordBytes += lines.bytes;
    const key = exportKeys.records(this.exportId, this.start);
    this.entries.push({ kind: "record", line: number, threadId: parsed.threadId, location: { shape: "record", key, firstLine: number, header: lines.header, messages: lines.messages } });
  }

  private reject(line: number, reason: string): void {
    this.entries.push({ kind: "rejected", line, reason: reason.length > REASON_MAX_CHARS ? `${reason.slice(0, REASON_MAX_CHARS - 1)}…` : reason });
  }

  /** Thread ids this chunk starts, to be looked up among those the export held before. */
  newThreadIds(): string[] {
    const ids = new Set<string>();
    for (const e of this.entries) if (e.kind !== "rejected" && e.threadId !== this.open?.threadId) ids.add(e.threadId);
    return [...ids];
  }

  /**
   * Walks the lines in order: a thread's lines must be consecutive and of one shape, so a line
   * either continues the open thread, starts a new one (closing the open one), or is rejected with
   * the reason, both line numbers included when a thread comes back. The last chunk closes the open thread.
   */
  decide(seen: ReadonlyMap<string, { firstLine: number; lastLine: number }>, last: boolean) {
    const found: FoundThread[] = [];
    const rejections: Rejection[] = [];
    const closed = new Map(seen);
    let open: OpenThread | null = this.open;
    const close = () => {
      if (!open) return;
      found.push({ threadId: open.threadId, firstLine: open.location.firstLine, lastLine: open.lastLine, location: open.location });
      closed.set(open.threadId, { firstLine: open.location.firstLine, lastLine: open.lastLine });
      open = null;
    };
    for (const e of this.entries) {
      if (e.kind === "rejected") {
        rejections.push({ line: e.line, reason: e.reason });
        continue;
      }
      if (open?.threadId === e.threadId) {
        const shape = open.location.shape;
        if (e.kind === "message" && shape === e.shape) {
          open.lastLine = e.line;
          open.location.messages[1] = e.end;
        } else {
          const reason = shape === "record" || e.kind === "record" ? again(e.threadId, e.line, open.location.firstLine, open.lastLine) : `thread ${e.threadId} began at line ${open.location.firstLine} as ${SHAPE_NAMES[shape]}; a line of ${SHAPE_NAMES[e.kind === "message" ? e.shape : "record"]} cannot join it`;
          rejections.push({ line: e.line, reason });
        }
        continue;
      }
      const earlier = closed.get(e.threadId);
      if (earlier) {
        rejections.push({ line: e.line, reason: again(e.threadId, e.line, earlier.firstLine, earlier.lastLine) });
        continue;
      }
      close();
      open = {
        threadId: e.threadId,
        lastLine: e.line,
        location: e.kind === "record" ? e.location : { shape: e.shape, key: this.linesKey, firstLine: e.line, messages: [e.start, e.end] },
      };
    }
    if (last) close();
    return { found, open: open as OpenThread | null, rejections };
  }
}

const SHAPE_NAMES: Record<ExportShape, string> = { record: "an assistants-thread-export/v1 record", messages: "thread.message lines", transcript: "transcript lines" };

const again = (threadId: string, line: number, first: number, lastLine: number) =>
  `thread ${threadId} appears again at line ${line}, after its ${first === lastLine ? `line ${first}` : `lines ${first}–${lastLine}`} and another thread's; the lines of one thread must be consecutive`;

/**
 * A JSON document (one record, or an array of records or lines) is re-written one element a line,
 * then ingested like NDJSON: the "line" of a rejection is the element's position. It is parsed
 * whole, so it is held to the longest line ferry reads.
 */
async function splitDocument(deps: IngestDeps, row: ExportRow): Promise<ExportRow | null> {
  const { db, budget, now } = deps;
  budget.spend();
  const object = await deps.bucket.get(row.uploadKey);
  if (!object) return gone(deps, row.id, row.uploadKey).then(() => null);
  if (object.size > MAX_LINE_BYTES) {
    await failExport(db, row.id, { code: "export_too_large", message: `a JSON document is parsed whole, so it may hold at most ${MAX_LINE_BYTES} bytes; send NDJSON, one record a line` }, now());
    return null;
  }
  let document: unknown;
  try {
    document = JSON.parse(await object.text());
  } catch (err) {
    await failExport(db, row.id, { code: "invalid_json", message: `the JSON document does not parse: ${(err as Error).message}` }, now());
    return null;
  }
  const elements = Array.isArray(document) ? document : [document];
  // Each element becomes a line and is checked as any line is, so a bad one is rejected by its position.
  const body = new TextEncoder().encode(elements.map((e) => `${JSON.stringify(e === undefined ? null : e)}\n`).join(""));
  const linesKey = exportKeys.lines(row.id);
  budget.spend(2);
  await deps.bucket.put(linesKey, body);
  await setLinesKey(db, row.id, linesKey, body.length, now());
  return { ...row, linesKey, bytes: body.length };
}

async function gone(deps: IngestDeps, exportId: string, key: string): Promise<"done"> {
  await failExport(deps.db, exportId, { code: "export_object_missing", message: `object ${key} is no longer in the EXPORTS bucket` }, deps.now());
  return "done";
}
