// In-memory store behind the fake, plus its config, fault rules and call log.
// Every operation a test can do over /__control is a method here, so Node-side
// callers (bench, dev script) use the same code paths.

import { randomBytes } from "node:crypto";
import { ApiError, invalid, notFound } from "./errors";
import { compileRules, prng, type ActiveRule, type FaultRule, type RandomFaults } from "./faults";
import { seedDemo } from "./seed";
import { checkMetadata, type ListQuery, type Metadata, type NewItem, type Obj, type Role } from "./validate";

export interface FakeConfig {
  /** Added to every /v1 call. */
  latencyMs: number;
  random: RandomFaults;
  /** Assistants API shutdown switch: every /v1/threads* and /v1/assistants* answers this. */
  assistantsGone: 404 | 410 | null;
  /** Accepted bearer keys. */
  apiKeys: string[];
}
export type ConfigPatch = Partial<Omit<FakeConfig, "random">> & { random?: Partial<RandomFaults> };

export interface MessageSpec {
  role: "user" | "assistant";
  /** A string becomes one text part; an array is stored as given (tests may craft odd parts). */
  content: string | Obj[];
  attachments?: Obj[];
  metadata?: Metadata;
  assistant_id?: string | null;
  run_id?: string | null;
}
export interface ThreadSpec {
  id?: string;
  metadata?: Metadata;
  tool_resources?: Obj | null;
  messages?: MessageSpec[];
  /** Append N alternating user/assistant plain-text messages "message i". */
  generate?: number;
}
export interface FileSpec {
  id?: string;
  filename: string;
  bytes?: number;
  purpose?: string;
}

export interface ThreadMessage {
  id: string;
  object: "thread.message";
  created_at: number;
  thread_id: string;
  status: "completed";
  incomplete_details: null;
  completed_at: number | null;
  incomplete_at: null;
  role: "user" | "assistant";
  content: Obj[];
  assistant_id: string | null;
  run_id: string | null;
  attachments: Obj[];
  metadata: Metadata;
}
interface ThreadRecord {
  id: string;
  created_at: number;
  metadata: Metadata;
  tool_resources: Obj | null;
  messages: ThreadMessage[];
}
export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
}
export interface ConversationItem {
  id: string;
  type: "message";
  status: "completed";
  role: Role;
  content: Obj[];
  phase?: string | null;
}
export interface ConversationSnapshot {
  id: string;
  created_at: number;
  metadata: Metadata;
  items: ConversationItem[];
}
export interface Page<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}
export interface CallRecord {
  method: string;
  path: string;
  /** Templated, e.g. "GET /v1/threads/{id}/messages". */
  route: string;
  /** null while the request is still in flight (e.g. hanging). */
  status: number | null;
  at: number;
}

const MAX_LOGGED_CALLS = 50_000; // totals stay exact; only the detailed list is capped

const nowSec = () => Math.floor(Date.now() / 1000);

let lastSeq = 0;
/** Ids that sort in creation order (time-based hex prefix) and never repeat across resets/restarts. */
function newId(prefix: string, hexLen: number): string {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 4096);
  return prefix + lastSeq.toString(16).padStart(14, "0") + randomBytes(hexLen).toString("hex").slice(0, hexLen - 14);
}

/**
 * Cursor pagination shared by messages and conversation items. `after` starts
 * behind the cursor; `before` (alone) returns the `limit` entries right before
 * it, like the real API. An unknown cursor is a 400: silently answering an
 * empty page would let a client mistake a lost checkpoint for "done".
 */
function paginate<T extends { id: string }>(all: T[], q: ListQuery, what: string): Page<T> {
  const ordered = q.order === "asc" ? all : [...all].reverse();
  const at = (param: string, id: string) => {
    const i = ordered.findIndex((x) => x.id === id);
    if (i < 0) throw invalid(param, `Invalid '${param}': no ${what} found with id '${id}'.`);
    return i;
  };
  const start = q.after ? at("after", q.after) + 1 : 0;
  const end = q.before ? at("before", q.before) : ordered.length;
  const from = q.before && !q.after ? Math.max(start, end - q.limit) : start;
  const to = Math.max(from, Math.min(end, from + q.limit));
  const data = ordered.slice(from, to);
  const has_more = q.before && !q.after ? from > start : to < end;
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more };
}

