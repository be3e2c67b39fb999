import { hasThreadFiles } from "../../conversion/tool-resources";
import type { ThreadRow } from "../../db/schema";
import type { ThreadMigration } from "./schemas";

/** Answers kept per isolate; the oldest goes first once full. */
const MAX_ENTRIES = 10_000;
const answers = new Map<string, ThreadMigration>();

/**
 * A migrated thread whose files are settled (or that has none) never changes again: nothing in
 * ferry writes to such a row. Its answer can be kept per isolate, so lookups — the hot path, and
 * forever — skip D1.
 */
export function settledAnswer(threadId: string): ThreadMigration | undefined {
  return answers.get(threadId);
}

export function rememberIfSettled(row: ThreadRow, answer: ThreadMigration): void {
  const settled = row.status === "migrated" && (row.filesStatus === "synced" || (row.filesStatus === null && !hasThreadFiles(row.toolResources, row.attachedFiles)));
  if (!settled) return;
  if (answers.size >= MAX_ENTRIES) answers.delete(answers.keys().next().value!);
  answers.set(row.threadId, answer);
}
