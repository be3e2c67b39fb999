import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import type { MigrationWarning } from "../conversion/types";
import type { Budget } from "../client/budget";
import type { Database } from "../db/client";
import { claimStoreCreate, findOwnedStore, recordOwnedStore, saveStoreFiles, settleBatch, type StoreFileRow } from "../db/files";
import type { StoredError } from "../db/schema";
import { AmbiguousWrite, Rejected } from "../client/errors";
import type { AssistantsApi } from "../source/assistants-api";
import type { OpenAITarget } from "../target/openai-target";

export interface FilesDeps {
  db: Database;
  /** What this invocation may still spend; long work checks it to stop at a checkpoint. */
  budget: Budget;
  /** Assistants and the v1 file lists are read from the source; stores and files live on the target. */
  source: AssistantsApi;
  target: OpenAITarget;
  /** The source's files live on another host: ferry copies no file, store or id the target does not hold (contract §6.1). */
  filesElsewhere: boolean;
  now: () => number;
}

/** Whose store it is: an assistant or a thread, named in the store's metadata. */
export interface StoreOwner {
  id: string;
  name: string;
  metadataKey: "assistants_assistant_id" | "assistants_thread_id";
}

/** Spec: at most 2,000 file ids per file batch. */
const MAX_FILES_PER_BATCH = 2000;
/** An announced create older than this is assumed dead (longer than any call's timeout). */
const CREATE_STALE_MS = 2 * 60_000;
const TOKEN_KEY = "ferry_create_token";

/** Another worker is creating this owner's store right now; try again shortly. */
export class StoreBusy extends Error {}

/**
 * The owner's live vector store: the one ferry recorded, else a live candidate (the store the source
 * names), else — when there are files to hold — one created now. Its id is in D1 before anything is
 * attached, and a create whose answer was lost is found again by its token, so there is never a second.
 */
export async function ensureLiveStore(deps: FilesDeps, owner: StoreOwner, candidates: readonly string[], needed: boolean): Promise<string | null> {
  const { db, target, now } = deps;
  const owned = await findOwnedStore(db, owner.id);
  for (const id of new Set([owned?.vectorStoreId, ...candidates].filter((x): x is string => !!x))) {
    if (await target.vectorStoreAlive(id)) {
      if (owned?.vectorStoreId !== id) await recordOwnedStore(db, owner.id, id);
      return id;
    }
  }
  if (owned?.createToken) {
    const found = await target.findVectorStore(TOKEN_KEY, owned.createToken, (owned.createStartedAt ?? 0) - 60_000);
    if (found) {
      await recordOwnedStore(db, owner.id, found);
      return found;
    }
  }
  if (!needed) return null;

  const token = crypto.randomUUID();
  if (!(await claimStoreCreate(db, owner.id, token, now(), now() - CREATE_STALE_MS))) throw new StoreBusy(`a vector store for ${owner.id} is being created`);
  const metadata = { [owner.metadataKey]: owner.id, [TOKEN_KEY]: token };
  let storeId: string | null;
  try {
    storeId = await target.createVectorStore(owner.name.slice(0, 256), metadata);
  } catch (err) {
    if (!(err instanceof AmbiguousWrite)) throw err;
    storeId = await target.findVectorStore(TOKEN_KEY, token, now() - CREATE_STALE_MS);
    if (!storeId) throw err; // the token stays: the next try finds the store or, once stale, creates one
  }
  await recordOwnedStore(db, owner.id, storeId);
  return storeId;
}

/**
 * Makes the store hold every wanted file: records what it already holds, attaches the rest in
 * batches of ≤2,000, and returns the new batches to follow. A file the API refuses to attach
 * (deleted, say) is recorded failed with the API's reason and the batch goes on without it.
 */
export async function attachMissing(deps: FilesDeps, ownerId: string, storeId: string, wanted: readonly string[]): Promise<string[]> {
  const { db, target, now } = deps;
  if (!wanted.length) return [];
  const wantedSet = new Set(wanted);
  const held = await target.listVectorStoreFiles(storeId);
  const heldIds = new Set(held.map((f) => f.id));
  await saveStoreFiles(
    db,
    held.filter((f) => wantedSet.has(f.id)).map((f) => ({ ownerId, fileId: f.id, vectorStoreId: storeId, ...fileState(f) })),
    now(),
  );

  const missing = [...wantedSet].filter((id) => !heldIds.has(id));
  const batches: string[] = [];
  for (let i = 0; i < missing.length; i += MAX_FILES_PER_BATCH) {
    const { batchId, attached, refused } = await createBatch(target, storeId, missing.slice(i, i + MAX_FILES_PER_BATCH));
    const rows = [
      ...attached.map((fileId) => ({ ownerId, fileId, vectorStoreId: storeId, status: "in_progress" as const, batchId })),
      ...refused.map(({ fileId, error }) => ({ ownerId, fileId, vectorStoreId: storeId, status: "failed" as const, lastError: error })),
    ];
    await saveStoreFiles(db, rows, now());
    if (batchId) batches.push(batchId);
  }
  return batches;
}

