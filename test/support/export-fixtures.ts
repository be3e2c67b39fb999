// Exports as teams hold them (contract §6.2), built from the spec's objects (MessageObject,
// RunStepObject, RunObject) and the public exporter's record layout. Plain data, no test runner:
// the bench writes its export files with these too.

type Obj = Record<string, unknown>;
const T0 = 1_760_000_000;

export const text = (value: string, annotations: Obj[] = []) => ({ type: "text", text: { value, annotations } });

/** A v2 `thread.message` as `GET /threads/{t}/messages` returns it (spec: MessageObject). */
export function v2Message(threadId: string, n: number, m: { role: "user" | "assistant"; content?: string | Obj[]; run_id?: string | null; assistant_id?: string | null; attachments?: Obj[]; status?: string; id?: string }): Obj {
  const created = T0 + n;
  const assistant = m.role === "assistant";
  return {
    id: m.id ?? `msg_${threadId.slice(7)}_${n}`,
    object: "thread.message",
    created_at: created,
    thread_id: threadId,
    status: m.status ?? "completed",
    incomplete_details: null,
    completed_at: assistant ? created : null,
    incomplete_at: null,
    role: m.role,
    content: typeof m.content === "string" || m.content === undefined ? [text(m.content ?? `message ${n}`)] : m.content,
    assistant_id: m.assistant_id ?? (assistant ? "asst_export" : null),
    run_id: m.run_id ?? null,
    attachments: m.attachments ?? [],
    metadata: {},
  };
}

/** `n` alternating user/assistant text messages "message i", as the fake's `generate` makes them. */
export const generated = (threadId: string, n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => v2Message(threadId, from + i, { role: (from + i - 1) % 2 === 0 ? "user" : "assistant", content: `message ${from + i}` }));

/** A run step (spec: RunStepObject): `message_creation` or `tool_calls`. */
export function runStep(threadId: string, runId: string, id: string, details: Obj, status = "completed"): Obj {
  return {
    id,
    object: "thread.run.step",
    created_at: T0,
    assistant_id: "asst_export",
    thread_id: threadId,
    run_id: runId,
    type: details.type,
    status,
    step_details: details,
    last_error: null,
    expired_at: null,
    cancelled_at: null,
    failed_at: null,
    completed_at: T0,
    metadata: null,
    usage: null,
  };
}

export const createsMessage = (messageId: string) => ({ type: "message_creation", message_creation: { message_id: messageId } });
export const functionCall = (id: string, name: string, args: string, output: string | null) => ({ type: "tool_calls", tool_calls: [{ id, type: "function", function: { name, arguments: args, output } }] });

/** A run (spec: RunObject, the fields an exporter keeps) with its steps, as the exporter nests them. */
export function run(threadId: string, id: string, steps: Obj[], tools: Obj[] = [{ type: "function", function: { name: "lookup" } }]): Obj {
  return { id, object: "thread.run", created_at: T0, thread_id: threadId, assistant_id: "asst_export", status: "completed", model: "gpt-4o", instructions: "", tools, metadata: {}, steps };
}

/** An `assistants-thread-export/v1` record: one per thread, as the exporter writes it. */
export function exportRecord(threadId: string, messages: Obj[], opts: { runs?: Obj[]; metadata?: Obj; tool_resources?: Obj; files?: Obj } = {}): Obj {
  return {
    export_schema: "assistants-thread-export/v1",
    thread_id: threadId,
    exported_at: "2026-08-20T10:00:00+00:00",
    thread: { id: threadId, object: "thread", created_at: T0, metadata: opts.metadata ?? {}, tool_resources: opts.tool_resources ?? {} },
    messages,
    runs: opts.runs ?? [],
    files: opts.files ?? {},
    errors: [],
  };
}

/** A flat transcript line. */
export const transcriptLine = (threadId: string, role: string, value: string, messageId?: string) => ({ thread_id: threadId, ...(messageId ? { message_id: messageId } : {}), role, text: value, created_at: T0 });

export const ndjson = (lines: readonly unknown[]) => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
