import { noAttachedFiles, type ToolResources } from "../conversion/tool-resources";
import type { MigrationWarning } from "../conversion/types";
import { countStoreFilesByStatus } from "../db/files";
import type { ThreadRow } from "../db/schema";
import { findThread, saveThreadFiles } from "../db/threads";
import { mergeWarnings } from "../conversion/warnings";
import { SourceGone } from "../client/errors";
import type { SyncStarted } from "./assistant-sync";
import { attachMissing, ensureLiveStore, liveFiles, searchFilesOnTarget, storesOnTarget, type FilesDeps } from "./vector-store";

/** One page of the v1 MessageFiles scan: a message list, a file list per message, and the saved progress. */
const SCAN_PAGE_COST = 1 + 100 + 1;

/**
 * Contract §5 for a migrated thread: its vector store is checked and rebuilt from its messages'
 * file-search attachments when it was deleted, and code-interpreter files are checked, so the
 * lookup's `tool_resources` names only live stores and files. Answers null when the v1 scan of a
 * long thread ran out of this invocation's budget: its progress is saved and it continues in a new
 * queue message.
 */
export async function syncThreadFiles(deps: FilesDeps, threadId: string): Promise<SyncStarted | null> {
  const { db, now } = deps;
  const row = await findThread(db, threadId);
  if (row?.status !== "migrated") return { vectorStoreId: null, batches: [] };
  const attached = row.attachedFiles ?? noAttachedFiles();
  const warnings: MigrationWarning[] = [];
  const candidates = storesOnTarget(deps, row.toolResources?.file_search?.vector_store_ids ?? [], warnings);
  const v1Files = await v1MessageFiles(deps, row, warnings);
  if (v1Files === null) return null;
  const searchFiles = await searchFilesOnTarget(deps, [...new Set([...attached.file_search, ...v1Files])], warnings);

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
  await saveThreadFiles(
    db,
    threadId,
    { liveToolResources: live, filesStatus: ingesting ? "ingesting" : "synced", warnings: mergeWarnings(row.warnings, warnings), error: null, filesScan: null },
    now(),
  );
  return { vectorStoreId, batches };
}

/**
 * v1 MessageFiles, where the source still answers: files v1 messages carried for retrieval, kept
 * as file-search files. One look at the thread's last message tells whether v1 answers at all;
 * only then is every message asked, a page at a time, the progress saved whenever the budget
 * cannot pay for another page (null: continue later). A source without v1 is recorded, not retried.
 */
async function v1MessageFiles(deps: FilesDeps, row: ThreadRow, warnings: MigrationWarning[]): Promise<string[] | null> {
  // An exported thread has no live source to ask: its attachments are all there is.
  if (!row.cursor || row.source === "export") return [];
  const { source, budget } = deps;
  try {
    const scan = row.filesScan ?? { after: null, fileIds: await source.listV1MessageFiles(row.threadId, row.cursor) };
    const files = new Set(scan.fileIds);
    let after = scan.after;
    for (;;) {
      if (!budget.canAfford(SCAN_PAGE_COST)) {
        await saveThreadFiles(deps.db, row.threadId, { filesScan: { after, fileIds: [...files] } }, deps.now());
        return null;
      }
      const page = await source.listMessages(row.threadId, after);
      for (const m of page.data) {
        if (m.id !== row.cursor) for (const f of await source.listV1MessageFiles(row.threadId, m.id)) files.add(f);
      }
      if (!page.hasMore || !page.data.length) return [...files];
      after = page.data.at(-1)!.id;
    }
  } catch (err) {
    if (!(err instanceof SourceGone)) throw err;
    warnings.push({ code: "file_source_skipped", detail: `v1 message files answered ${err.status}: ${err.message}` });
    return [];
  }
}
