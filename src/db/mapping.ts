import { and, desc, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { Database } from "./client";
import { ISSUE_KINDS, issueCounts, threadIssues, threads, type ThreadRow, type ThreadStatus } from "./schema";

// The mapping out (contract §2): keyset pages in thread id order, each read through an index that
// yields the rows already in that order, so a page reads about as many rows as it returns.

export interface MappingFilter {
  status?: ThreadStatus;
  /** Threads that carry this warning code (thread_issues). */
  warning?: string;
}

/** A page of threads after `after`: by the (status, id) index, or from the warning's rows in thread_issues. */
export async function listThreads(db: Database, filter: MappingFilter, after: string | null, limit: number): Promise<ThreadRow[]> {
  if (filter.warning) {
    const rows = await db
      .select({ thread: threads })
      .from(threadIssues)
      .innerJoin(threads, eq(threads.threadId, threadIssues.threadId))
      .where(
        and(
          eq(threadIssues.kind, "warning"),
          eq(threadIssues.code, filter.warning),
          filter.status ? eq(threadIssues.status, filter.status) : undefined,
          after ? gt(threadIssues.threadId, after) : undefined,
        ),
      )
      .orderBy(threadIssues.threadId)
      .limit(limit)
      .all();
    return rows.map((r) => r.thread);
  }
  return db.select().from(threads).where(byStatusAfter(filter.status, after)).orderBy(threads.threadId).limit(limit).all();
}

const byStatusAfter = (status: ThreadStatus | undefined, after: string | null): SQL | undefined =>
  and(status ? eq(threads.status, status) : undefined, after ? gt(threads.threadId, after) : undefined);

/** What an export line holds, and no more: a page of these stays small however large its warnings are elsewhere. */
export const exportColumns = {
  threadId: threads.threadId,
  conversationId: threads.conversationId,
  status: threads.status,
  messagesMigrated: threads.messagesMigrated,
  toolResources: threads.toolResources,
  attachedFiles: threads.attachedFiles,
  liveToolResources: threads.liveToolResources,
  warnings: threads.warnings,
};

export function exportPage(db: Database, status: ThreadStatus | undefined, after: string | null, limit: number) {
  return db.select(exportColumns).from(threads).where(byStatusAfter(status, after)).orderBy(threads.threadId).limit(limit).all();
}

export interface IssueSummary {
  kind: (typeof ISSUE_KINDS)[number];
  code: string;
  threads: number;
  examples: string[];
}

/**
 * Warnings and errors by code, from counts kept as rows change (migrations/0008): one row per code,
 * plus `examples` thread ids per code from thread_issues' (kind, code, id) index, all in one batch.
 * Cost: codes × (1 + examples) rows, whatever the number of threads.
 */
export async function readReport(db: Database, examples: number): Promise<IssueSummary[]> {
  const counts = await db
    .select()
    .from(issueCounts)
    .where(and(inArray(issueCounts.kind, [...ISSUE_KINDS]), gt(issueCounts.n, 0)))
    .orderBy(issueCounts.kind, desc(issueCounts.n), issueCounts.code)
    .all();
  if (!counts.length) return [];
  const pick = (kind: IssueSummary["kind"], code: string) =>
    db
      .select({ id: threadIssues.threadId })
      .from(threadIssues)
      .where(and(eq(threadIssues.kind, kind), eq(threadIssues.code, code)))
      .orderBy(threadIssues.threadId)
      .limit(examples);
  const [first, ...rest] = counts.map((c) => pick(c.kind, c.code));
  const ids = await db.batch([first!, ...rest]);
  return counts.map((c, i) => ({ kind: c.kind, code: c.code, threads: c.n, examples: ids[i]!.map((r) => r.id) }));
}
