/** A byte range of an R2 object: `[start, end)`, whole lines. */
export type ByteRange = [start: number, end: number];

/**
 * Where an exported thread's lines are (contract §6.2), kept on its thread row so its migration
 * needs no lookup but the reads themselves.
 *
 * - `messages` / `transcript`: the lines of the upload itself (shapes 2 and 3), read in place. The
 *   range may hold lines ingestion rejected; the reader skips them by the same rules.
 * - `record`: a shape-1 record, re-written by ingestion as one header line (the thread, its runs and
 *   where their steps are), one line per message and one line per run step, so every list pages
 *   by range like the others.
 */
export type ExportLocation =
  | { shape: "messages" | "transcript"; key: string; firstLine: number; messages: ByteRange }
  | { shape: "record"; key: string; firstLine: number; header: ByteRange; messages: ByteRange };

export type ExportShape = ExportLocation["shape"];

/** A shape-1 thread's header line, as ingestion writes it. */
export interface RecordHeader {
  thread: { metadata: Record<string, unknown> | null; tool_resources: unknown };
  /** Each run by id: whether it may have called tools (its own tools or its steps), and its step lines. */
  runs: Record<string, { tools: boolean; steps: ByteRange }>;
  /** Runs that created no message in the thread: their tool calls have no place (contract §3.1). */
  runs_without_message: string[];
}

/** ferry's own objects in the EXPORTS bucket, all under the export's id. */
export const exportKeys = {
  upload: (exportId: string, format: "ndjson" | "json") => `exports/${exportId}/upload.${format}`,
  /** A JSON document re-written one element a line, for ingestion to read like NDJSON. */
  lines: (exportId: string) => `exports/${exportId}/lines.ndjson`,
  /** The shape-1 records of the chunk that starts at `start`, re-written for paging. */
  records: (exportId: string, start: number) => `exports/${exportId}/records/${start}.ndjson`,
};
