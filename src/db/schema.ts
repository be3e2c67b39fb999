import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { PromptSpec } from "../conversion/prompt-spec";
import type { AttachedFiles, SourceToolResources, ToolResources } from "../conversion/tool-resources";
import type { MigrationWarning } from "../conversion/types";
import type { ExportLocation } from "../exports/location";

export const THREAD_STATUSES = ["pending", "migrating", "migrated", "failed", "source_unavailable"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** Where a thread is read from: a live Assistants-compatible API, or an uploaded export (contract §6). */
export const THREAD_SOURCES = ["api", "export"] as const;

/** Where an owner's files stand: being attached/ingested, all settled, or not checkable. */
export const FILES_STATUSES = ["ingesting", "synced", "failed", "source_unavailable"] as const;

export interface StoredError {
  code: string;
  message: string;
}

/** Times are epoch milliseconds; the API formats them. */
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/**
 * The threads the backfill has work for: its partial index holds only those, so the fan-out reads
 * them and not the migrated majority. A query uses the index only if it repeats this very condition
 * (with literals: SQLite matches a partial index by its expression), so both take it from here.
 */
export const BACKFILL_WORK = sql.raw(`("status" in ('pending', 'failed', 'source_unavailable') or "files_status" = 'failed')`);

/** One row per thread ferry knows: the thread → conversation mapping, and the migration's checkpoint. */
export const threads = sqliteTable(
  "threads",
  {
    threadId: text("thread_id").primaryKey(),
    status: text("status", { enum: THREAD_STATUSES }).notNull().default("pending"),
    source: text("source", { enum: THREAD_SOURCES }).notNull().default("api"),
    // An exported thread: the export that registered it, and where its lines are.
    exportId: text("export_id"),
    exportLocation: text("export_location", { mode: "json" }).$type<ExportLocation>(),
    conversationId: text("conversation_id"),
    messagesMigrated: integer("messages_migrated").notNull().default(0),
    // Items written in all (tool items included), and how many of the entry after the cursor already are.
    itemsWritten: integer("items_written").notNull().default(0),
    entryItemsWritten: integer("entry_items_written").notNull().default(0),
    // Checkpoint: the last source message consumed and the last conversation item written.
    cursor: text("cursor"),
    lastItemId: text("last_item_id"),
    // The last messages consumed, newest last: where to resume if the source deletes the cursor's message.
    recentMessageIds: text("recent_message_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    // A write may have landed without being checkpointed: the next holder reconciles first.
    needsReconcile: integer("needs_reconcile", { mode: "boolean" }).notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    // Failures since the last progress: what the next retry backs off by.
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    warnings: text("warnings", { mode: "json" }).$type<MigrationWarning[]>().notNull().default(sql`'[]'`),
    error: text("error", { mode: "json" }).$type<StoredError>(),
    toolResources: text("tool_resources", { mode: "json" }).$type<SourceToolResources>(),
    attachedFiles: text("attached_files", { mode: "json" }).$type<AttachedFiles>(),
    metadataOverflow: text("metadata_overflow", { mode: "json" }).$type<Record<string, string>>(),
    // What the app must pass per response once its stores and files were checked live (contract §5).
    liveToolResources: text("live_tool_resources", { mode: "json" }).$type<ToolResources>(),
    filesStatus: text("files_status", { enum: FILES_STATUSES }),
    // A long thread's v1 MessageFiles scan in progress: the page it continues after and the files found so far.
    filesScan: text("files_scan", { mode: "json" }).$type<{ after: string | null; fileIds: string[] }>(),
    // When a queue message for it was last sent, and by which backfill run (for the run's drain check).
    enqueuedAt: integer("enqueued_at"),
    queuedRunId: text("queued_run_id"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    migratedAt: integer("migrated_at"),
  },
  (t) => [
    index("threads_status_next_attempt").on(t.status, t.nextAttemptAt),
    index("threads_queued_run").on(t.queuedRunId, t.status),
    index("threads_migrated_at").on(t.migratedAt),
    index("threads_export").on(t.exportId, t.threadId),
    // The newest failure of each status, which /v1/status names, in one indexed row read.
    index("threads_status_updated").on(t.status, t.updatedAt),
    // The list filtered by status, in id order (keyset pages).
    index("threads_status_id").on(t.status, t.threadId),
    index("threads_backfill_work").on(t.threadId).where(BACKFILL_WORK),
  ],
);

export type ThreadRow = typeof threads.$inferSelect;

export const BACKFILL_TRIGGERS = ["cron", "manual"] as const;

/** One nightly (or operator-started) backfill: when it began, what it enqueued, when the queue drained. */
export const backfillRuns = sqliteTable(
  "backfill_runs",
  {
    id: text("id").primaryKey(),
    trigger: text("trigger", { enum: BACKFILL_TRIGGERS }).notNull(),
    startedAt: integer("started_at").notNull(),
    enqueued: integer("enqueued").notNull().default(0),
    /** Its threads that reached `migrated`, counted by a trigger as they do (migrations/0008). */
    migrated: integer("migrated").notNull().default(0),
    /** Every candidate has been enqueued; the run can drain from then on. */
    fanOutDoneAt: integer("fan_out_done_at"),
    drainedAt: integer("drained_at"),
    /** The fan-out or the assistant discovery failed for good (dead-lettered) with this error; the next run starts over. */
    error: text("error", { mode: "json" }).$type<StoredError>(),
  },
  (t) => [index("backfill_runs_started_at").on(t.startedAt), index("backfill_runs_open").on(t.id).where(sql`"drained_at" is null`)],
);
export type BackfillRun = typeof backfillRuns.$inferSelect;

export const DISCOVERY_STATUSES = ["listing", "listed", "refused"] as const;

/**
 * The backfill's listing of a source's threads (contract §6.1), one row per source base URL:
 * how far it got, so a crash resumes where it stopped and the next night lists only newer
 * threads; and whether the source refused to list at all, so it is not asked again.
 */
export const threadDiscovery = sqliteTable("thread_discovery", {
  source: text("source").primaryKey(),
  status: text("status", { enum: DISCOVERY_STATUSES }).notNull(),
  /** The last thread listed, in the source's creation order: the next page starts after it. */
  cursor: text("cursor"),
  /** The backfill run whose listing this is. */
  runId: text("run_id"),
  /** Threads the listings have listed, each page counted once. */
  listed: integer("listed").notNull().default(0),
  /** Why the source refused to list (status `refused`). */
  error: text("error", { mode: "json" }).$type<StoredError>(),
  updatedAt: integer("updated_at").notNull(),
});
export type ThreadDiscovery = typeof threadDiscovery.$inferSelect;

/** Webhook deliveries already handled, by `webhook-id`, kept at least 24 h so a redelivery is a no-op. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookId: text("webhook_id").primaryKey(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("webhook_deliveries_received_at").on(t.receivedAt)],
);

/** Operational counters shown by /v1/status. */
export const COUNTERS = ["dead_lettered", "malformed_messages"] as const;
export type CounterName = (typeof COUNTERS)[number];
export const counters = sqliteTable("counters", {
  name: text("name", { enum: COUNTERS }).primaryKey(),
  value: integer("value").notNull().default(0),
});

/**
 * Operating the backfill (contract §7.2): one row, id 1. `paused_at`: when an operator paused the
 * backfill's OpenAI traffic; null while it runs.
 */
export const backfillControl = sqliteTable("backfill_control", {
  id: integer("id").primaryKey(),
  pausedAt: integer("paused_at"),
});

// Kept as the rows change, by triggers (migrations/0008), so status, the report and the list read
// rows in proportion to what they answer, never a count over every thread (contract §7.4).

export const COUNTED_ENTITIES = ["thread", "assistant", "file"] as const;

/** Rows by status: threads, assistants and store files. */
export const statusCounts = sqliteTable(
  "status_counts",
  {
    entity: text("entity", { enum: COUNTED_ENTITIES }).notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.entity, t.status] })],
);

