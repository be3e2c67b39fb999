import { type Budget, BudgetExhausted } from "../client/budget";
import { AmbiguousWrite, CallFailure, describeFailure, EntraRefused, RateLimited, Rejected, SourceGone } from "../client/errors";
import { blamedFile } from "../conversion/file-references";
import { type AttachedFiles, collectAttachments, noAttachedFiles } from "../conversion/tool-resources";
import { type ConversationItem, MAX_ITEMS_PER_WRITE, type MigrationWarning } from "../conversion/types";
import { mergeWarnings } from "../conversion/warnings";
import type { Database } from "../db/client";
import type { StoredError, ThreadRow, ThreadStatus } from "../db/schema";
import { acquireLease, type Checkpoint, findThread, releaseLease, saveCheckpoint } from "../db/threads";
import { Paced } from "../pacing/permits";
import { redeliverySeconds } from "../retry";
import type { ThreadSource } from "../source/types";
import type { ConversationTarget } from "../target/types";
import { CheckpointLost, type ReadOptions, ThreadReader } from "./reader";
import { ConversationDiverged, countLanded } from "./reconcile";
import { bufferedItems, type Entry, takeWrite } from "./write-plan";

const LEASE_MS = 60_000;
/** A call is sent only while the lease outlives it by this much, so it cannot land after a takeover. */
const FENCE_MARGIN_MS = 5_000;
/** What one page can cost in subrequests: a list, five writes with their checkpoints, a lease renewal. */
const PAGE_COST = 1 + 2 * 5 + 1;
const WRITE_ATTEMPTS = 3;
/** A thread the source or the API refused is tried again by a backfill a day later. */
const RETRY_REFUSED_S = 24 * 60 * 60;
/** A message still being written at the source is looked at again after this long. */
const IN_PROGRESS_RETRY_S = 60;
/** How many of the last consumed message ids a checkpoint keeps, to resume when the cursor's message is deleted. */
const RECENT_MESSAGES = 20;

/** What one thread's run reads and writes through; every call it sends passes `fence` first. */
export interface Connection {
  source: ThreadSource;
  target: ConversationTarget;
  /** How this source is read, where it differs from the deployment's (an export's files are checked on the target). */
  reading?: ReadOptions;
}

export interface MigrationDeps {
  db: Database;
  /** The source (by the thread's row: a live API or an export) and the target, their calls fenced by `fence`. */
  connect: (row: ThreadRow, fence: () => Promise<void>) => Connection;
  budget: Budget;
  /** The longest a call can take; a lease always outlives a call by more than that. */
  requestTimeoutMs: number;
  /** ORPHAN_SAFE_CREATE: create conversations empty and append every item (contract §1). */
  orphanSafeCreate?: boolean;
  /** How the thread is read and converted. */
  reading: ReadOptions;
  now?: () => number;
}

export type MigrationOutcome =
  | { kind: "migrated"; row: ThreadRow }
  /** Another holder is migrating it; it finishes or hands over by itself. */
  | { kind: "busy"; retryAfter: number; row: ThreadRow }
  /** The budget ran out at a checkpoint: continue in a new invocation. */
  | { kind: "handed_over"; row: ThreadRow }
  /** Transient trouble (429, 5xx, timeouts, a message still being written): progress kept, try again after the delay. */
  | { kind: "retry_later"; delaySeconds: number; row: ThreadRow }
  /** The side's call permits are taken for a while (contract §7.1): progress kept, continue after the delay; not a failure. */
  | { kind: "paced"; delaySeconds: number; row: ThreadRow }
  | { kind: "source_unavailable"; row: ThreadRow }
  | { kind: "failed"; row: ThreadRow };

type Progress = Required<Omit<Checkpoint, "leaseUntil" | "needsReconcile" | "attachedFiles">> & { attachedFiles: AttachedFiles };

/** This holder's lease ran out or was taken over: it stops without sending or recording anything more. */
class LeaseLost extends Error {}

/** The source still writes this message (its run is going on): migrate up to it, come back later. */
class MessageInProgress extends Error {}

/**
 * Migrates one thread, or as much of it as the budget allows, exactly once (contract §4.1):
 * one lease holder at a time, fenced so a holder past its lease sends and records nothing, a
 * checkpoint after every write, and a reconciliation against the conversation whenever a write may
 * have landed without being checkpointed.
 */
