// Assistants threads and their messages (+ the legacy v1 MessageFiles): the store, the /v1 reads
// ferry makes, and seeding over /__control. Who may call these routes (beta header, shutdown)
// is decided by the Assistants API gate in assistants.ts.

import { ApiError, invalid, notFound } from "./errors";
import { newId, nowSec } from "./ids";
import { checkListQuery, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Route } from "./routes";
import { checkMetadata, enumOf, object, req, type Metadata, type Obj } from "./schema";

export interface MessageSpec {
  role: "user" | "assistant";
  /** A string becomes one text part; an array is stored as given (tests may craft odd parts). */
  content: string | Obj[];
  attachments?: Obj[];
  metadata?: Metadata;
  assistant_id?: string | null;
  run_id?: string | null;
  /** What `GET /v1/threads/{id}/messages/{mid}/files` (assistants=v1) lists: v1 MessageFiles. */
  v1_file_ids?: string[];
  /** Default completed; an incomplete message carries `incomplete_details` (default reason max_tokens). */
  status?: MessageStatus;
  incomplete_details?: { reason: IncompleteReason } | null;
}
export interface ThreadSpec {
  id?: string;
  metadata?: Metadata;
  tool_resources?: Obj | null;
  messages?: MessageSpec[];
  /** Append N alternating user/assistant plain-text messages "message i". */
  generate?: number;
}

export type MessageStatus = "in_progress" | "incomplete" | "completed";
const INCOMPLETE_REASONS = ["content_filter", "max_tokens", "run_cancelled", "run_expired", "run_failed"] as const;
type IncompleteReason = (typeof INCOMPLETE_REASONS)[number];

export interface ThreadMessage {
  id: string;
  object: "thread.message";
  created_at: number;
  thread_id: string;
  status: MessageStatus;
  incomplete_details: { reason: IncompleteReason } | null;
  completed_at: number | null;
  incomplete_at: number | null;
  role: "user" | "assistant";
  content: Obj[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: Obj[];
  metadata: Metadata;
}
export interface MessageFileObject {
  id: string;
  object: "thread.message.file";
  created_at: number;
  message_id: string;
}
interface ThreadRecord {
  id: string;
  created_at: number;
  metadata: Metadata;
  tool_resources: Obj | null;
  messages: ThreadMessage[];
  /** v1 MessageFiles by message id; not part of the v2 message object. */
  v1Files: Map<string, MessageFileObject[]>;
}

export class ThreadStore {
  private threads = new Map<string, ThreadRecord>();

  create(spec: ThreadSpec = {}): string {
    const id = spec.id ?? newId("thread_", 24);
    if (this.threads.has(id)) throw new ApiError(409, `Thread '${id}' already exists.`, "invalid_request_error", "id");
    const thread: ThreadRecord = {
      id,
      created_at: nowSec(),
      metadata: checkMetadata(spec.metadata),
      tool_resources: spec.tool_resources === undefined ? {} : spec.tool_resources,
      messages: [],
      v1Files: new Map(),
    };
    this.appendTo(thread, spec); // validates before the thread becomes visible
    this.threads.set(id, thread);
    return id;
  }

  delete(id: string): boolean {
    return this.threads.delete(id);
  }

  append(threadId: string, spec: Pick<ThreadSpec, "messages" | "generate">): string[] {
    return this.appendTo(this.thread(threadId), spec);
  }

  /** A message of the thread (404 if the thread is unknown), undefined if it has none with that id. */
  message(threadId: string, messageId: string): ThreadMessage | undefined {
    return this.thread(threadId).messages.find((m) => m.id === messageId);
  }

  /** The message now belongs to the run; its assistant, if it had none, is the run's. */
  linkRun(threadId: string, messageId: string, runId: string, assistantId: string): void {
    const m = this.message(threadId, messageId)!;
    m.run_id = runId;
    m.assistant_id ??= assistantId;
  }

  /** The run writing an in-progress message finished it: it is completed from now on. */
  completeMessage(threadId: string, messageId: string): ThreadMessage {
    const m = this.message(threadId, messageId);
    if (!m) throw noMessage(messageId);
    m.status = "completed";
    m.completed_at = nowSec();
    return m;
  }

  /** Deletes one message (and its v1 files), as `messages.delete` would; a cursor naming it is then unknown. */
  deleteMessage(threadId: string, messageId: string): void {
    const t = this.thread(threadId);
    const i = t.messages.findIndex((m) => m.id === messageId);
    if (i < 0) throw noMessage(messageId);
    t.messages.splice(i, 1);
    t.v1Files.delete(messageId);
  }

  get(id: string) {
    const t = this.thread(id);
    return { id: t.id, object: "thread", created_at: t.created_at, metadata: t.metadata, tool_resources: t.tool_resources };
  }

  listMessages(threadId: string, q: ListQuery, runId?: string): Page<ThreadMessage> {
    const t = this.thread(threadId);
    const all = runId ? t.messages.filter((m) => m.run_id === runId) : t.messages;
    return paginate(all, q, "message");
  }

