import { mergeToolResources, noAttachedFiles } from "../conversion/tool-resources";
import type { ThreadRow } from "../db/schema";
import type { ThreadMigration } from "./schemas";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API's view of a thread's migration. */
export function presentThread(row: ThreadRow): ThreadMigration {
  return {
    object: "thread_migration",
    thread_id: row.threadId,
    conversation_id: row.conversationId,
    status: row.status,
    messages_migrated: row.messagesMigrated,
    tool_resources: mergeToolResources(row.toolResources, row.attachedFiles ?? noAttachedFiles()),
    warnings: row.warnings,
    metadata_overflow: row.metadataOverflow,
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
    error: null,
    created_at: null,
    updated_at: null,
    migrated_at: null,
  };
}
