// Vector stores and their file batches: request validation, the store (file counts, usage,
// batch status), the /v1 routes (GA: no beta header) and seeding/observing over /__control.
// When attached files finish is ingestion.ts's business.

import { ApiError, invalid, notFound } from "./errors";
import type { FileStore } from "./files";
import { newId, nowSec } from "./ids";
import { FILE_STATUSES, Ingestion, type IngestConfig, type IngestError, type IngestingFile, type IngestJob, type VectorStoreFileStatus } from "./ingestion";
import { checkListQuery, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Route } from "./routes";
import { checkBody, checkMetadata, enumOf, join, listOf, maxLen, metadataField, missing, mustExist, nonNegInt, nullable, numberIn, object, opt, pairs, req, str, TYPE, union, wrongType, type Check, type Metadata, type Obj } from "./schema";

export interface ExpiresAfter {
  anchor: "last_active_at";
  days: number;
}
export type ChunkingStrategy = { type: "auto" } | { type: "static"; static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number } };
export type Attributes = Record<string, string | number | boolean>;
export interface FileToAttach {
  file_id: string;
  chunking_strategy?: ChunkingStrategy;
  attributes?: Attributes | null;
}
export interface NewVectorStore {
  name?: string;
  description?: string;
  metadata: Metadata;
  expires_after?: ExpiresAfter;
  files: FileToAttach[];
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

interface StoreFile extends IngestingFile {
  vector_store_id: string;
  created_at: number;
  chunking_strategy: ChunkingStrategy | undefined;
  attributes: Attributes | null | undefined;
}
interface BatchRecord {
  id: string;
  created_at: number;
  vector_store_id: string;
  /** The records as attached by this batch (a later retry of a failed file gets a new record). */
  files: StoreFile[];
  /** Cancelled while files were still in progress: the batch stays `cancelled`. */
  cancelled: boolean;
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

// ---------- validation (spec: CreateVectorStoreRequest / CreateVectorStoreFileBatchRequest) ----------

const expiresAfter = object({ anchor: req(enumOf(["last_active_at"])), days: req(numberIn(1, 365, true)) });

const chunkingStrategy = union({
  auto: object({ type: TYPE }),
  static: object({
    type: TYPE,
    static: req(
      object({ max_chunk_size_tokens: req(numberIn(100, 4096, true)), chunk_overlap_tokens: req(nonNegInt) }, (o, path) => {
        if ((o.chunk_overlap_tokens as number) > (o.max_chunk_size_tokens as number) / 2)
          throw invalid(
            join(path, "chunk_overlap_tokens"),
            `Invalid '${join(path, "chunk_overlap_tokens")}': must not exceed half of 'max_chunk_size_tokens'.`,
          );
        return o;
      }),
    ),
  }),
});

/** VectorStoreFileAttributes: ≤16 pairs, keys ≤64, values string ≤512 | number | boolean. */
const attributes: Check = (v, path) => {
  const entries = pairs(v, path);
  for (const [k, val] of entries) {
    if (k.length > 64) throw invalid(path, `Invalid '${path}': key '${k.slice(0, 20)}…' is too long. Expected a key with maximum length 64.`, "string_above_max_length");
    if (typeof val === "string") maxLen(512)(val, `${path}.${k}`);
    else if (typeof val !== "number" && typeof val !== "boolean")
      throw wrongType(`${path}.${k}`, "a string, number or boolean", val);
  }
  return Object.fromEntries(entries);
};

/** Unknown file ids are rejected up front (400, nothing written); see README "Decisions". */
function checkFilesExist(files: FileToAttach[], path: (i: number) => string, fileExists: (id: string) => boolean): void {
  mustExist(files.map((f) => f.file_id), path, "file", fileExists);
}

/** POST /v1/vector_stores. `file_ids` ≤ 500 (spec). */
export function checkCreateVectorStore(body: unknown, fileExists: (id: string) => boolean): NewVectorStore {
  const o = checkBody(body, {
    file_ids: opt(listOf(str, 500)),
    name: opt(str),
    description: opt(maxLen(512)),
    expires_after: opt(expiresAfter),
    chunking_strategy: opt(chunkingStrategy),
    metadata: metadataField,
  });
  const strategy = o.chunking_strategy as ChunkingStrategy | undefined;
  const files = ((o.file_ids ?? []) as string[]).map((file_id) => ({ file_id, chunking_strategy: strategy }));
  checkFilesExist(files, (i) => `file_ids[${i}]`, fileExists);
  return {
    name: o.name as string | undefined,
    description: o.description as string | undefined,
    metadata: (o.metadata ?? {}) as Metadata,
    expires_after: o.expires_after as ExpiresAfter | undefined,
    files,
  };
}

/** POST /v1/vector_stores/{id}/file_batches: exactly one of `file_ids` / `files`, each 1..2000. */
export function checkCreateFileBatch(body: unknown, fileExists: (id: string) => boolean): FileToAttach[] {
  const o = checkBody(body, {
    file_ids: opt(listOf(str, 2000, 1)),
    files: opt(
      listOf(object({ file_id: req(str), chunking_strategy: opt(chunkingStrategy), attributes: opt(nullable(attributes)) }), 2000, 1),
    ),
    chunking_strategy: opt(chunkingStrategy),
    attributes: opt(nullable(attributes)),
  });
  if (o.file_ids !== undefined && o.files !== undefined)
    throw invalid("files", "Invalid 'files': 'file_ids' and 'files' are mutually exclusive; provide only one.");
  if (o.files !== undefined) {
    // The per-file form ignores the global attributes/chunking_strategy (spec).
    const files = o.files as FileToAttach[];
    checkFilesExist(files, (i) => `files[${i}].file_id`, fileExists);
    return files;
  }
  if (o.file_ids === undefined) throw missing("file_ids");
  const files = (o.file_ids as string[]).map((file_id) => ({
    file_id,
    chunking_strategy: o.chunking_strategy as ChunkingStrategy | undefined,
    attributes: o.attributes as Attributes | null | undefined,
  }));
  checkFilesExist(files, (i) => `file_ids[${i}]`, fileExists);
  return files;
}

type FileListQuery = ListQuery & { filter?: VectorStoreFileStatus };

/** limit/order/after/before plus `filter` (file status) of the vector store file lists. */
export function checkFileListQuery(q: URLSearchParams): FileListQuery {
  const filter = q.get("filter");
  return {
    ...checkListQuery(q, true),
    ...(filter !== null ? { filter: enumOf(FILE_STATUSES)(filter, "filter") as VectorStoreFileStatus } : {}),
  };
}

// ---------- the store ----------

const DEFAULT_CHUNKING = { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } };

function countFiles(files: Iterable<StoreFile>): FileCounts {
  const counts: FileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
  for (const f of files) {
    counts[f.status]++;
    counts.total++;
  }
  return counts;
}

const noStore = (id: string) => notFound(`No vector store found with id '${id}'.`);

/** A store's files, then every batch's records (a retried file's old record is only in its batch). */
function* everyFile(store: VectorStoreRecord): Iterable<StoreFile> {
  yield* store.files.values();
  for (const b of store.batches.values()) yield* b.files;
}

export class VectorStoreStore {
  private stores = new Map<string, VectorStoreRecord>();
  readonly ingestion: Ingestion;