  /** The v1 MessageFiles list (OpenAI-Beta: assistants=v1). */
  listMessageFiles(threadId: string, messageId: string, q: ListQuery): Page<MessageFileObject> {
    const t = this.thread(threadId);
    if (!t.messages.some((m) => m.id === messageId)) throw noMessage(messageId);
    return paginate(t.v1Files.get(messageId) ?? [], q, "message file");
  }

  private thread(id: string): ThreadRecord {
    const t = this.threads.get(id);
    if (!t) throw notFound(`No thread found with id '${id}'.`);
    return t;
  }

  private appendTo(thread: ThreadRecord, spec: Pick<ThreadSpec, "messages" | "generate">): string[] {
    const specs = [...(spec.messages ?? [])];
    const n = thread.messages.length + specs.length;
    for (let i = 0; i < (spec.generate ?? 0); i++)
      specs.push({ role: (n + i) % 2 === 0 ? "user" : "assistant", content: `message ${n + i + 1}` });
    specs.forEach((m, i) => {
      if (m?.role !== "user" && m?.role !== "assistant")
        throw invalid(`messages[${i}].role`, "Invalid value. Supported values are: 'user' and 'assistant'.");
      if (typeof m.content !== "string" && !Array.isArray(m.content))
        throw invalid(`messages[${i}].content`, "Invalid type: expected a string or an array of content parts.", "invalid_type");
      checkMetadata(m.metadata, `messages[${i}].metadata`);
      if (m.status !== undefined) enumOf(["in_progress", "incomplete", "completed"])(m.status, `messages[${i}].status`);
      if (m.incomplete_details != null) {
        if (m.status !== "incomplete")
          throw invalid(`messages[${i}].incomplete_details`, "Invalid 'incomplete_details': only an incomplete message has them.");
        object({ reason: req(enumOf(INCOMPLETE_REASONS)) })(m.incomplete_details, `messages[${i}].incomplete_details`);
      }
    });
    // Everything is checked above, so nothing below can fail halfway.
    const built = specs.map((m) => {
      // Strictly increasing created_at, as messages written one after another.
      const created_at = Math.max(nowSec(), (thread.messages.at(-1)?.created_at ?? thread.created_at - 1) + 1);
      const status = m.status ?? "completed";
      const msg: ThreadMessage = {
        id: newId("msg_", 24),
        object: "thread.message",
        created_at,
        thread_id: thread.id,
        status,
        incomplete_details: status === "incomplete" ? (m.incomplete_details ?? { reason: "max_tokens" }) : null,
        completed_at: status === "completed" && m.role === "assistant" ? created_at : null,
        incomplete_at: status === "incomplete" ? created_at : null,
        role: m.role,
        content: typeof m.content === "string" ? [{ type: "text", text: { value: m.content, annotations: [] } }] : m.content,
        // As the API reports messages added with messages.create: no assistant, no run.
        assistant_id: m.assistant_id ?? null,
        run_id: m.run_id ?? null,
        attachments: m.attachments ?? [],
        metadata: checkMetadata(m.metadata),
      };
      thread.messages.push(msg);
      if (m.v1_file_ids?.length) {
        thread.v1Files.set(msg.id, m.v1_file_ids.map((id) => ({ id, object: "thread.message.file", created_at, message_id: msg.id })));
      }
      return msg;
    });
    return built.map((m) => m.id);
  }
}

/** Served only with `OpenAI-Beta: assistants=v1` (see the gate in assistants.ts). */
export const V1_MESSAGE_FILES = "/v1/threads/{id}/messages/{message_id}/files";

const noMessage = (id: string) => notFound(`No message found with id '${id}'.`);

export const threadRoutes: Route[] = [
  route("GET", "/v1/threads/{id}", (c) => c.state.threads.get(c.params.id)),
  route("GET", "/v1/threads/{id}/messages", (c) =>
    c.state.threads.listMessages(c.params.id, checkListQuery(c.query, true), c.query.get("run_id") ?? undefined),
  ),
  route("GET", V1_MESSAGE_FILES, (c) => c.state.threads.listMessageFiles(c.params.id, c.params.message_id, checkListQuery(c.query, true))),

  route("POST", "/__control/threads", (c) => ({ id: c.state.threads.create(c.body() as ThreadSpec) })),
  route("DELETE", "/__control/threads/{id}", (c) => {
    if (!c.state.deleteThread(c.params.id)) throw notFound(`No thread found with id '${c.params.id}'.`);
    return { id: c.params.id, deleted: true };
  }),
  route("POST", "/__control/threads/{id}/messages", (c) => {
    const b = c.body() as { messages?: MessageSpec[]; generate?: number };
    return { ids: c.state.appendMessages(c.params.id, b) };
  }),
  route("POST", "/__control/threads/{id}/messages/{message_id}/complete", (c) => c.state.threads.completeMessage(c.params.id, c.params.message_id)),
  route("DELETE", "/__control/threads/{id}/messages/{message_id}", (c) => {
    c.state.threads.deleteMessage(c.params.id, c.params.message_id);
    return { id: c.params.message_id, deleted: true };
  }),
];