export class FakeState {
  private threads = new Map<string, ThreadRecord>();
  private files = new Map<string, FileObject>();
  private conversations = new Map<string, ConversationSnapshot>();
  private itemIds = new Set<string>();
  private rules: ActiveRule[] = [];
  private calls: CallRecord[] = [];
  private callTotal = 0;
  private byRoute: Record<string, number> = {};
  config!: FakeConfig;
  /** Seeded PRNG for random faults and rule probabilities. */
  rand!: () => number;

  constructor(private readonly defaults: { apiKeys: string[]; latencyMs: number }) {
    this.reset();
  }

  // ---------- control ----------

  /** Empty store, no faults, default config, cleared call log; optionally the demo data. */
  reset(opts: { seed?: "demo" | "none" } = {}): void {
    this.threads.clear();
    this.files.clear();
    this.conversations.clear();
    this.itemIds.clear();
    this.rules = [];
    this.clearCalls();
    this.config = {
      latencyMs: this.defaults.latencyMs,
      random: { rate500: 0, rate429: 0, retryAfter: 1, rateCommitThenFail: 0, seed: 1 },
      assistantsGone: null,
      apiKeys: [...this.defaults.apiKeys],
    };
    this.rand = prng(this.config.random.seed);
    if (opts.seed === "demo") seedDemo(this);
  }

  configure(patch: ConfigPatch): FakeConfig {
    const { random, ...rest } = patch;
    this.config = { ...this.config, ...rest, random: { ...this.config.random, ...random } };
    if (random?.seed !== undefined) this.rand = prng(random.seed);
    return this.config;
  }

  addFaults(rules: FaultRule[]): void {
    this.rules.push(...compileRules(rules));
  }
  clearFaults(): void {
    this.rules = [];
  }
  /** Live rules with their counters (remaining/skipped/hits). */
  get faults(): ActiveRule[] {
    return this.rules;
  }

  createThread(spec: ThreadSpec = {}): string {
    const id = spec.id ?? newId("thread_", 24);
    if (this.threads.has(id)) throw new ApiError(409, `Thread '${id}' already exists.`, "invalid_request_error", "id");
    const thread: ThreadRecord = {
      id,
      created_at: nowSec(),
      metadata: checkMetadata(spec.metadata),
      tool_resources: spec.tool_resources === undefined ? {} : spec.tool_resources,
      messages: [],
    };
    this.appendTo(thread, spec); // validates before the thread becomes visible
    this.threads.set(id, thread);
    return id;
  }

  deleteThread(id: string): boolean {
    return this.threads.delete(id);
  }

  appendMessages(threadId: string, spec: Pick<ThreadSpec, "messages" | "generate">): string[] {
    const thread = this.threads.get(threadId);
    if (!thread) throw notFound(`No thread found with id '${threadId}'.`);
    return this.appendTo(thread, spec);
  }

  createFile(spec: FileSpec): string {
    if (typeof spec?.filename !== "string") throw invalid("filename", "Missing required parameter: 'filename'.");
    const id = spec.id ?? `file-${randomBytes(11).toString("hex")}`;
    this.files.set(id, {
      id,
      object: "file",
      bytes: spec.bytes ?? 1024,
      created_at: nowSec(),
      filename: spec.filename,
      purpose: spec.purpose ?? "assistants",
      status: "processed",
    });
    return id;
  }

  conversationSnapshots(): ConversationSnapshot[] {
    return [...this.conversations.values()];
  }
  conversationSnapshot(id: string): ConversationSnapshot | undefined {
    return this.conversations.get(id);
  }

