import { mergeToolResources, noAttachedFiles, type ToolResources } from "../../conversion/tool-resources";
import type { StoreFileRow } from "../../db/files";
import type { AssistantRow, BackfillRun as BackfillRunRow, ExportRow, ThreadRow } from "../../db/schema";
import type { AssistantMigration, BackfillRun, Export, ThreadMigration } from "./schemas";

// How rows are shown by the API: times as ISO strings, null when unset.

export const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

const liveOrNull = (live: ToolResources | null) => (live && Object.keys(live).length ? live : null);

/** What the app must pass to responses.create: once a files check ran, only what it found live; until then what the thread and its messages named. */
export const appToolResources = (row: Pick<ThreadRow, "liveToolResources" | "toolResources" | "attachedFiles">): ToolResources | null =>
  row.liveToolResources ? liveOrNull(row.liveToolResources) : mergeToolResources(row.toolResources, row.attachedFiles ?? noAttachedFiles());

/** A thread's warning codes, each once, in the order they first occur. */
export const warningCodes = (row: Pick<ThreadRow, "warnings">): string[] => [...new Set(row.warnings.map((w) => w.code))];

/** The API's view of a thread's migration. */
export function presentThread(row: ThreadRow): ThreadMigration {
  return {
    object: "thread_migration",
    thread_id: row.threadId,
    conversation_id: row.conversationId,
    status: row.status,
    source: row.source,
    messages_migrated: row.messagesMigrated,
    tool_resources: appToolResources(row),
    warnings: row.warnings,
    metadata_overflow: row.metadataOverflow,
    files_status: row.filesStatus,
    error: row.error,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    migrated_at: iso(row.migratedAt),
  };
}

/** A thread ferry has never seen. */
export function unknownThread(threadId: string): ThreadMigration {
  return {
    object: "thread_migration",
    thread_id: threadId,
    conversation_id: null,
    status: "unknown",
    source: null,
    messages_migrated: 0,
    tool_resources: null,
    warnings: [],
    metadata_overflow: null,
    files_status: null,
    error: null,
    created_at: null,
    updated_at: null,
    migrated_at: null,
  };
}

export function presentAssistant(row: AssistantRow, files: readonly StoreFileRow[]): AssistantMigration {
  const count = (status: StoreFileRow["status"]) => files.filter((f) => f.status === status).length;
  return {
    object: "assistant_migration",
    assistant_id: row.assistantId,
    status: row.status,
    vector_store_id: row.vectorStoreId,
    code_interpreter_file_ids: row.codeInterpreterFileIds ?? [],
    file_counts: { in_progress: count("in_progress"), completed: count("completed"), failed: count("failed"), total: files.length },
    failures: files
      .filter((f) => f.status === "failed")
      .map((f) => ({ file_id: f.fileId, code: f.lastError?.code ?? "failed", message: f.lastError?.message ?? "ingestion failed" })),
    prompt_spec: (row.promptSpec as unknown as Record<string, unknown>) ?? null,
    sources: row.sources,
    warnings: row.warnings,
    error: row.error,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    synced_at: iso(row.syncedAt),
  };
}

/** Whether the backfill is paused, and since when (contract §7.2). */
export const presentPause = (pausedAt: number | null) => ({ paused: pausedAt !== null, paused_since: iso(pausedAt) });

export const presentRun = (run: BackfillRunRow): BackfillRun => ({
  object: "backfill_run",
  id: run.id,
  trigger: run.trigger,
  started_at: iso(run.startedAt)!,
  enqueued: run.enqueued,
  fan_out_done_at: iso(run.fanOutDoneAt),
  drained_at: iso(run.drainedAt),
  error: run.error,
});

export const presentExport = (row: ExportRow): Export => ({
  object: "export",
  id: row.id,
  status: row.status,
  threads_found: row.threadsFound,
  threads_registered: row.threadsRegistered,
  already_known: row.threadsFound - row.threadsRegistered,
  lines_rejected: row.linesRejected,
  rejections: row.rejections,
  bytes: row.bytes,
  bytes_ingested: row.offset,
  error: row.error,
  created_at: iso(row.createdAt)!,
  ingested_at: iso(row.ingestedAt),
});
