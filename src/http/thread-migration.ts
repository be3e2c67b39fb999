import { mergeToolResources, noAttachedFiles, type ToolResources } from "../conversion/tool-resources";
import type { ThreadRow } from "../db/schema";
import type { ThreadMigration } from "./schemas";

export const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

const liveOrNull = (live: ToolResources | null) => (live && Object.keys(live).length ? live : null);

/** The API's view of a thread's migration. */
export function presentThread(row: ThreadRow): ThreadMigration {
  return {
    object: "thread_migration",
    thread_id: row.threadId,
    conversation_id: row.conversationId,
    status: row.status,
    messages_migrated: row.messagesMigrated,
    tool_resources: row.filesStatus ? liveOrNull(row.liveToolResources) : mergeToolResources(row.toolResources, row.attachedFiles ?? noAttachedFiles()),
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