export async function migrateThread(deps: MigrationDeps, threadId: string): Promise<MigrationOutcome> {
  const now = deps.now ?? Date.now;
  const owner = crypto.randomUUID();
  const row = await acquireLease(deps.db, threadId, owner, now(), LEASE_MS);
  if (!row) return notAcquired(deps.db, threadId, now());
  const run = new ThreadRun(deps, row, owner, now);
  try {
    await run.execute();
    // A migrated thread is never read from its source again, so the ids kept to resume after a deleted
    // cursor go: they are most of a finished row's bytes, and D1 holds twice the threads without them.
    return { kind: "migrated", row: await run.release({ status: "migrated", migratedAt: now(), error: null, attempts: 0, recentMessageIds: [] }) };
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
  private readonly target: ConversationTarget;
  private leaseUntil: number;
  /** A write may have landed unconfirmed: look at the conversation before the next one. */
  private reconcileFirst: boolean;
  private metadata: Record<string, string> = {};
  private readonly reader: ThreadReader;
  /** Converted messages not yet written: less than one write's worth plus one page, never more. */
  private buffer: Entry[] = [];

  constructor(
    private readonly deps: MigrationDeps,
    row: ThreadRow,
    private readonly owner: string,
    private readonly now: () => number,
  ) {
    this.threadId = row.threadId;
    const { source, target, reading } = deps.connect(row, () => this.fence());
    this.target = target;
    this.progress = {
      conversationId: row.conversationId,
      cursor: row.cursor,
      lastItemId: row.lastItemId,
      recentMessageIds: row.recentMessageIds,
      messagesMigrated: row.messagesMigrated,
      itemsWritten: row.itemsWritten,
      entryItemsWritten: row.entryItemsWritten,
      attempts: row.attempts,
      warnings: row.warnings,
      toolResources: row.toolResources,
      attachedFiles: row.attachedFiles ?? noAttachedFiles(),
      metadataOverflow: row.metadataOverflow,
    };
    this.reader = new ThreadReader(source, target, row.threadId, reading ?? deps.reading, (w) => this.warn(w), row.entryItemsWritten);
    this.leaseUntil = row.leaseUntil ?? 0;
    this.reconcileFirst = row.needsReconcile && row.conversationId !== null;
    if (row.needsReconcile && !row.conversationId) {
      // No API finds a conversation by anything but its id, so an interrupted create cannot be checked.
      this.warn([{ code: "possible_orphan_conversation", detail: "an interrupted conversation create may have left an unrecorded conversation" }]);
    }
  }

  async execute(): Promise<void> {
    if (!this.progress.conversationId) {
      const thread = await this.reader.readThread();
      this.metadata = thread.metadata;
      this.progress.metadataOverflow = Object.keys(thread.overflow).length ? thread.overflow : null;
      this.progress.toolResources = thread.toolResources;
    }
    let after = this.progress.cursor;
    for (;;) {
      if (!this.deps.budget.canAfford(PAGE_COST)) throw new BudgetExhausted();
      const page = await this.reader.nextPage(after, () => [...this.progress.recentMessageIds, ...this.buffer.map((e) => e.messageId)]);
      collectAttachments(page.messages, this.progress.attachedFiles);
      this.buffer.push(...page.entries);
      after = page.messages.at(-1)?.id ?? after;
      while (bufferedItems(this.buffer) >= MAX_ITEMS_PER_WRITE) await this.writeNext();
      if (page.waiting) throw new MessageInProgress(`message ${page.waiting} (or its run) is still in progress at the source`);
      if (!page.hasMore) break;
    }
    // The rest, or the empty conversation of a thread with nothing to convert.
    if (bufferedItems(this.buffer) > 0 || !this.progress.conversationId) await this.writeNext();
    if (this.buffer.length) this.consumed(this.buffer); // trailing messages that became no item
    await this.reader.leftOutRuns();
  }

  /** Writes the next ≤20 items from the buffer, then checkpoints. */
  private async writeNext(): Promise<void> {
    const { items, finished, rest } = takeWrite(this.buffer);
    this.buffer = rest;
    if (!this.progress.conversationId) {
      this.progress.conversationId = await this.create(this.deps.orphanSafeCreate ? [] : items);
      if (this.deps.orphanSafeCreate) {
        await this.checkpoint(); // the conversation is recorded before any content goes into it
        this.progress.lastItemId = await this.append(this.progress.conversationId, items);
      }
    } else {
      this.progress.lastItemId = await this.append(this.progress.conversationId, items);
    }
    this.consumed(finished);
    this.progress.messagesMigrated += finished.filter((e) => e.hasMessage).length;
    this.progress.itemsWritten += items.length;
    // Part of an entry larger than a write may now stand in the conversation: the checkpoint says how much.
    const ofFinished = finished.reduce((n, e) => n + e.items.length, 0);
    this.progress.entryItemsWritten = finished.length ? items.length - ofFinished : this.progress.entryItemsWritten + items.length;
    this.progress.attempts = 0; // progress: whatever failed before has passed
    await this.checkpoint();
  }

  private consumed(entries: readonly Entry[]): void {
    if (!entries.length) return;
    this.progress.cursor = entries.at(-1)!.messageId;
    this.progress.recentMessageIds = [...this.progress.recentMessageIds, ...entries.map((e) => e.messageId)].slice(-RECENT_MESSAGES);
  }

  /** Appends the items exactly once: after an ambiguous failure it looks at the conversation before sending again. */
  private async append(conversationId: string, items: ConversationItem[]): Promise<string | null> {
    let pending = items;
    let lastItemId = this.progress.lastItemId;
    if (!pending.length) return lastItemId;
    for (let attempt = 1; ; attempt++) {
      if (this.reconcileFirst) {
        const landed = await this.landed(conversationId, pending);
        this.reconcileFirst = false;
        pending = pending.slice(landed.count);
        lastItemId = landed.lastItemId;
        if (pending.length === 0) return lastItemId;
      }
      try {
        return await this.withoutRefusedFiles(pending, (usable) => {
          pending = usable;
          return this.target.appendItems(conversationId, usable);
        });
      } catch (err) {
        if (!(err instanceof AmbiguousWrite)) throw err;
        this.reconcileFirst = true;
        if (attempt >= WRITE_ATTEMPTS) throw err;
      }
    }
  }

  /** How many of `pending` already stand in the conversation after the last confirmed item. */
  private async landed(conversationId: string, pending: ConversationItem[]) {
    const { lastItemId, itemsWritten } = this.progress;
    // Before the first append only the create's items precede ours, and the create returned no item ids.
    const skip = lastItemId ? 0 : itemsWritten;
    const found = (await this.target.listItems(conversationId, lastItemId, skip + pending.length)).slice(skip);
    const count = countLanded(found, pending);
    if (count < found.length) throw new ConversationDiverged(`conversation ${conversationId} holds items ferry did not write`);
    return { count, lastItemId: (count ? found[count - 1]!.id : null) ?? lastItemId };
  }

  /** A create that may have landed cannot be found again, so it is sent again and flagged. */
  private async create(items: ConversationItem[]): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withoutRefusedFiles(items, (usable) => this.target.createConversation(usable, this.metadata));
      } catch (err) {
        if (!(err instanceof AmbiguousWrite) || attempt >= WRITE_ATTEMPTS) throw err;
        this.warn([{ code: "possible_orphan_conversation", detail: `conversation create failed ambiguously (${err.message}); an unrecorded conversation may exist` }]);
      }
    }
  }

  /**
   * Sends a write; when the API refuses it for a file one of its items names (deleted, say), that
   * file is taken out of every item and the write is sent again — a 400 applied nothing.
   */
  private async withoutRefusedFiles<T>(items: ConversationItem[], send: (items: ConversationItem[]) => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await send(items);
      } catch (err) {
        const file = err instanceof Rejected && err.status === 400 ? blamedFile(items, err.param) : null;
        if (!file || !this.reader.refuseFile(file)) throw err;
        items = items.map((item) => this.reader.usable(item));
        this.buffer = this.buffer.map((e) => ({ ...e, items: e.items.map((item) => this.reader.usable(item, e.messageId)) }));
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

  /**
   * Runs before every call this holder sends (each re-send and reconciliation read included): the
   * call must end before the lease does, so the lease is renewed when it could not, and a holder
   * whose lease ran out or was taken over stops here (contract §4.7).
   */
  private async fence(): Promise<void> {
    if (this.leaseUntil - this.now() > this.deps.requestTimeoutMs + FENCE_MARGIN_MS) return;
    this.deps.budget.spend();
    const leaseUntil = this.now() + LEASE_MS;
    if (!(await saveCheckpoint(this.deps.db, this.threadId, this.owner, { leaseUntil }, this.now()))) throw new LeaseLost();
    this.leaseUntil = leaseUntil;
  }

  private warn(warnings: MigrationWarning[]): void {
    this.progress.warnings = mergeWarnings(this.progress.warnings, warnings);
  }

  async release(end: { status: ThreadStatus; error: StoredError | null; migratedAt?: number; nextAttemptAt?: number; attempts?: number; recentMessageIds?: string[] }): Promise<ThreadRow> {
    const row = await releaseLease(this.deps.db, this.threadId, this.owner, { ...this.progress, ...end, needsReconcile: this.reconcileFirst }, this.now());
    if (!row) throw new LeaseLost();
    return row;
  }

  /** Ends the run on an error: keeps the progress and decides, from the error, what happens to the thread next. */
  async stop(err: unknown): Promise<MigrationOutcome> {
    if (err instanceof LeaseLost) return this.lost();
    const rule = STOP_RULES.find(([type]) => err instanceof type)?.[1] ?? UNEXPECTED;
    const attempts = this.progress.attempts + (rule.failure ? 1 : 0);
    const delaySeconds = rule.delay(err, attempts);
    try {
      const row = await this.release({
        status: rule.status,
        error: rule.code ? { code: rule.code, message: describeFailure(err) } : null,
        attempts,
        ...(delaySeconds === null ? {} : { nextAttemptAt: this.now() + delaySeconds * 1000 }),
      });
      if (rule.kind === "retry_later" || rule.kind === "paced") return { kind: rule.kind, delaySeconds: delaySeconds ?? 0, row };
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
  /** The error recorded on the thread; none when nothing went wrong. */
  code: string | null;
  /** Counts towards the backoff of the next failure. */
  failure: boolean;
  /** Seconds until the thread is tried again; null: at once (a hand-over). */
  delay: (err: unknown, failures: number) => number | null;
}

const daily = () => RETRY_REFUSED_S;
const backoff = (_: unknown, failures: number) => redeliverySeconds(failures);

/** What each way a run can end means for the thread, most specific first. */
const STOP_RULES: [abstract new (...args: never[]) => unknown, StopRule][] = [
  [BudgetExhausted, { kind: "handed_over", status: "migrating", code: null, failure: false, delay: () => null }],
  // Waiting for permits is no failure: it neither counts towards the backoff nor leaves an error.
  [Paced, { kind: "paced", status: "migrating", code: null, failure: false, delay: (err) => (err as Paced).retryAfter }],
  [MessageInProgress, { kind: "retry_later", status: "migrating", code: null, failure: false, delay: () => IN_PROGRESS_RETRY_S }],
  [SourceGone, { kind: "source_unavailable", status: "source_unavailable", code: "source_unavailable", failure: true, delay: daily }],
  [CheckpointLost, { kind: "failed", status: "failed", code: "checkpoint_lost", failure: true, delay: daily }],
  // Counted as failed, not source_unavailable: the thread can still migrate once an operator fixes the app.
  [EntraRefused, { kind: "failed", status: "failed", code: "entra_refused", failure: true, delay: daily }],
  [Rejected, { kind: "failed", status: "failed", code: "openai_rejected", failure: true, delay: daily }],
  [ConversationDiverged, { kind: "failed", status: "failed", code: "conversation_diverged", failure: true, delay: daily }],
  [RateLimited, { kind: "retry_later", status: "migrating", code: "rate_limited", failure: true, delay: (err) => (err as RateLimited).retryAfter }],
  [CallFailure, { kind: "retry_later", status: "migrating", code: "openai_unavailable", failure: true, delay: backoff }],
];
/** A bug or an unexpected platform error: keep the progress and try again later. */
const UNEXPECTED: StopRule = { kind: "retry_later", status: "migrating", code: "internal_error", failure: true, delay: backoff };