/** Threads migrated in each hour (of `migrated_at`, hours since the epoch): the throughput of the last 24 h in 25 rows. */
export const migratedByHour = sqliteTable("migrated_by_hour", {
  hour: integer("hour").primaryKey(),
  n: integer("n").notNull().default(0),
});

export const ISSUE_KINDS = ["warning", "error"] as const;

/** Each thread's warning codes and error code, one row each, with the thread's status: the report's examples and the list's warning filter. */
export const threadIssues = sqliteTable(
  "thread_issues",
  {
    threadId: text("thread_id").notNull(),
    kind: text("kind", { enum: ISSUE_KINDS }).notNull(),
    code: text("code").notNull(),
    status: text("status", { enum: THREAD_STATUSES }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.kind, t.code] }),
    index("thread_issues_code").on(t.kind, t.code, t.threadId),
    index("thread_issues_code_status").on(t.kind, t.code, t.status, t.threadId),
  ],
);

/** Threads per warning or error code. */
export const issueCounts = sqliteTable(
  "issue_counts",
  {
    kind: text("kind", { enum: ISSUE_KINDS }).notNull(),
    code: text("code").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.code] })],
);

export const ASSISTANT_STATUSES = ["pending", ...FILES_STATUSES] as const;
export type AssistantStatus = (typeof ASSISTANT_STATUSES)[number];

/** Where each source of an assistant's files stood when it was last read. */
export type FileSources = Record<"v1_files" | "legacy_file_ids" | "tool_resources", string>;

