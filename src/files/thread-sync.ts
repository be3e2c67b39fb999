import { noAttachedFiles, type ToolResources } from "../conversion/tool-resources";
import type { MigrationWarning } from "../conversion/types";
import { countStoreFilesByStatus } from "../db/files";
import type { ThreadRow } from "../db/schema";
import { findThread, saveThreadFiles } from "../db/threads";
import { mergeWarnings } from "../conversion/warnings";
import { SourceGone } from "../client/errors";
import type { SyncStarted } from "./assistant-sync";
import { attachMissing, ensureLiveStore, liveFiles, type FilesDeps } from "./vector-store";

/**
 * Contract §5 for a migrated thread: its vector store is checked and rebuilt from its messages'
 * file-search attachments when it was deleted, and code-interpreter files are checked, so the
 * lookup's `tool_resources` names only live stores and files.
 */
export async function syncThreadFiles(deps: FilesDeps, threadId: string): Promise<SyncStarted> {
  const { db, now } = deps;
  const row = await findThread(db, threadId);
  if (row?.status !== "migrated") return { vectorStoreId: null, batches: [] };
  const attached = row.attachedFiles ?? noAttachedFiles();
  const candidates = row.toolResources?.file_search?.vector_store_ids ?? [];
  const warnings: MigrationWarning[] = [];
  const searchFiles = [...new Set([...attached.file_search, ...(await v1MessageFiles(deps, row, warnings))])];

  const owner = { id: threadId, name: `${threadId} (ferry)`, metadataKey: "assistants_thread_id" as const };
  const vectorStoreId = await ensureLiveStore(deps, owner, candidates, searchFiles.length > 0);
  if (!vectorStoreId && candidates.length) {
    warnings.push({ code: "vector_store_lost", detail: `vector store ${candidates.join(", ")} no longer exists and no attachment is left to rebuild it` });
  }
  const batches = vectorStoreId ? await attachMissing(deps, threadId, vectorStoreId, searchFiles) : [];
  const codeFiles = await liveFiles(deps, [...(row.toolResources?.code_interpreter?.file_ids ?? []), ...attached.code_interpreter], warnings);

  const live: ToolResources = {};
  if (vectorStoreId) live.file_search = { vector_store_ids: [vectorStoreId] };
  if (codeFiles.length) live.code_interpreter = { file_ids: codeFiles };
  const ingesting = (await countStoreFilesByStatus(db, [threadId])).in_progress > 0;
  await saveThreadFiles(db, threadId, { liveToolResources: live, filesStatus: ingesting ? "ingesting" : "synced", warnings: mergeWarnings(row.warnings, warnings) }, now());
  return { vectorStoreId, batches };
}

/**
 * v1 MessageFiles, where the source still answers: files v1 messages carried for retrieval, kept
 * as file-search files. One look at the thread's last message tells whether v1 answers at all;
 * only then is every message asked. A refusal is recorded, not retried.
 */
async function v1MessageFiles(deps: FilesDeps, row: ThreadRow, warnings: MigrationWarning[]): Promise<string[]> {
  if (!row.cursor) return [];
  const { source } = deps;
  try {
    const files = new Set(await source.listV1MessageFiles(row.threadId, row.cursor));
    let after: string | null = null;
    do {
      const page = await source.listMessages(row.threadId, after);
      for (const m of page.data) {
        if (m.id !== row.cursor) for (const f of await source.listV1MessageFiles(row.threadId, m.id)) files.add(f);
      }
      after = page.hasMore ? (page.data.at(-1)?.id ?? null) : null;
    } while (after);
    return [...files];
  } catch (err) {
    if (!(err instanceof SourceGone)) throw err;
    warnings.push({ code: "file_source_skipped", detail: `v1 message files answered ${err.status}: ${err.message}` });
    return [];
  }
}
