import { citedFileIds, convertMessage } from "../conversion/message";
import { convertMetadata } from "../conversion/metadata";
import { mergeWarnings } from "../conversion/warnings";
import { type AttachedFiles, collectAttachments, noAttachedFiles } from "../conversion/tool-resources";
import { MAX_ITEMS_PER_WRITE, type ConversationItem, type MigrationWarning, type SourceMessage } from "../conversion/types";
import type { Database } from "../db/client";
import type { StoredError, ThreadRow, ThreadStatus } from "../db/schema";
import { acquireLease, findThread, releaseLease, saveCheckpoint, type Checkpoint } from "../db/threads";
import { type Budget, BudgetExhausted } from "../client/budget";
import { AmbiguousWrite, CallFailure, RateLimited, Rejected, SourceGone } from "../client/errors";
import { redeliverySeconds } from "../retry";
import type { ThreadSource } from "../source/types";
import type { ConversationTarget } from "../target/types";
import { ConversationDiverged, countLanded } from "./reconcile";
import { bufferedItems, type Entry, takeWrite } from "./write-plan";

const LEASE_MS = 60_000;
/** What one page can cost in subrequests: a list, five writes with their checkpoints, a lease renewal. */
const PAGE_COST = 1 + 2 * 5 + 1;
const WRITE_ATTEMPTS = 3;
/** A thread the source or the API refused is tried again by a backfill a day later. */
const RETRY_REFUSED_MS = 24 * 60 * 60 * 1000;

export interface MigrationDeps {
  db: Database;
  /** Where this thread's history is read from (its row says which kind of source it has). */
  sourceFor: (row: ThreadRow) => ThreadSource;
  target: ConversationTarget;
  budget: Budget;
  /** A lease always has more than this left before a write, so a stale holder's write cannot land after a takeover. */
  requestTimeoutMs: number;
  now?: () => number;
}

export type MigrationOutcome =
  | { kind: "migrated"; row: ThreadRow }
  /** Another holder is migrating it; it finishes or hands over by itself. */
  | { kind: "busy"; retryAfter: number; row: ThreadRow }
  /** The budget ran out at a checkpoint: continue in a new invocation. */
  | { kind: "handed_over"; row: ThreadRow }
  /** Transient trouble (429, 5xx, timeouts): progress kept, try again after the delay. */
  | { kind: "retry_later"; delaySeconds: number; row: ThreadRow }
  | { kind: "source_unavailable"; row: ThreadRow }
  | { kind: "failed"; row: ThreadRow };

type Progress = Required<Omit<Checkpoint, "leaseUntil" | "needsReconcile" | "attachedFiles">> & { attachedFiles: AttachedFiles };

class LeaseLost extends Error {}

/**
 * Migrates one thread, or as much of it as the budget allows, exactly once (contract §4.1):
 * one lease holder at a time, a checkpoint after every write, and a reconciliation against the
 * conversation whenever a write may have landed without being checkpointed.
 */
export async function migrateThread(deps: MigrationDeps, threadId: string): Promise<MigrationOutcome> {
  const now = deps.now ?? Date.now;
  const owner = crypto.randomUUID();
  const row = await acquireLease(deps.db, threadId, owner, now(), LEASE_MS);
  if (!row) return notAcquired(deps.db, threadId, now());
  const run = new ThreadRun(deps, row, owner, now);
  try {
    await run.execute();
    return { kind: "migrated", row: await run.release({ status: "migrated", migratedAt: now(), error: null }) };
  } catch (err) {
    return run.stop(err);
  }
}

async function notAcquired(db: Database, threadId: string, now: number): Promise<MigrationOutcome> {
  const row = (await findThread(db, threadId))!; // the lease query registered it
  if (row.status === "migrated") return { kind: "migrated", row };
  return { kind: "busy", retryAfter: Math.max(1, Math.ceil(((row.leaseUntil ?? now) - now) / 1000)), row };
}

class ThreadRun {
  private readonly progress: Progress;
  private readonly threadId: string;
  private readonly source: ThreadSource;
  /** Tries so far, this one included: drives the backoff. */
  private readonly attempts: number;
  private leaseUntil: number;
  /** A write may have landed unconfirmed: look at the conversation before the next one. */
  private reconcileFirst: boolean;
  private metadata: Record<string, string> = {};
  private readonly filenames = new Map<string, string>();
  /** Converted messages not yet written: less than one write's worth plus one page, never more. */
  private buffer: Entry[] = [];