/** One row per assistant: its live vector store, code-interpreter files and exported prompt spec. */
export const assistants = sqliteTable("assistants", {
  assistantId: text("assistant_id").primaryKey(),
  status: text("status", { enum: ASSISTANT_STATUSES }).notNull().default("pending"),
  vectorStoreId: text("vector_store_id"),
  codeInterpreterFileIds: text("code_interpreter_file_ids", { mode: "json" }).$type<string[]>(),
  promptSpec: text("prompt_spec", { mode: "json" }).$type<PromptSpec>(),
  sources: text("sources", { mode: "json" }).$type<FileSources>(),
  // The assistant's tool types when ferry last read it ({types: null}: it could not be read); null: never read.
  toolTypes: text("tool_types", { mode: "json" }).$type<{ types: string[] | null }>(),
  warnings: text("warnings", { mode: "json" }).$type<MigrationWarning[]>().notNull().default(sql`'[]'`),
  error: text("error", { mode: "json" }).$type<StoredError>(),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
  syncedAt: integer("synced_at"),
});
export type AssistantRow = typeof assistants.$inferSelect;

/**
 * The vector store ferry keeps live for an owner (an assistant or a thread). A create is announced
 * here with a token first: the token goes into the store's metadata, so a create whose answer was
 * lost can be found again by listing stores, and two workers never both create one.
 */
export const ownedVectorStores = sqliteTable("owned_vector_stores", {
  ownerId: text("owner_id").primaryKey(),
  vectorStoreId: text("vector_store_id"),
  createToken: text("create_token"),
  createStartedAt: integer("create_started_at"),
});

export const STORE_FILE_STATUSES = ["in_progress", "completed", "failed"] as const;

/** Each file an owner's store must hold, and how its ingestion ended (with the API's reason). */
export const storeFiles = sqliteTable(
  "store_files",
  {
    ownerId: text("owner_id").notNull(),
    fileId: text("file_id").notNull(),
    vectorStoreId: text("vector_store_id").notNull(),
    status: text("status", { enum: STORE_FILE_STATUSES }).notNull(),
    batchId: text("batch_id"),
    lastError: text("last_error", { mode: "json" }).$type<StoredError>(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.fileId] }), index("store_files_batch").on(t.batchId), index("store_files_status").on(t.status)],
);

export const EXPORT_STATUSES = ["ingesting", "ingested", "failed"] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A thread of the export whose lines run on past the last checkpoint. */
export interface OpenThread {
  threadId: string;
  location: ExportLocation;
  lastLine: number;
}

export interface Rejection {
  line: number;
  reason: string;
}

/**
 * One uploaded (or registered) export and its ingestion's checkpoint: the next byte and line to
 * read, the thread whose lines continue past it, what was found so far (contract §6.2), and how far
 * the new threads' migrations were queued after it.
 */
export const threadExports = sqliteTable("exports", {
  id: text("id").primaryKey(),
  status: text("status", { enum: EXPORT_STATUSES }).notNull().default("ingesting"),
  /** What was uploaded or registered. */
  uploadKey: text("upload_key").notNull(),
  format: text("format", { enum: ["ndjson", "json"] }).notNull(),
  /** The NDJSON ingestion reads: the upload itself, or a JSON document re-written one element a line. */
  linesKey: text("lines_key"),
  bytes: integer("bytes").notNull(),
  offset: integer("offset").notNull().default(0),
  lines: integer("lines").notNull().default(0),
  openThread: text("open_thread", { mode: "json" }).$type<OpenThread>(),
  threadsFound: integer("threads_found").notNull().default(0),
  threadsRegistered: integer("threads_registered").notNull().default(0),
  linesRejected: integer("lines_rejected").notNull().default(0),
  rejections: text("rejections", { mode: "json" }).$type<Rejection[]>().notNull().default(sql`'[]'`),
  error: text("error", { mode: "json" }).$type<StoredError>(),
  /** Once ingested, the new threads' migrations are queued page by page: the last thread queued (in id order), and when all were. */
  queuedAfter: text("queued_after"),
  queuedAt: integer("queued_at"),
  createdAt: integer("created_at").notNull().default(now),
  updatedAt: integer("updated_at").notNull().default(now),
  ingestedAt: integer("ingested_at"),
});
export type ExportRow = typeof threadExports.$inferSelect;

/**
 * Each thread an export holds, by the checkpoint (`chunk`: its start offset) that found it: a thread
 * id that comes back after another thread is told apart from one seen before by this row.
 */
export const exportThreads = sqliteTable(
  "export_threads",
  {
    exportId: text("export_id").notNull(),
    threadId: text("thread_id").notNull(),
    firstLine: integer("first_line").notNull(),
    lastLine: integer("last_line").notNull(),
    chunk: integer("chunk").notNull(),
    location: text("location", { mode: "json" }).$type<ExportLocation>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.threadId] }), index("export_threads_chunk").on(t.exportId, t.chunk)],
);

/**
 * The chunks of an export already committed, by start offset. Committing a chunk inserts its row in
 * the same atomic batch, so a second worker on the same chunk (a redelivered message) fails whole.
 */
export const exportChunks = sqliteTable(
  "export_chunks",
  {
    exportId: text("export_id").notNull(),
    start: integer("start").notNull(),
    end: integer("end").notNull(),
  },
  (t) => [primaryKey({ columns: [t.exportId, t.start] })],
);
