import type { Assistant } from "openai/resources/beta/assistants";
import { buildPromptSpec, type SourceTool } from "../conversion/prompt-spec";
import type { MigrationWarning } from "../conversion/types";
import { saveAssistant } from "../db/assistants";
import { countStoreFilesByStatus } from "../db/files";
import type { FileSources } from "../db/schema";
import { AmbiguousWrite, Rejected, SourceGone } from "../client/errors";
import { attachMissing, ensureLiveStore, liveFiles, searchFilesOnTarget, storesOnTarget, type FilesDeps } from "./vector-store";

/** Assistants API limit on an assistant's code-interpreter files. */
const ASSISTANT_CODE_FILES_MAX = 20;

/** What the assistant's sync started and the queue must follow. */
export interface SyncStarted {
  vectorStoreId: string | null;
  batches: string[];
}

/** The assistant object as the source may still return it: v1 assistants carry `file_ids`. */
type SourceAssistant = Assistant & { file_ids?: string[]; tools: SourceTool[] };

/**
 * Contract §5 for one assistant: gather its files from every source that answers, keep one live
 * vector store holding the file-search files, record the code-interpreter files, point the
 * assistant at them where the source still answers, and export its prompt spec.
 * Safe to run again at any time: an assistant already in order costs reads only.
 */
export async function syncAssistant(deps: FilesDeps, assistantId: string): Promise<SyncStarted> {
  const { db, source, now } = deps;
  let assistant: SourceAssistant;
  try {
    assistant = (await source.getAssistant(assistantId)) as SourceAssistant;
  } catch (err) {
    if (!(err instanceof SourceGone)) throw err;
    const error = { code: "source_unavailable", message: `the Assistants API answered ${err.status}: ${err.message}` };
    await saveAssistant(db, assistantId, { status: "source_unavailable", error }, now());
    return { vectorStoreId: null, batches: [] };
  }

  const warnings: MigrationWarning[] = [];
  const v1 = await v1Files(deps, assistantId, warnings);
  const legacy = assistant.file_ids ?? [];
  const sources: FileSources = {
    v1_files: v1.status,
    legacy_file_ids: legacy.length ? `${legacy.length} files` : "absent",
    tool_resources: "read",
  };
  // v1 files served every file tool the assistant had.
  const v1AndLegacy = [...new Set([...v1.ids, ...legacy])];
  const kinds = new Set<string>(assistant.tools.map((t) => t.type));
  const searchFiles = await searchFilesOnTarget(deps, kinds.has("file_search") || kinds.has("retrieval") ? v1AndLegacy : [], warnings);
  const currentStores = storesOnTarget(deps, assistant.tool_resources?.file_search?.vector_store_ids ?? [], warnings);

  const owner = { id: assistantId, name: `${assistant.name ?? assistantId} (ferry)`, metadataKey: "assistants_assistant_id" as const };
  const vectorStoreId = await ensureLiveStore(deps, owner, currentStores, searchFiles.length > 0);
  if (!vectorStoreId && currentStores.length) {
    warnings.push({ code: "vector_store_lost", detail: `vector store ${currentStores.join(", ")} no longer exists and no file list is left to rebuild it` });
  }
  const batches = vectorStoreId ? await attachMissing(deps, assistantId, vectorStoreId, searchFiles) : [];
  const codeFiles = await liveFiles(
    deps,
    [...(assistant.tool_resources?.code_interpreter?.file_ids ?? []), ...(kinds.has("code_interpreter") ? v1AndLegacy : [])],
    warnings,
  );
  await pointAssistantAt(deps, assistant, vectorStoreId, codeFiles, warnings);

  const { spec, warnings: specWarnings } = buildPromptSpec({
    assistant,
    vectorStoreIds: vectorStoreId ? [vectorStoreId] : [],
    codeInterpreterFileIds: codeFiles,
  });
  const ingesting = (await countStoreFilesByStatus(db, [assistantId])).in_progress > 0;
  await saveAssistant(
    db,
    assistantId,
    {
      status: ingesting ? "ingesting" : "synced",
      toolTypes: { types: assistant.tools.map((t) => t.type) }, // what MIGRATE_TOOL_CALLS=auto asks of its threads' runs
      vectorStoreId,
      codeInterpreterFileIds: codeFiles,
      promptSpec: spec,
      sources,
      warnings: [...warnings, ...specWarnings],
      error: null,
      syncedAt: ingesting ? null : now(),
    },
    now(),
  );
  return { vectorStoreId, batches };
}

/** The v1 AssistantFiles list, where the source still answers it; a source without v1 is recorded, not retried. */
async function v1Files(deps: FilesDeps, assistantId: string, warnings: MigrationWarning[]): Promise<{ ids: string[]; status: string }> {
  try {
    const ids = await deps.source.listV1AssistantFiles(assistantId);
    return { ids, status: `${ids.length} files` };
  } catch (err) {
    if (!(err instanceof SourceGone)) throw err;
    warnings.push({ code: "file_source_skipped", detail: `v1 assistant files answered ${err.status}: ${err.message}` });
    return { ids: [], status: `skipped: ${err.status}` };
  }
}

/** Where the source still answers, the assistant's own tool_resources name the live store and files. */
async function pointAssistantAt(deps: FilesDeps, assistant: SourceAssistant, storeId: string | null, codeFiles: string[], warnings: MigrationWarning[]) {
  if (deps.filesElsewhere) {
    if (storeId || codeFiles.length) warnings.push({ code: "tool_resources_not_updated", detail: "the live store and files are on the target host, which the source's assistant cannot name" });
    return;
  }
  const current = assistant.tool_resources ?? {};
  const wanted: NonNullable<Assistant["tool_resources"]> = {};
  if (storeId || current.file_search) wanted.file_search = { vector_store_ids: storeId ? [storeId] : [] };
  if (codeFiles.length || current.code_interpreter) wanted.code_interpreter = { file_ids: codeFiles.slice(0, ASSISTANT_CODE_FILES_MAX) };
  if (codeFiles.length > ASSISTANT_CODE_FILES_MAX) {
    warnings.push({ code: "tool_resources_not_updated", detail: `the Assistants API holds ${ASSISTANT_CODE_FILES_MAX} code-interpreter files; the other ${codeFiles.length - ASSISTANT_CODE_FILES_MAX} are only in the prompt spec` });
  }
  const same =
    JSON.stringify(current.file_search?.vector_store_ids ?? null) === JSON.stringify(wanted.file_search?.vector_store_ids ?? null) &&
    JSON.stringify(current.code_interpreter?.file_ids ?? null) === JSON.stringify(wanted.code_interpreter?.file_ids ?? null);
  if (same) return;
  try {
    await deps.source.updateAssistantToolResources(assistant.id, wanted).catch((err: unknown) => {
      // Setting tool resources is idempotent, so an ambiguous answer is simply sent again once.
      if (err instanceof AmbiguousWrite) return deps.source.updateAssistantToolResources(assistant.id, wanted);
      throw err;
    });
  } catch (err) {
    if (!(err instanceof Rejected || err instanceof SourceGone)) throw err;
    warnings.push({ code: "tool_resources_not_updated", detail: `updating the assistant answered ${err.status}: ${err.message}` });
  }
}
