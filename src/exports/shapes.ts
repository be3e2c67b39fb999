// The three shapes an export line may have (contract §6.2), told apart per line and checked
// against the spec's objects (MessageObject, RunStepObject): what ferry reads must be there and
// well-formed, or the line is rejected with a reason; nothing else of a line is kept.
import { z } from "zod";
import type { SourceStep } from "../conversion/run-steps";
import type { SourceToolResources } from "../conversion/tool-resources";
import type { SourceMessage } from "../conversion/types";
import { THREAD_ID } from "../ids";

export const EXPORT_SCHEMA = "assistants-thread-export/v1";

/**
 * The longest line ferry reads, and so the largest shape-1 record and JSON document: a record is
 * parsed whole when it is ingested (about 5× its size in memory, within a Worker's 128 MB). 8 MiB
 * holds some 15,000 typical messages with their runs; a longer thread can be exported as
 * thread.message lines (shape 2), whose threads have no size bound.
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const ThreadId = z.string({ error: "no thread_id" }).regex(THREAD_ID, { error: (i) => `thread_id ${JSON.stringify(i.input)} is not a thread id (^thread_[A-Za-z0-9_-]{1,64}$)` });
const Role = z.enum(["user", "assistant"], { error: (i) => (i.input === undefined ? "the message has no role" : `role ${JSON.stringify(i.input)} is neither user nor assistant`) });
const FileRef = z.object({ file_id: z.string().min(1) });

const Annotation = z.union([
  z.object({ type: z.literal("file_citation"), text: z.string().default(""), file_citation: FileRef, start_index: z.number().int(), end_index: z.number().int().default(0) }),
  z.object({ type: z.literal("file_path"), text: z.string().default(""), file_path: FileRef, start_index: z.number().int(), end_index: z.number().int().default(0) }),
  // Other annotation kinds have no conversation form; the conversion drops them with a warning.
  z.object({ type: z.string() }).loose(),
]);

const Detail = z.enum(["low", "high", "auto"]).optional();
const KNOWN_PARTS = ["text", "image_file", "image_url", "refusal"];
const Part = z.union([
  z.object({ type: z.literal("text"), text: z.object({ value: z.string(), annotations: z.array(Annotation).default([]) }) }),
  z.object({ type: z.literal("image_file"), image_file: z.object({ file_id: z.string().min(1), detail: Detail }) }),
  z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string().min(1), detail: Detail }) }),
  z.object({ type: z.literal("refusal"), refusal: z.string() }),
  // A part of a kind the conversion does not know is dropped by it with a warning, not refused here.
  z.object({ type: z.string().refine((t) => !KNOWN_PARTS.includes(t), { error: "a content part is malformed" }) }).loose(),
]);

const Attachment = z.object({ file_id: z.string().optional(), tools: z.array(z.object({ type: z.string() })).optional() });

/**
 * An export is final: a message it caught `in_progress` will never complete, so it is read as
 * `incomplete` (migrated with a warning) instead of being waited for forever.
 */
const MessageStatus = z
  .enum(["in_progress", "incomplete", "completed"])
  .optional()
  .transform((s) => (s === "in_progress" ? "incomplete" : s));

const V2Message = z.object({
  id: z.string({ error: "the message has no id" }).min(1),
  thread_id: ThreadId,
  role: Role,
  content: z.array(Part, { error: "the message has no content array" }),
  attachments: z.array(Attachment).nullable().default(null),
  status: MessageStatus,
  run_id: z.string().nullable().optional(),
  assistant_id: z.string().nullable().optional(),
});

const Transcript = z.object({
  thread_id: ThreadId,
  message_id: z.string().min(1).optional(),
  role: Role,
  text: z.string({ error: "text must be a string" }),
  created_at: z.union([z.number(), z.string()]).optional(),
});

const ToolCall = z.union([
  z.object({ id: z.string(), type: z.literal("function"), function: z.object({ name: z.string(), arguments: z.string(), output: z.string().nullable().default(null) }) }),
  z.object({
    id: z.string(),
    type: z.literal("code_interpreter"),
    code_interpreter: z.object({
      input: z.string(),
      outputs: z.array(z.union([z.object({ type: z.literal("logs"), logs: z.string() }), z.object({ type: z.literal("image"), image: FileRef })])).default([]),
    }),
  }),
  z.object({
    id: z.string(),
    type: z.literal("file_search"),
    file_search: z.object({ results: z.array(z.object({ file_id: z.string(), file_name: z.string(), score: z.number().default(0) })).optional() }),
  }),
]);

const Step = z.object({
  id: z.string().min(1),
  // Like a message, a step the export caught in progress has ended for good.
  status: z.enum(["in_progress", "cancelled", "failed", "completed", "expired"]).transform((s) => (s === "in_progress" ? "expired" : s)),
  step_details: z.discriminatedUnion("type", [
    z.object({ type: z.literal("message_creation"), message_creation: z.object({ message_id: z.string() }) }),
    z.object({ type: z.literal("tool_calls"), tool_calls: z.array(ToolCall) }),
  ]),
});

