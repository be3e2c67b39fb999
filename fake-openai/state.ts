// In-memory store behind the fake, plus its config, fault rules and call log.
// Every operation a test can do over /__control is a method here, so Node-side
// callers (bench, dev script) use the same code paths.

import { randomBytes } from "node:crypto";
import { ApiError, invalid, notFound } from "./errors";
import { compileRules, prng, type ActiveRule, type FaultRule, type RandomFaults } from "./faults";
import { seedDemo } from "./seed";
import {
  checkAssistantSeed,
  checkMetadata,
  FILE_STATUSES,
  type AssistantFields,
  type AssistantSeed,
  type Attributes,
  type ChunkingStrategy,
  type ExpiresAfter,
  type FileToAttach,
  type IngestError,
  type ListQuery,
  type Metadata,
  type NewItem,
  type NewVectorStore,
  type Obj,
  type Role,
  type ToolResources,
  type VectorStoreFileStatus,
} from "./validate";

export interface FakeConfig {
  /** Added to every /v1 call. */
  latencyMs: number;
  random: RandomFaults;
  /** Assistants API shutdown switch: every /v1/threads* and /v1/assistants* answers this. */
  assistantsGone: 404 | 410 | null;
  /** Accepted bearer keys. */
  apiKeys: string[];
  /**
   * The legacy `GET /v1/assistants/{id}/files` with `OpenAI-Beta: assistants=v1`:
   * "on" answers the list; 400 is what api.openai.com answers today (v1 deprecated,
   * code invalid_beta); 404 a removed route; 410 an explicit shutdown.
   */
  v1Files: "on" | 400 | 404 | 410;
  /** When vector store ingestion finishes; captured per batch/store when it is created. */
  ingest: IngestConfig;
}
export interface IngestConfig {
  /** Status reads (GET of the batch or of the store) that still answer in_progress. Default 0. */
  afterPolls: number;
  /** Milliseconds before files are processed. Default 0 = processed on the next read. */
  afterMs: number;
}
export type ConfigPatch = Partial<Omit<FakeConfig, "random" | "ingest">> & {
  random?: Partial<RandomFaults>;
  ingest?: Partial<IngestConfig>;
};
export type { IngestError, VectorStoreFileStatus, AssistantSeed };

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

/** POST /__control/vector_stores. */
export interface VectorStoreSpec {
  id?: string;
  name?: string;
  metadata?: Metadata;
  expires_after?: ExpiresAfter;
  /** Attached and already completed. */
  file_ids?: string[];
  /** Attached with a given state; in_progress files then ingest per the current `ingest` config. */
  files?: { file_id: string; status?: VectorStoreFileStatus; last_error?: IngestError | null }[];
}

export interface AssistantObject {
  id: string;
  object: "assistant";
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: Obj[];
  tool_resources: ToolResources | null;
  metadata: Metadata;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
  reasoning_effort?: string | null;
  /** Legacy v1 field, present only when seeded. */
  file_ids?: string[];
}
export interface AssistantFileObject {
  id: string;
  object: "assistant.file";
  created_at: number;
  assistant_id: string;
}
interface AssistantRecord {
  obj: AssistantObject;
  v1Files: AssistantFileObject[];
}