  constructor(
    private readonly deps: MigrationDeps,
    row: ThreadRow,
    private readonly owner: string,
    private readonly now: () => number,
  ) {
    this.threadId = row.threadId;
    this.source = deps.sourceFor(row);
    this.attempts = row.attempts;
    this.progress = {
      conversationId: row.conversationId,
      cursor: row.cursor,
      lastItemId: row.lastItemId,
      messagesMigrated: row.messagesMigrated,
      warnings: row.warnings,
      toolResources: row.toolResources,
      attachedFiles: row.attachedFiles ?? noAttachedFiles(),
      metadataOverflow: row.metadataOverflow,
    };
    this.leaseUntil = row.leaseUntil ?? 0;
    this.reconcileFirst = row.needsReconcile && row.conversationId !== null;
    if (row.needsReconcile && !row.conversationId) {
      // No API finds a conversation by anything but its id, so an interrupted create cannot be checked.
      this.warn([{ code: "possible_orphan_conversation", detail: "an interrupted conversation create may have left an unrecorded conversation" }]);
    }
  }

  async execute(): Promise<void> {
    const { budget } = this.deps;
    if (!this.progress.conversationId) await this.readThread();
    let after = this.progress.cursor;
    for (;;) {
      if (!budget.canAfford(PAGE_COST)) throw new BudgetExhausted();
      const page = await this.source.listMessages(this.threadId, after);
      await this.resolveFilenames(page.data);
      collectAttachments(page.data, this.progress.attachedFiles);
      for (const message of page.data) {
        const { item, warnings } = convertMessage(message, this.filenames);
        this.warn(warnings);
        this.buffer.push({ messageId: message.id, items: item ? [item] : [] });
      }
      after = page.data.at(-1)?.id ?? after;
      while (bufferedItems(this.buffer) >= MAX_ITEMS_PER_WRITE) await this.writeNext();
      if (!page.hasMore) break;
    }
    // The rest, or the empty conversation of a thread with nothing to convert.
    if (bufferedItems(this.buffer) > 0 || !this.progress.conversationId) await this.writeNext();
    this.progress.cursor = this.buffer.at(-1)?.messageId ?? this.progress.cursor; // trailing skipped messages
  }

  private async readThread(): Promise<void> {
    const thread = await this.source.getThread(this.threadId);
    const converted = convertMetadata(thread.metadata, this.threadId);
    this.metadata = converted.metadata;
    this.progress.metadataOverflow = Object.keys(converted.overflow).length ? converted.overflow : null;
    this.progress.toolResources = thread.toolResources;
    this.warn(converted.warnings);
  }

  /** One file read per distinct cited file (contract §4.2): citations need the file's name. */
  private async resolveFilenames(messages: readonly SourceMessage[]): Promise<void> {
    for (const fileId of citedFileIds(messages)) {
      if (this.filenames.has(fileId)) continue;
      const name = await this.deps.target.getFilename(fileId);
      if (name !== null) this.filenames.set(fileId, name);
    }
  }

  /** Writes the next ≤20 items from the buffer, then checkpoints. */
  private async writeNext(): Promise<void> {
    const { items, finished, rest } = takeWrite(this.buffer);
    this.buffer = rest;
    await this.keepLease();
    if (this.progress.conversationId) {
      this.progress.lastItemId = await this.append(this.progress.conversationId, items);
    } else {
      this.progress.conversationId = await this.create(items);
    }
    this.progress.cursor = finished.at(-1)?.messageId ?? this.progress.cursor;
    this.progress.messagesMigrated += items.length;
    await this.checkpoint();
  }