async function createBatch(target: OpenAITarget, storeId: string, fileIds: string[]) {
  const refused: { fileId: string; error: StoredError }[] = [];
  let pending = fileIds;
  for (let attempt = 0; pending.length && attempt <= fileIds.length; attempt++) {
    try {
      return { batchId: await sendBatch(target, storeId, pending), attached: pending, refused };
    } catch (err) {
      const blamed = err instanceof Rejected ? /^file_ids\[(\d+)\]$/.exec(err.param ?? "") : null;
      const fileId = blamed ? pending[Number(blamed[1])] : undefined;
      if (!fileId || !(err instanceof Rejected)) throw err;
      refused.push({ fileId, error: { code: err.code ?? "file_refused", message: err.message } });
      pending = pending.filter((id) => id !== fileId);
    }
  }
  return { batchId: null, attached: [], refused };
}

/** Attaching is idempotent (a file already held is not duplicated), so an ambiguous answer is simply sent again once. */
async function sendBatch(target: OpenAITarget, storeId: string, fileIds: string[]): Promise<string> {
  try {
    return await target.createFileBatch(storeId, fileIds);
  } catch (err) {
    if (err instanceof AmbiguousWrite) return target.createFileBatch(storeId, fileIds);
    throw err;
  }
}

/** One look at a batch: still ingesting, or finished with each file's outcome recorded. */
export async function followBatch(deps: FilesDeps, storeId: string, batchId: string): Promise<"in_progress" | "done"> {
  const { target, db, now } = deps;
  const batch = await target.getFileBatch(storeId, batchId);
  if (batch.status === "in_progress") return "in_progress";
  // Only what the batch says completed is completed: failed and cancelled files are recorded with their reason.
  const failed = [
    ...(batch.file_counts.failed ? await target.listBatchFiles(storeId, batchId, "failed") : []),
    ...(batch.file_counts.cancelled ? await target.listBatchFiles(storeId, batchId, "cancelled") : []),
  ];
  await settleBatch(db, batchId, failed.map((f) => ({ fileId: f.id, error: ingestError(f) })), now());
  return "done";
}

function fileState(f: VectorStoreFile): { status: StoreFileRow["status"]; lastError: StoredError | null } {
  if (f.status === "completed") return { status: "completed", lastError: null };
  if (f.status === "in_progress") return { status: "in_progress", lastError: null };
  return { status: "failed", lastError: ingestError(f) };
}

function ingestError(f: VectorStoreFile): StoredError {
  return f.last_error ? { code: f.last_error.code, message: f.last_error.message } : { code: f.status, message: `file ingestion ended ${f.status}` };
}

/** The files the target holds (one read each); the others are dropped with a warning. */
export async function liveFiles(deps: FilesDeps, fileIds: readonly string[], warnings: MigrationWarning[]): Promise<string[]> {
  const live: string[] = [];
  for (const id of new Set(fileIds)) {
    if (await deps.target.fileExists(id)) live.push(id);
    else if (deps.filesElsewhere) warnings.push({ code: "file_not_on_target", detail: `file ${id} is not on the target host; it was left out` });
    else warnings.push({ code: "file_missing", detail: `file ${id} no longer exists; it was left out` });
  }
  return live;
}

/**
 * The file-search files to attach. On the same host every one is attached and the API's refusal
 * of a deleted one is recorded; from another host only those the target holds, the rest reported.
 */
export const searchFilesOnTarget = (deps: FilesDeps, fileIds: readonly string[], warnings: MigrationWarning[]): Promise<readonly string[]> =>
  deps.filesElsewhere ? liveFiles(deps, fileIds, warnings) : Promise.resolve(fileIds);

/**
 * The owner's vector stores as the source names them, to look for on the target: none from another
 * host, whose store ids mean nothing there (reported, since ferry copies no store across hosts).
 */
export function storesOnTarget(deps: FilesDeps, storeIds: readonly string[], warnings: MigrationWarning[]): readonly string[] {
  if (!deps.filesElsewhere || !storeIds.length) return storeIds;
  warnings.push({
    code: "vector_store_not_on_target",
    detail: `vector store ${storeIds.join(", ")} lives on the source host; ferry copies no store across hosts, only files the target already holds`,
  });
  return [];
}