/** One ingestion run (a batch, or the file_ids of a store create/seed); done once its config is met. */
interface IngestJob {
  createdMs: number;
  afterPolls: number;
  afterMs: number;
  polls: number;
  done: boolean;
}
interface StoreFile {
  file_id: string;
  vector_store_id: string;
  created_at: number;
  status: VectorStoreFileStatus;
  last_error: IngestError | null;
  chunking_strategy: ChunkingStrategy | undefined;
  attributes: Attributes | null | undefined;
  job: IngestJob | null;
}
interface BatchRecord {
  id: string;
  created_at: number;
  vector_store_id: string;
  /** The records as attached by this batch (a later retry of a failed file gets a new record). */
  files: StoreFile[];
}
interface VectorStoreRecord {
  id: string;
  created_at: number;
  name: string;
  metadata: Metadata;
  expires_after: ExpiresAfter | null;
  last_active_at: number;
  /** Insertion order = creation order of the vector store files. */
  files: Map<string, StoreFile>;
  batches: Map<string, BatchRecord>;
}
export interface FileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}
export interface VectorStoreObject {
  id: string;
  object: "vector_store";
  created_at: number;
  name: string;
  usage_bytes: number;
  file_counts: FileCounts;
  status: "in_progress" | "completed" | "expired";
  expires_after?: ExpiresAfter;
  expires_at: number | null;
  last_active_at: number;
  metadata: Metadata;
}
export interface VectorStoreFileObject {
  id: string;
  object: "vector_store.file";
  usage_bytes: number;
  created_at: number;
  vector_store_id: string;
  status: VectorStoreFileStatus;
  last_error: IngestError | null;
  chunking_strategy: Obj;
  attributes: Attributes;
}
export interface VectorStoreFileBatchObject {
  id: string;
  object: "vector_store.files_batch";
  created_at: number;
  vector_store_id: string;
  status: "in_progress" | "completed" | "failed" | "cancelled";
  file_counts: FileCounts;
}
export interface VectorStoreSnapshot extends VectorStoreObject {
  files: VectorStoreFileObject[];
  batches: (VectorStoreFileBatchObject & { file_ids: string[] })[];
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
  /** v1 MessageFiles by message id; not part of the v2 message object. */
  v1Files: Map<string, MessageFileObject[]>;
}

export interface MessageFileObject {
  id: string;
  object: "thread.message.file";
  created_at: number;
  message_id: string;
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
 * Cursor pagination shared by every list. `after` starts behind the cursor;
 * `before` (alone) returns the `limit` entries right before it, like the real
 * API. An unknown cursor is a 400: silently answering an empty page would let
 * a client mistake a lost checkpoint for "done". Cursors are looked up in the
 * unfiltered list, so a `filter` page still continues after an entry whose
 * status changed since the previous page.
 */
function paginate<T extends { id: string }>(all: T[], q: ListQuery, what: string, keep?: (x: T) => boolean): Page<T> {
  const ordered = q.order === "asc" ? all : [...all].reverse();
  const at = (param: string, id: string) => {
    const i = ordered.findIndex((x) => x.id === id);
    if (i < 0) throw invalid(param, `Invalid '${param}': no ${what} found with id '${id}'.`);
    return i;
  };
  const start = q.after ? at("after", q.after) + 1 : 0;
  const end = q.before ? at("before", q.before) : ordered.length;
  const window = ordered.slice(start, Math.max(start, end));
  const candidates = keep ? window.filter(keep) : window;
  const beforeOnly = !!q.before && !q.after;
  const from = beforeOnly ? Math.max(0, candidates.length - q.limit) : 0;
  const data = candidates.slice(from, from + q.limit);
  const has_more = beforeOnly ? from > 0 : candidates.length > q.limit;
  return { object: "list", data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more };
}

const DEFAULT_CHUNKING = { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };

function countFiles(files: Iterable<StoreFile>): FileCounts {
  const counts: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
  for (const f of files) {
    counts[f.status]++;
    counts.total++;
  }
  return counts;
}

export class FakeState {
  private threads = new Map<string, ThreadRecord>();
  private files = new Map<string, FileObject>();
  private conversations = new Map<string, ConversationSnapshot>();
  private itemIds = new Set<string>();
  private assistants = new Map<string, AssistantRecord>();
  private vectorStores = new Map<string, VectorStoreRecord>();
  /** file id → the error its ingestion ends with (any store, until cleared). */
  private failIngest = new Map<string, IngestError>();
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
    this.assistants.clear();
    this.vectorStores.clear();
    this.failIngest.clear();
    this.rules = [];
    this.clearCalls();
    this.config = {
      latencyMs: this.defaults.latencyMs,
      random: { rate500: 0, rate429: 0, retryAfter: 1, rateCommitThenFail: 0, seed: 1 },
      assistantsGone: null,
      apiKeys: [...this.defaults.apiKeys],
      v1Files: "on",
      ingest: { afterPolls: 0, afterMs: 0 },
    };
    this.rand = prng(this.config.random.seed);
    if (opts.seed === "demo") seedDemo(this);
  }

