import type { Budget } from "../client/budget";
import { Rejected, SourceGone, TransientFailure } from "../client/errors";
import type { SourceToolResources } from "../conversion/tool-resources";
import type { MigrationWarning } from "../conversion/types";
import type { ByteRange, ExportLocation, RecordHeader } from "../exports/location";
import { type Line, readLines } from "../exports/lines";
import { type ExportMessage, type ExportStep, MAX_LINE_BYTES, parseLine } from "../exports/shapes";
import type { Page, SourceThread, ThreadSource } from "./types";

/** Items a page holds, as the Assistants API's lists do at most. */
const PAGE_SIZE = 100;

const LOSSY: MigrationWarning = { code: "lossy_export", detail: "the export is a flat transcript: text only, no images, citations, attachments or tool calls" };

/**
 * An exported thread in the EXPORTS bucket (contract §6.2), read like a live source: its messages
 * and run steps page by byte range, a page at a time (one R2 read each, spent from the budget like
 * any subrequest, behind the lease's fence). A page begins where the last one this source read
 * ended; a cursor from an earlier invocation is found by reading on from the thread's first line.
 */
export class ExportSource implements ThreadSource {
  private header: Promise<RecordHeader> | null = null;
  /** Where the line after each item this source returned starts, and its number: the next page begins there. */
  private readonly next = new Map<string, { offset: number; line: number }>();

  constructor(
    private readonly bucket: R2Bucket,
    private readonly threadId: string,
    private readonly location: ExportLocation,
    private readonly budget: Budget,
    private readonly fence: () => Promise<void>,
  ) {}

  async getThread(): Promise<SourceThread> {
    if (this.location.shape !== "record") return { metadata: null, toolResources: null, warnings: this.location.shape === "transcript" ? [LOSSY] : [] };
    const { thread } = await this.readHeader();
    return { metadata: thread.metadata, toolResources: thread.tool_resources as SourceToolResources | null };
  }

  listMessages(_threadId: string, after: string | null): Promise<Page<ExportMessage>> {
    const { shape, messages, firstLine } = this.location;
    if (shape === "record") return this.page(messages, firstLine, after, (text) => JSON.parse(text) as ExportMessage);
    // The upload's own lines: only this thread's lines of its shape, checked as ingestion checked them.
    return this.page(messages, firstLine, after, (text, line) => {
      const parsed = parseLine(text, line);
      return parsed.kind === "message" && parsed.threadId === this.threadId && parsed.shape === shape ? parsed.message : null;
    });
  }

  async listRunSteps(_threadId: string, runId: string, after: string | null): Promise<Page<ExportStep>> {
    const run = this.location.shape === "record" ? (await this.readHeader()).runs[runId] : undefined;
    if (!run) return { data: [], hasMore: false };
    return this.page(run.steps, 0, after, (text) => JSON.parse(text) as ExportStep);
  }

  /** An export knows each run: whether it had tools of its own or steps that called any. */
  async runHadTools(_threadId: string, runId: string): Promise<boolean> {
    if (this.location.shape !== "record") return false;
    return (await this.readHeader()).runs[runId]?.tools ?? false;
  }

  async runsWithoutMessages(): Promise<string[]> {
    return this.location.shape === "record" ? (await this.readHeader()).runs_without_message : [];
  }

  /** The header line of a shape-1 thread, read once per source. */
  private readHeader(): Promise<RecordHeader> {
    if (this.location.shape !== "record") throw new Error("only a shape-1 thread has a header");
    const [start, end] = this.location.header;
    this.header ??= (async () => {
      for await (const line of readLines(await this.read(start, end), start, MAX_LINE_BYTES)) return JSON.parse(line.text!) as RecordHeader;
      throw new Error(`export object ${this.location.key} holds no header at ${start}`);
    })();
    return this.header;
  }

  /**
   * Up to a page of items from the range, after the item `after`: from where this source's last
   * page ended, or else from the range's start, passing over the items up to `after`. It reads one
   * item beyond the page to know whether more follow, and stops the read there.
   */
  private async page<T extends { id: string }>(range: ByteRange, firstLine: number, after: string | null, parse: (text: string, line: number) => T | null): Promise<Page<T>> {
    const known = after === null ? { offset: range[0], line: firstLine } : this.next.get(after);
    let { offset, line } = known ?? { offset: range[0], line: firstLine };
    let seeking = known ? null : after;
    const data: T[] = [];
    // Only this page's positions are kept: the next page is asked for after one of them.
    this.next.clear();
    if (offset < range[1]) {
      for await (const l of readLines(await this.read(offset, range[1]), offset, MAX_LINE_BYTES)) {
        const item = itemOf(l, line++, parse);
        if (!item) continue;
        if (seeking !== null) {
          if (item.id === seeking) seeking = null;
          continue;
        }
        if (data.length === PAGE_SIZE) return { data, hasMore: true };
        data.push(item);
        this.next.set(item.id, { offset: l.end, line });
      }
    }
    // As the API refuses a cursor it does not know; the engine then looks for its recent messages.
    if (seeking !== null) throw new Rejected(`${seeking} is not in the export`, 400, "invalid_cursor", "after");
    return { data, hasMore: false };
  }

  private async read(start: number, end: number): Promise<ReadableStream<Uint8Array>> {
    await this.fence();
    this.budget.spend();
    const { key } = this.location;
    let object: R2ObjectBody | null;
    try {
      object = await this.bucket.get(key, { range: { offset: start, length: end - start } });
    } catch (err) {
      throw new TransientFailure(`reading export object ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!object) throw new SourceGone(`export object ${key} is no longer in the EXPORTS bucket`); // no status: R2 is not an API that answered
    return object.body;
  }
}

function itemOf<T>(line: Line, number: number, parse: (text: string, line: number) => T | null): T | null {
  return line.text === null ? null : parse(line.text, number);
}