  logCall(method: string, path: string, route: string): CallRecord {
    const call: CallRecord = { method, path, route, status: null, at: Date.now() };
    this.callTotal++;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    this.calls.push(call);
    if (this.calls.length > MAX_LOGGED_CALLS) this.calls.shift();
    return call;
  }
  callLog(): { total: number; byRoute: Record<string, number>; calls: CallRecord[] } {
    return { total: this.callTotal, byRoute: { ...this.byRoute }, calls: [...this.calls] };
  }
  clearCalls(): void {
    this.calls = [];
    this.callTotal = 0;
    this.byRoute = {};
  }

  // ---------- the API ferry calls ----------

  getThread(id: string) {
    const t = this.threads.get(id);
    if (!t) throw notFound(`No thread found with id '${id}'.`);
    return { id: t.id, object: "thread", created_at: t.created_at, metadata: t.metadata, tool_resources: t.tool_resources };
  }

  listMessages(threadId: string, q: ListQuery, runId?: string): Page<ThreadMessage> {
    const t = this.threads.get(threadId);
    if (!t) throw notFound(`No thread found with id '${threadId}'.`);
    const all = runId ? t.messages.filter((m) => m.run_id === runId) : t.messages;
    return paginate(all, q, "message");
  }

  getFile(id: string): FileObject {
    const f = this.files.get(id);
    if (!f) throw notFound(`No such File object: ${id}`, "id");
    return f;
  }

  itemExists = (id: string): boolean => this.itemIds.has(id);

  createConversation(metadata: Metadata, items: NewItem[]) {
    const conv: ConversationSnapshot = { id: newId("conv_", 48), created_at: nowSec(), metadata, items: [] };
    this.conversations.set(conv.id, conv);
    this.storeItems(conv, items);
    return this.conversationResource(conv.id);
  }

  getConversation(id: string) {
    return this.conversationResource(id);
  }

  addItems(conversationId: string, items: NewItem[]): Page<ConversationItem> {
    const created = this.storeItems(this.conversation(conversationId), items);
    return { object: "list", data: created, first_id: created[0]?.id ?? null, last_id: created.at(-1)?.id ?? null, has_more: false };
  }

  listItems(conversationId: string, q: ListQuery): Page<ConversationItem> {
    return paginate(this.conversation(conversationId).items, q, "item");
  }

  // ---------- internals ----------

  private conversation(id: string): ConversationSnapshot {
    const c = this.conversations.get(id);
    if (!c) throw notFound(`Conversation with id '${id}' not found.`);
    return c;
  }

  private conversationResource(id: string) {
    const c = this.conversation(id);
    return { id: c.id, object: "conversation", created_at: c.created_at, metadata: c.metadata };
  }

  /** Items arrive fully validated, so this cannot fail halfway (all-or-nothing). */
  private storeItems(conv: ConversationSnapshot, items: NewItem[]): ConversationItem[] {
    const created = items.map((it) => ({ id: newId("msg_", 48), type: "message" as const, status: "completed" as const, ...it }));
    for (const it of created) this.itemIds.add(it.id);
    conv.items.push(...created);
    return created;
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
    });
    // Everything is checked above, so nothing below can fail halfway.
    const built = specs.map((m) => {
      // Strictly increasing created_at, as messages written one after another.
      const created_at = Math.max(nowSec(), (thread.messages.at(-1)?.created_at ?? thread.created_at - 1) + 1);
      const assistant = m.role === "assistant";
      const msg: ThreadMessage = {
        id: newId("msg_", 24),
        object: "thread.message",
        created_at,
        thread_id: thread.id,
        status: "completed",
        incomplete_details: null,
        completed_at: assistant ? created_at : null,
        incomplete_at: null,
        role: m.role,
        content: typeof m.content === "string" ? [{ type: "text", text: { value: m.content, annotations: [] } }] : m.content,
        assistant_id: m.assistant_id !== undefined ? m.assistant_id : assistant ? "asst_fake" : null,
        run_id: m.run_id !== undefined ? m.run_id : assistant ? newId("run_", 24) : null,
        attachments: m.attachments ?? [],
        metadata: checkMetadata(m.metadata),
      };
      thread.messages.push(msg);
      return msg;
    });
    return built.map((m) => m.id);
  }
}