  configure(patch: ConfigPatch): FakeConfig {
    const { random, ingest, ...rest } = patch;
    if (rest.v1Files !== undefined && !["on", 400, 404, 410].includes(rest.v1Files))
      throw invalid("v1Files", `Invalid 'v1Files': expected "on", 400, 404 or 410.`);
    for (const [k, v] of Object.entries(ingest ?? {}))
      if (!["afterPolls", "afterMs"].includes(k) || typeof v !== "number" || !(v >= 0))
        throw invalid(`ingest.${k}`, `Invalid 'ingest.${k}': expected afterPolls/afterMs, a number >= 0.`);
    this.config = {
      ...this.config,
      ...rest,
      random: { ...this.config.random, ...random },
      ingest: { ...this.config.ingest, ...ingest },
    };
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
      v1Files: new Map(),
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

  /** Seeds an assistant (v2 shape plus legacy `retrieval` tools, `file_ids`, `v1_file_ids`); 409 if the id exists. */
  createAssistant(spec: AssistantSeed): string {
    const seed = checkAssistantSeed(spec ?? {});
    const id = seed.id ?? newId("asst_", 24);
    if (this.assistants.has(id)) throw new ApiError(409, `Assistant '${id}' already exists.`, "invalid_request_error", "id");
    const created_at = nowSec();
    const obj: AssistantObject = {
      id,
      object: "assistant",
      created_at,
      name: seed.name ?? null,
      description: seed.description ?? null,
      model: seed.model ?? "gpt-4o",
      instructions: seed.instructions ?? null,
      tools: seed.tools ?? [],
      tool_resources: seed.tool_resources ?? {},
      metadata: seed.metadata ?? {},
      temperature: seed.temperature !== undefined ? seed.temperature : 1,
      top_p: seed.top_p !== undefined ? seed.top_p : 1,
      response_format: seed.response_format !== undefined ? seed.response_format : "auto",
      ...(seed.reasoning_effort !== undefined ? { reasoning_effort: seed.reasoning_effort } : {}),
      ...(seed.file_ids ? { file_ids: [...seed.file_ids] } : {}),
    };
    const v1Files = (seed.v1_file_ids ?? []).map((fid) => ({
      id: fid,
      object: "assistant.file" as const,
      created_at,
      assistant_id: id,
    }));
    this.assistants.set(id, { obj, v1Files });
    return id;
  }

  assistantSnapshots(): (AssistantObject & { v1_file_ids: string[] })[] {
    return [...this.assistants.values()].map((a) => ({ ...structuredClone(a.obj), v1_file_ids: a.v1Files.map((f) => f.id) }));
  }

  /**
   * Seeds a vector store whose files are already attached: `file_ids` completed,
   * `files` with the given status (in_progress ones ingest per the current config).
   */
  seedVectorStore(spec: VectorStoreSpec = {}): string {
    const id = spec.id ?? newId("vs_", 24);
    if (this.vectorStores.has(id)) throw new ApiError(409, `Vector store '${id}' already exists.`, "invalid_request_error", "id");
    const entries = [
      ...(spec.file_ids ?? []).map((file_id) => ({ file_id, status: "completed" as const, last_error: null })),
      ...(spec.files ?? []),
    ];
    entries.forEach((f, i) => {
      if (typeof f?.file_id !== "string") throw invalid(`files[${i}].file_id`, `Missing required parameter: 'files[${i}].file_id'.`);
      if (f.status !== undefined && !FILE_STATUSES.includes(f.status))
        throw invalid(`files[${i}].status`, `Invalid value: '${String(f.status)}'. Supported values are: ${FILE_STATUSES.join(", ")}.`);
    });
    const store = this.newStore(id, {
      name: spec.name,
      metadata: checkMetadata(spec.metadata),
      expires_after: spec.expires_after,
      files: [],
    });
    const job = this.newJob();
    for (const f of entries) {
      const status = f.status ?? "completed";
      store.files.set(f.file_id, {
        ...this.newStoreFile(store, { file_id: f.file_id }, status === "in_progress" ? job : null),
        status,
        last_error: f.last_error ?? (status === "failed" ? { code: "server_error", message: "Ingestion failed." } : null),
      });
    }
    this.vectorStores.set(id, store);
    return id;
  }

  /** Simulates a vector store that expired or was deleted out of band; false if unknown. */
  dropVectorStore(id: string): boolean {
    return this.vectorStores.delete(id);
  }

  /** From now on, ingestion of this file (in any store) ends `failed` with this error. */
  failFileIngestion(fileId: string, error: IngestError): void {
    if (!this.files.has(fileId)) throw notFound(`No such File object: ${fileId}`, "id");
    this.failIngest.set(fileId, { ...error });
  }
  clearFileIngestionFailure(fileId: string): boolean {
    return this.failIngest.delete(fileId);
  }

  /** Observer only: never advances ingestion (only /v1 reads do). */
  vectorStoreSnapshots(): VectorStoreSnapshot[] {
    return [...this.vectorStores.values()].map((s) => this.snapshotOf(s));
  }
  vectorStoreSnapshot(id: string): VectorStoreSnapshot | undefined {
    const s = this.vectorStores.get(id);
    return s && this.snapshotOf(s);
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

  // ----- assistants -----

  listAssistants(q: ListQuery): Page<AssistantObject> {
    return paginate([...this.assistants.values()].map((a) => a.obj), q, "assistant");
  }

  getAssistant(id: string): AssistantObject {
    return this.assistant(id).obj;
  }

  /** Fields given replace the stored ones; `tool_resources` per tool (null clears it to {}); `metadata` wholesale. */
  modifyAssistant(id: string, patch: AssistantFields): AssistantObject {
    const a = this.assistant(id);
    const { tool_resources, metadata, ...rest } = patch;
    Object.assign(a.obj, rest);
    if (tool_resources === null) a.obj.tool_resources = {};
    else if (tool_resources) {
      const tr: ToolResources = { ...a.obj.tool_resources };
      if (tool_resources.code_interpreter) tr.code_interpreter = { file_ids: tool_resources.code_interpreter.file_ids ?? [] };
      if (tool_resources.file_search) tr.file_search = { vector_store_ids: tool_resources.file_search.vector_store_ids ?? [] };
      a.obj.tool_resources = tr;
    }
    if (metadata !== undefined) a.obj.metadata = metadata;
    return a.obj;
  }

  /** The v1 MessageFiles list (OpenAI-Beta: assistants=v1). */
  listMessageFiles(threadId: string, messageId: string, q: ListQuery): Page<MessageFileObject> {
    const t = this.threads.get(threadId);
    if (!t) throw notFound(`No thread found with id '${threadId}'.`);
    if (!t.messages.some((m) => m.id === messageId)) throw notFound(`No message found with id '${messageId}'.`);
    return paginate(t.v1Files.get(messageId) ?? [], q, "message file");
  }

  /** The v1 AssistantFiles list (OpenAI-Beta: assistants=v1). */
  listAssistantFiles(id: string, q: ListQuery): Page<AssistantFileObject> {
    return paginate(this.assistant(id).v1Files, q, "assistant file");
  }

  // ----- vector stores -----

  fileExists = (id: string): boolean => this.files.has(id);
  vectorStoreExists = (id: string): boolean => this.vectorStores.has(id);

  /** Files from `file_ids` start in_progress and ingest like a batch (the create answer shows in_progress). */
  createVectorStore(spec: NewVectorStore): VectorStoreObject {
    const store = this.newStore(newId("vs_", 24), spec);
    this.vectorStores.set(store.id, store);
    return this.storeObject(store);
  }

  listVectorStores(q: ListQuery): Page<VectorStoreObject> {
    for (const s of this.vectorStores.values()) this.settle(s);
    return paginate([...this.vectorStores.values()].map((s) => this.storeObject(s)), q, "vector store");
  }

  /** A status read: settles what is due, then counts as a poll for the store's unfinished ingestion. */
  getVectorStore(id: string): VectorStoreObject {
    const store = this.store(id);
    this.settle(store);
    const out = this.storeObject(store);
    this.countPoll(store.files.values());
    return out;
  }

  /** 404 unless the store exists (lets a write answer 404 before validating its body). */
  assertVectorStore(id: string): void {
    this.store(id);
  }

  deleteVectorStore(id: string) {
    this.store(id);
    this.vectorStores.delete(id);
    return { id, object: "vector_store.deleted" as const, deleted: true };
  }

  listVectorStoreFiles(id: string, q: ListQuery & { filter?: VectorStoreFileStatus }): Page<VectorStoreFileObject> {
    const store = this.store(id);
    this.settle(store);
    const files = [...store.files.values()].map((f) => this.fileObject(f));
    return paginate(files, q, "file", q.filter && ((f) => f.status === q.filter));
  }

  /**
   * Attaches files through a batch. A file already in the store is not
   * duplicated: in_progress/completed ones keep their record (and count in
   * this batch as they are), failed/cancelled ones are ingested again.
   */
  createFileBatch(storeId: string, files: FileToAttach[]): VectorStoreFileBatchObject {
    const store = this.store(storeId);
    const job = this.newJob();
    const batch: BatchRecord = { id: newId("vsfb_", 32), created_at: nowSec(), vector_store_id: store.id, files: [] };
    const seen = new Set<string>();
    for (const f of files) {
      if (seen.has(f.file_id)) continue;
      seen.add(f.file_id);
      const existing = store.files.get(f.file_id);
      if (existing && (existing.status === "in_progress" || existing.status === "completed")) {
        batch.files.push(existing);
        continue;
      }
      const record = this.newStoreFile(store, f, job);
      store.files.delete(f.file_id); // a retried file moves to the end (its new created_at)
      store.files.set(f.file_id, record);
      batch.files.push(record);
    }
    store.batches.set(batch.id, batch);
    store.last_active_at = nowSec();
    return this.batchObject(batch);
  }

  /** A status read: settles what is due, then counts as a poll for the batch's unfinished files. */
  getFileBatch(storeId: string, batchId: string): VectorStoreFileBatchObject {
    const { store, batch } = this.batch(storeId, batchId);
    this.settle(store);
    const out = this.batchObject(batch);
    this.countPoll(batch.files);
    return out;
  }

  listBatchFiles(storeId: string, batchId: string, q: ListQuery & { filter?: VectorStoreFileStatus }): Page<VectorStoreFileObject> {
    const { store, batch } = this.batch(storeId, batchId);
    this.settle(store);
    const files = batch.files.map((f) => this.fileObject(f));
    return paginate(files, q, "file", q.filter && ((f) => f.status === q.filter));
  }

  // ---------- internals ----------

  private assistant(id: string): AssistantRecord {
    const a = this.assistants.get(id);
    if (!a) throw notFound(`No assistant found with id '${id}'.`);
    return a;
  }

  private store(id: string): VectorStoreRecord {
    const s = this.vectorStores.get(id);
    if (!s) throw notFound(`No vector store found with id '${id}'.`);
    return s;
  }

  private batch(storeId: string, batchId: string): { store: VectorStoreRecord; batch: BatchRecord } {
    const store = this.store(storeId);
    const batch = store.batches.get(batchId);
    if (!batch) throw notFound(`No file batch found with id '${batchId}' in vector store '${storeId}'.`);
    return { store, batch };
  }

  private newJob(): IngestJob {
    const { afterPolls, afterMs } = this.config.ingest;
    return { createdMs: Date.now(), afterPolls, afterMs, polls: 0, done: false };
  }

  private newStore(id: string, spec: NewVectorStore): VectorStoreRecord {
    const now = nowSec();
    const store: VectorStoreRecord = {
      id,
      created_at: now,
      name: spec.name ?? "",
      metadata: spec.metadata,
      expires_after: spec.expires_after ?? null,
      last_active_at: now,
      files: new Map(),
      batches: new Map(),
    };
    if (spec.files.length) {
      const job = this.newJob();
      for (const f of spec.files)
        if (!store.files.has(f.file_id)) store.files.set(f.file_id, this.newStoreFile(store, f, job));
    }
    return store;
  }

  private newStoreFile(store: VectorStoreRecord, f: Pick<FileToAttach, "file_id"> & Partial<FileToAttach>, job: IngestJob | null): StoreFile {
    return {
      file_id: f.file_id,
      vector_store_id: store.id,
      created_at: nowSec(),
      status: job ? "in_progress" : "completed",
      last_error: null,
      chunking_strategy: f.chunking_strategy,
      attributes: f.attributes,
      job,
    };
  }

  /** Finishes every in_progress file whose job is due: completed, or failed with its marked error. */
  private settle(store: VectorStoreRecord): void {
    const now = Date.now();
    const finish = (f: StoreFile) => {
      const job = f.job;
      if (f.status !== "in_progress" || !job) return;
      if (!job.done && job.polls >= job.afterPolls && now - job.createdMs >= job.afterMs) job.done = true;
      if (!job.done) return;
      const error = this.failIngest.get(f.file_id);
      f.status = error ? "failed" : "completed";
      f.last_error = error ? { ...error } : null;
    };
    for (const f of store.files.values()) finish(f);
    for (const b of store.batches.values()) b.files.forEach(finish);
  }

  /** One poll for each distinct job that still has an in_progress file among `files`. */
  private countPoll(files: Iterable<StoreFile>): void {
    const jobs = new Set<IngestJob>();
    for (const f of files) if (f.status === "in_progress" && f.job && !f.job.done) jobs.add(f.job);
    for (const job of jobs) job.polls++;
  }

  private fileObject(f: StoreFile): VectorStoreFileObject {
    return {
      id: f.file_id,
      object: "vector_store.file",
      usage_bytes: f.status === "completed" ? (this.files.get(f.file_id)?.bytes ?? 0) : 0,
      created_at: f.created_at,
      vector_store_id: f.vector_store_id,
      status: f.status,
      last_error: f.last_error && { ...f.last_error },
      chunking_strategy: f.chunking_strategy?.type === "static" ? structuredClone(f.chunking_strategy) : structuredClone(DEFAULT_CHUNKING),
      attributes: { ...(f.attributes ?? {}) },
    };
  }

  private storeObject(s: VectorStoreRecord): VectorStoreObject {
    const file_counts = countFiles(s.files.values());
    let usage_bytes = 0;
    for (const f of s.files.values()) if (f.status === "completed") usage_bytes += this.files.get(f.file_id)?.bytes ?? 0;
    return {
      id: s.id,
      object: "vector_store",
      created_at: s.created_at,
      name: s.name,
      usage_bytes,
      file_counts,
      status: file_counts.in_progress > 0 ? "in_progress" : "completed",
      ...(s.expires_after ? { expires_after: { ...s.expires_after } } : {}),
      expires_at: s.expires_after ? s.last_active_at + s.expires_after.days * 86_400 : null,
      last_active_at: s.last_active_at,
      metadata: { ...s.metadata },
    };
  }

  /** in_progress while any file is; failed if every file failed; cancelled if every file was cancelled; else completed. */
  private batchObject(b: BatchRecord): VectorStoreFileBatchObject {
    const file_counts = countFiles(b.files);
    const status =
      file_counts.in_progress > 0
        ? "in_progress"
        : file_counts.total > 0 && file_counts.failed === file_counts.total
          ? "failed"
          : file_counts.total > 0 && file_counts.cancelled === file_counts.total
            ? "cancelled"
            : "completed";
    return { id: b.id, object: "vector_store.files_batch", created_at: b.created_at, vector_store_id: b.vector_store_id, status, file_counts };
  }

  private snapshotOf(s: VectorStoreRecord): VectorStoreSnapshot {
    return {
      ...this.storeObject(s),
      files: [...s.files.values()].map((f) => this.fileObject(f)),
      batches: [...s.batches.values()].map((b) => ({ ...this.batchObject(b), file_ids: b.files.map((f) => f.file_id) })),
    };
  }

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
      if (m.v1_file_ids?.length) {
        thread.v1Files.set(msg.id, m.v1_file_ids.map((id) => ({ id, object: "thread.message.file", created_at, message_id: msg.id })));
      }
      return msg;
    });
    return built.map((m) => m.id);
  }
}