  /** Appends the items exactly once: after an ambiguous failure it looks at the conversation before sending again. */
  private async append(conversationId: string, items: ConversationItem[]): Promise<string | null> {
    let pending = items;
    let lastItemId = this.progress.lastItemId;
    for (let attempt = 1; ; attempt++) {
      if (this.reconcileFirst) {
        const landed = await this.landed(conversationId, pending);
        this.reconcileFirst = false;
        pending = pending.slice(landed.count);
        lastItemId = landed.lastItemId;
        if (pending.length === 0) return lastItemId;
      }
      try {
        return await this.deps.target.appendItems(conversationId, pending);
      } catch (err) {
        if (!(err instanceof AmbiguousWrite)) throw err;
        this.reconcileFirst = true;
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  /** How many of `pending` already stand in the conversation after the last confirmed item. */
  private async landed(conversationId: string, pending: ConversationItem[]) {
    const { lastItemId, messagesMigrated } = this.progress;
    // Before the first append only the create's items precede ours, and the create returned no item ids.
    const skip = lastItemId ? 0 : messagesMigrated;
    const found = (await this.deps.target.listItems(conversationId, lastItemId, skip + pending.length)).slice(skip);
    const count = countLanded(found, pending);
    if (count < found.length) throw new ConversationDiverged(`conversation ${conversationId} holds items ferry did not write`);
    return { count, lastItemId: (count ? found[count - 1]!.id : null) ?? lastItemId };
  }

  /** A create that may have landed cannot be found again, so it is sent again and flagged. */
  private async create(items: ConversationItem[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.target.createConversation(items, this.metadata);
      } catch (err) {
        if (!(err instanceof AmbiguousWrite) || attempt >= WRITE_ATTEMPTS) throw err;
        this.warn([{ code: "possible_orphan_conversation", detail: `conversation create failed ambiguously (${err.message}); an unrecorded conversation may exist` }]);
      }
    }
  }

  private async checkpoint(): Promise<void> {
    this.deps.budget.spend();
    const leaseUntil = this.now() + LEASE_MS;
    const saved = await saveCheckpoint(this.deps.db, this.threadId, this.owner, { ...this.progress, leaseUntil, needsReconcile: false }, this.now());
    if (!saved) throw new LeaseLost();
    this.leaseUntil = leaseUntil;
  }

  /** Renews the lease when a write could outlast it. */
  private async keepLease(): Promise<void> {
    if (this.leaseUntil - this.now() > this.deps.requestTimeoutMs + 5_000) return;
    this.deps.budget.spend();
    const leaseUntil = this.now() + LEASE_MS;
    if (!(await saveCheckpoint(this.deps.db, this.threadId, this.owner, { leaseUntil }, this.now()))) throw new LeaseLost();
    this.leaseUntil = leaseUntil;
  }

  private warn(warnings: MigrationWarning[]): void {
    this.progress.warnings = mergeWarnings(this.progress.warnings, warnings);
  }

  async release(end: { status: ThreadStatus; error: StoredError | null; migratedAt?: number; nextAttemptAt?: number }): Promise<ThreadRow> {
    const row = await releaseLease(this.deps.db, this.threadId, this.owner, { ...this.progress, ...end, needsReconcile: this.reconcileFirst }, this.now());
    if (!row) throw new LeaseLost();
    return row;
  }

  /** Ends the run on an error: keeps the progress and decides, from the error, what happens to the thread next. */
  async stop(err: unknown): Promise<MigrationOutcome> {
    if (err instanceof LeaseLost) return this.lost();
    const rule = STOP_RULES.find(([type]) => err instanceof type)?.[1] ?? UNEXPECTED;
    const delaySeconds = rule.retry === "daily" ? RETRY_REFUSED_MS / 1000 : rule.retry === "retry_after" ? (err as RateLimited).retryAfter : redeliverySeconds(this.attempts);
    try {
      const row = await this.release({
        status: rule.status,
        error: rule.code ? { code: rule.code, message: errorMessage(err) } : null,
        ...(rule.retry === "now" ? {} : { nextAttemptAt: this.now() + delaySeconds * 1000 }),
      });
      if (rule.kind === "retry_later") return { kind: "retry_later", delaySeconds, row };
      return { kind: rule.kind, row };
    } catch (releaseErr) {
      if (releaseErr instanceof LeaseLost) return this.lost();
      throw releaseErr;
    }
  }

  /** Another holder took the thread over (this one outlived its lease); it carries on from the checkpoint. */
  private async lost(): Promise<MigrationOutcome> {
    return notAcquired(this.deps.db, this.threadId, this.now());
  }
}

interface StopRule {
  kind: Exclude<MigrationOutcome["kind"], "migrated" | "busy">;
  status: ThreadStatus;
  /** The error recorded on the thread; none for a plain hand-over. */
  code: string | null;
  /** When the thread is tried again: at once (hand-over), after the 429's wait, after a backoff, or a day later. */
  retry: "now" | "retry_after" | "backoff" | "daily";
}

/** What each failure means for the thread, most specific first. */
const STOP_RULES: [abstract new (...args: never[]) => unknown, StopRule][] = [
  [BudgetExhausted, { kind: "handed_over", status: "migrating", code: null, retry: "now" }],
  [SourceGone, { kind: "source_unavailable", status: "source_unavailable", code: "source_unavailable", retry: "daily" }],
  [Rejected, { kind: "failed", status: "failed", code: "openai_rejected", retry: "daily" }],
  [ConversationDiverged, { kind: "failed", status: "failed", code: "conversation_diverged", retry: "daily" }],
  [RateLimited, { kind: "retry_later", status: "migrating", code: "rate_limited", retry: "retry_after" }],
  [CallFailure, { kind: "retry_later", status: "migrating", code: "openai_unavailable", retry: "backoff" }],
];
/** A bug or an unexpected platform error: keep the progress and try again later. */
const UNEXPECTED: StopRule = { kind: "retry_later", status: "migrating", code: "internal_error", retry: "backoff" };

function errorMessage(err: unknown): string {
  if (err instanceof SourceGone) return `the Assistants API answered ${err.status}: ${err.message}`;
  if (err instanceof CallFailure) return err.status ? `OpenAI answered ${err.status}: ${err.message}` : err.message;
  return err instanceof Error ? err.message : String(err);
}