  constructor(
    private readonly files: FileStore,
    ingestConfig: () => IngestConfig,
  ) {
    this.ingestion = new Ingestion(ingestConfig, files.exists);
  }

  exists = (id: string): boolean => this.stores.has(id);

  /** Files from `file_ids` start in_progress and ingest like a batch (the create answer shows in_progress). */
  create(spec: NewVectorStore): VectorStoreObject {
    const store = this.newStore(newId("vs_", 24), spec);
    this.stores.set(store.id, store);
    return this.storeObject(store);
  }

  list(q: ListQuery): Page<VectorStoreObject> {
    for (const s of this.stores.values()) this.settle(s);
    return paginate([...this.stores.values()].map((s) => this.storeObject(s)), q, "vector store");
  }

  /** A status read: settles what is due, then counts as a poll for the store's unfinished ingestion. */
  get(id: string): VectorStoreObject {
    const store = this.store(id);
    this.settle(store);
    const out = this.storeObject(store);
    this.ingestion.countPoll(store.files.values());
    return out;
  }

  /** 404 unless the store exists (lets a write answer 404 before validating its body). */
  assertExists(id: string): void {
    this.store(id);
  }

  delete(id: string) {
    this.store(id);
    this.stores.delete(id);
    return { id, object: "vector_store.deleted" as const, deleted: true };
  }

