import type { ByteRange, RecordHeader } from "./location";
import type { ExportThreadRecord } from "./shapes";

/** A shape-1 record re-written as lines, and where its header and messages are among them. */
export interface RecordLines {
  lines: Uint8Array[];
  bytes: number;
  header: ByteRange;
  messages: ByteRange;
}

const encoder = new TextEncoder();

/**
 * A shape-1 record as lines that page by byte range (contract §6.2): one per message, then one per
 * run step grouped by run, then a header naming the thread, its runs (whether each may have called
 * tools, where its steps are) and the runs that created no message. The header comes last because
 * it holds the other lines' ranges; `base` is the offset the first line will have in its object.
 */
export function recordLines(record: ExportThreadRecord, base: number): RecordLines {
  const lines: Uint8Array[] = [];
  let at = base;
  const add = (value: unknown) => {
    const line = encoder.encode(`${JSON.stringify(value)}\n`);
    lines.push(line);
    at += line.length;
  };
  for (const m of record.messages) add(m);
  const messages: ByteRange = [base, at];
  const withMessages = new Set(record.messages.map((m) => m.run_id).filter((id): id is string => !!id));
  const runs: RecordHeader["runs"] = {};
  for (const run of record.runs) {
    const start = at;
    for (const step of run.steps) add(step);
    runs[run.id] = { tools: run.tools.length > 0 || run.steps.some((s) => s.step_details.type === "tool_calls"), steps: [start, at] };
  }
  const header: RecordHeader = {
    thread: { metadata: record.metadata, tool_resources: record.toolResources },
    runs,
    runs_without_message: record.runs.map((r) => r.id).filter((id) => !withMessages.has(id)),
  };
  const headerStart = at;
  add(header);
  return { lines, bytes: at - base, header: [headerStart, at], messages };
}