const Run = z.object({ id: z.string().min(1), tools: z.array(z.object({ type: z.string() })).default([]), steps: z.array(Step).default([]) });

const ToolResources = z.object({
  file_search: z.object({ vector_store_ids: z.array(z.string()).optional() }).optional(),
  code_interpreter: z.object({ file_ids: z.array(z.string()).optional() }).optional(),
});

const ExportRecord = z.object({
  export_schema: z.literal(EXPORT_SCHEMA, { error: (i) => `export_schema ${JSON.stringify(i.input)} is not ${EXPORT_SCHEMA}` }),
  thread_id: ThreadId,
  // The exporter writes `thread: null` (and an error) for a thread it could not read.
  thread: z.object(
    { id: z.string().optional(), metadata: z.record(z.string(), z.unknown()).nullable().default(null), tool_resources: ToolResources.nullable().default(null) },
    { error: "the record holds no thread (the exporter could not read it)" },
  ),
  messages: z.array(V2Message.extend({ thread_id: ThreadId.optional() }), { error: "the record has no messages array" }),
  runs: z.array(Run).default([]),
});

export type ExportMessage = SourceMessage & { id: string };
export type ExportStep = SourceStep & { id: string };
export interface ExportRun {
  id: string;
  tools: { type: string }[];
  steps: ExportStep[];
}
export interface ExportThreadRecord {
  threadId: string;
  metadata: Record<string, unknown> | null;
  toolResources: SourceToolResources | null;
  messages: ExportMessage[];
  runs: ExportRun[];
}

export type ParsedLine =
  | { kind: "blank" }
  | { kind: "record"; threadId: string; record: ExportThreadRecord }
  | { kind: "message"; threadId: string; shape: "messages" | "transcript"; message: ExportMessage }
  | { kind: "rejected"; reason: string };

const rejected = (reason: string): ParsedLine => ({ kind: "rejected", reason });

function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const at = issue.path.length ? `${issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "")}: ` : "";
  return `${at}${issue.message}`;
}

/**
 * One export line, by its shape: an `assistants-thread-export/v1` record, a v2 `thread.message`, or
 * a flat transcript line. `line` is its number in the export, which names a transcript message that
 * has no id of its own.
 */
export function parseLine(text: string, line: number): ParsedLine {
  if (!text.trim()) return { kind: "blank" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return rejected(`not JSON: ${(err as Error).message}`);
  }
  return parseValue(value, line);
}

function parseValue(value: unknown, line: number): ParsedLine {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return rejected("not a JSON object");
  const obj = value as Record<string, unknown>;
  if ("export_schema" in obj) return parseRecord(obj);
  if (obj.object === "thread.message") {
    const m = V2Message.safeParse(obj);
    if (!m.success) return rejected(reasonOf(m.error));
    return { kind: "message", threadId: m.data.thread_id, shape: "messages", message: asSourceMessage(m.data) };
  }
  if ("text" in obj && !("object" in obj)) {
    const t = Transcript.safeParse(obj);
    if (!t.success) return rejected(reasonOf(t.error));
    return { kind: "message", threadId: t.data.thread_id, shape: "transcript", message: transcriptMessage(t.data, line) };
  }
  return rejected(`unknown shape: neither an ${EXPORT_SCHEMA} record, a thread.message, nor a transcript line {thread_id, role, text}`);
}

function parseRecord(obj: Record<string, unknown>): ParsedLine {
  const r = ExportRecord.safeParse(obj);
  if (!r.success) return rejected(reasonOf(r.error));
  const { thread_id: threadId, thread, messages, runs } = r.data;
  if (thread.id !== undefined && thread.id !== threadId) return rejected(`thread.id ${thread.id} is not the record's thread_id ${threadId}`);
  const stray = messages.findIndex((m) => m.thread_id !== undefined && m.thread_id !== threadId);
  if (stray >= 0) return rejected(`messages[${stray}] belongs to ${messages[stray]!.thread_id}, not ${threadId}`);
  return {
    kind: "record",
    threadId,
    record: { threadId, metadata: thread.metadata, toolResources: thread.tool_resources, messages: messages.map(asSourceMessage), runs },
  };
}

/** Checked above against the spec's part shapes; parts of unknown kinds pass on for the conversion to warn about. */
const asSourceMessage = (m: z.infer<typeof V2Message> | z.infer<typeof ExportRecord>["messages"][number]): ExportMessage => {
  const { thread_id: _thread, ...message } = m;
  return message as ExportMessage;
};

/** A transcript line is text only; one without a message id is named by its line. */
function transcriptMessage(t: z.infer<typeof Transcript>, line: number): ExportMessage {
  return {
    id: t.message_id ?? `msg_export_L${line}`,
    role: t.role,
    content: [{ type: "text", text: { value: t.text, annotations: [] } }],
    attachments: null,
    status: "completed",
  };
}