  listFiles(id: string, q: FileListQuery): Page<VectorStoreFileObject> {
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
  createBatch(storeId: string, files: FileToAttach[]): VectorStoreFileBatchObject {
    const store = this.store(storeId);
    const job = this.ingestion.newJob();
    const batch: BatchRecord = { id: newId("vsfb_", 32), created_at: nowSec(), vector_store_id: store.id, files: [], cancelled: false };
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
  getBatch(storeId: string, batchId: string): VectorStoreFileBatchObject {
    const { store, batch } = this.batch(storeId, batchId);
    this.settle(store);
    const out = this.batchObject(batch);
    this.ingestion.countPoll(batch.files);
    return out;
  }

  /**
   * Cancels what the batch still ingests: files due by now finish first, the rest become
   * `cancelled` and the batch `cancelled`. A batch with nothing left to cancel is answered as it is.
   */
  cancelBatch(storeId: string, batchId: string): VectorStoreFileBatchObject {
    const { store, batch } = this.batch(storeId, batchId);
    this.settle(store);
    for (const f of batch.files) {
      if (f.status !== "in_progress") continue;
      f.status = "cancelled";
      batch.cancelled = true;
    }
    return this.batchObject(batch);
  }

  listBatchFiles(storeId: string, batchId: string, q: FileListQuery): Page<VectorStoreFileObject> {
    const { store, batch } = this.batch(storeId, batchId);
    this.settle(store);
    const files = batch.files.map((f) => this.fileObject(f));
    return paginate(files, q, "file", q.filter && ((f) => f.status === q.filter));
  }

  /**
   * Seeds a vector store whose files are already attached: `file_ids` completed,
   * `files` with the given status (in_progress ones ingest per the current config).
   */
  seed(spec: VectorStoreSpec = {}): string {
    const id = spec.id ?? newId("vs_", 24);
    if (this.stores.has(id)) throw new ApiError(409, `Vector store '${id}' already exists.`, "invalid_request_error", "id");
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
    const job = this.ingestion.newJob();
    for (const f of entries) {
      const status = f.status ?? "completed";
      store.files.set(f.file_id, {
        ...this.newStoreFile(store, { file_id: f.file_id }, status === "in_progress" ? job : null),
        status,
        last_error: f.last_error ?? (status === "failed" ? { code: "server_error", message: "Ingestion failed." } : null),
      });
    }
    this.stores.set(id, store);
    return id;
  }

  /** Simulates a vector store that expired or was deleted out of band; false if unknown. */
  drop(id: string): boolean {
    return this.stores.delete(id);
  }

  /** Observer only: never advances ingestion (only /v1 reads do). */
  snapshots(): VectorStoreSnapshot[] {
    return [...this.stores.values()].map((s) => this.snapshotOf(s));
  }
  snapshot(id: string): VectorStoreSnapshot | undefined {
    const s = this.stores.get(id);
    return s && this.snapshotOf(s);
  }

  // ---------- internals ----------

  private store(id: string): VectorStoreRecord {
    const s = this.stores.get(id);
    if (!s) throw noStore(id);
    return s;
  }

  private batch(storeId: string, batchId: string): { store: VectorStoreRecord; batch: BatchRecord } {
    const store = this.store(storeId);
    const batch = store.batches.get(batchId);
    if (!batch) throw notFound(`No file batch found with id '${batchId}' in vector store '${storeId}'.`);
    return { store, batch };
  }

  private settle(store: VectorStoreRecord): void {
    this.ingestion.settle(everyFile(store));
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
      const job = this.ingestion.newJob();
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

  private fileObject(f: StoreFile): VectorStoreFileObject {
    return {
      id: f.file_id,
      object: "vector_store.file",
      usage_bytes: f.status === "completed" ? this.files.bytes(f.file_id) : 0,
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
    for (const f of s.files.values()) if (f.status === "completed") usage_bytes += this.files.bytes(f.file_id);
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

  /** in_progress while any file is; cancelled once cancelled (or if every file was); failed if every file failed; else completed. */
  private batchObject(b: BatchRecord): VectorStoreFileBatchObject {
    const file_counts = countFiles(b.files);
    const status =
      file_counts.in_progress > 0
        ? "in_progress"
        : b.cancelled || (file_counts.total > 0 && file_counts.cancelled === file_counts.total)
          ? "cancelled"
          : file_counts.total > 0 && file_counts.failed === file_counts.total
            ? "failed"
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
}

export const vectorStoreRoutes: Route[] = [
  route("POST", "/v1/vector_stores", (c) => c.state.vectorStores.create(checkCreateVectorStore(c.body(), c.state.files.exists))),
  route("GET", "/v1/vector_stores", (c) => c.state.vectorStores.list(checkListQuery(c.query, true))),
  route("GET", "/v1/vector_stores/{id}", (c) => c.state.vectorStores.get(c.params.id)),
  route("DELETE", "/v1/vector_stores/{id}", (c) => c.state.vectorStores.delete(c.params.id)),
  route("GET", "/v1/vector_stores/{id}/files", (c) => c.state.vectorStores.listFiles(c.params.id, checkFileListQuery(c.query))),
  route("POST", "/v1/vector_stores/{id}/file_batches", (c) => {
    c.state.vectorStores.assertExists(c.params.id); // 404 before 400
    return c.state.vectorStores.createBatch(c.params.id, checkCreateFileBatch(c.body(), c.state.files.exists));
  }),
  route("GET", "/v1/vector_stores/{id}/file_batches/{batch_id}", (c) => c.state.vectorStores.getBatch(c.params.id, c.params.batch_id)),
  route("POST", "/v1/vector_stores/{id}/file_batches/{batch_id}/cancel", (c) => c.state.vectorStores.cancelBatch(c.params.id, c.params.batch_id)),
  route("GET", "/v1/vector_stores/{id}/file_batches/{batch_id}/files", (c) =>
    c.state.vectorStores.listBatchFiles(c.params.id, c.params.batch_id, checkFileListQuery(c.query)),
  ),

  route("POST", "/__control/vector_stores", (c) => ({ id: c.state.vectorStores.seed(c.body() as VectorStoreSpec) })),
  route("GET", "/__control/vector_stores", (c) => ({ data: c.state.vectorStores.snapshots() })),
  route("GET", "/__control/vector_stores/{id}", (c) => {
    const store = c.state.vectorStores.snapshot(c.params.id);
    if (!store) throw noStore(c.params.id);
    return store;
  }),
  route("DELETE", "/__control/vector_stores/{id}", (c) => {
    if (!c.state.vectorStores.drop(c.params.id)) throw noStore(c.params.id);
    return { id: c.params.id, deleted: true };
  }),
];
