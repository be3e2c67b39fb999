import { Rejected } from "../client/errors";
import type { ToolCallsMode } from "../config";
import { type UnusableFile, withoutFiles } from "../conversion/file-references";
import { citedFileIds, convertMessage, otherFileIds } from "../conversion/message";
import { convertMetadata, type ConvertedMetadata } from "../conversion/metadata";
import { planRun, type RunPlan, type SourceStep, withToolHistory } from "../conversion/run-steps";
import type { SourceToolResources } from "../conversion/tool-resources";
import type { ConversationItem, MigrationWarning, SourceMessage } from "../conversion/types";
import type { Page, ThreadSource } from "../source/types";
import type { ConversationTarget } from "../target/types";
import type { Entry } from "./write-plan";

export interface ReadOptions {
  /** MIGRATE_TOOL_CALLS (contract §3.1). */
  toolCalls: ToolCallsMode;
  /** The source's files live on another host: every file a message names is checked on the target (contract §6.1). */
  filesElsewhere: boolean;
}

/** One page of a thread, converted: the entries of the messages that are ready, in order. */
export interface ReadPage {
  entries: Entry[];
  /** The messages those entries came from (their attachments, their ids). */
  messages: SourceMessage[];
  /** A message (or its run) still being written at the source: reading stopped before it. */
  waiting: string | null;
  hasMore: boolean;
}

/** The checkpoint's message and every recent one before it are gone from the source: where to resume is unknowable. */
export class CheckpointLost extends Error {}

/**
 * Reads a thread from its source and converts it (contract §3, §3.1): its messages page by page,
 * each with its run's tool history around it, the files they name checked on the target. It writes
 * nothing; the engine writes what it yields, and the dry run only counts it.
 */
export class ThreadReader {
  private readonly filenames = new Map<string, string>();
  /** Files already read on the target. */
  private readonly filesRead = new Set<string>();
  /** Files the target refused or lacks, left out of every item from then on. */
  private readonly unusableFiles = new Map<string, UnusableFile>();
  /** Tool history of the runs whose messages are still to come (null: the run had no tools to list). */
  private readonly runs = new Map<string, RunPlan | null>();

  constructor(
    private readonly source: ThreadSource,
    private readonly target: ConversationTarget,
    private readonly threadId: string,
    private readonly options: ReadOptions,
    private readonly warn: (warnings: MigrationWarning[]) => void,
    /** Items of the first entry an earlier holder already wrote. */
    private skipItems = 0,
  ) {}

  async readThread(): Promise<ConvertedMetadata & { toolResources: SourceToolResources | null }> {
    const thread = await this.source.getThread(this.threadId);
    const converted = convertMetadata(thread.metadata, this.threadId);
    this.warn(converted.warnings);
    return { ...converted, toolResources: thread.toolResources };
  }

  /** The next page after `after`; `consumed` names what was read so far, for a cursor the source lost. */
  async nextPage(after: string | null, consumed: () => readonly string[]): Promise<ReadPage> {
    const page = await this.listMessages(after, consumed);
    await this.resolveFilenames(page.data);
    const entries: Entry[] = [];
    const messages: SourceMessage[] = [];
    for (const message of page.data) {
      const entry = await this.entryFor(message);
      if (!entry) return { entries, messages, waiting: message.id, hasMore: page.hasMore };
      entries.push(entry);
      messages.push(message);
    }
    return { entries, messages, waiting: null, hasMore: page.hasMore };
  }

  /** Runs the source knows that created no message: their tool calls have no place in the conversation. */
  async leftOutRuns(): Promise<void> {
    for (const runId of (await this.source.runsWithoutMessages?.(this.threadId)) ?? []) {
      this.warn([{ code: "run_without_message", detail: `run ${runId} created no message; its tool calls were left out` }]);
    }
  }

  /** The target refused a file one of the items names: it is left out of every item from now on. Returns false if it already was. */
  refuseFile(fileId: string): boolean {
    if (this.unusableFiles.has(fileId)) return false;
    this.unusableFiles.set(fileId, "file_missing");
    return true;
  }

  /** The item without the files the target cannot use (contract §6.1). */
  usable(item: ConversationItem, messageId?: string): ConversationItem {
    if (!this.unusableFiles.size) return item;
    const cleaned = withoutFiles(item, this.unusableFiles, messageId);
    this.warn(cleaned.warnings);
    return cleaned.item;
  }

  /**
   * A source that no longer knows the cursor's message (it was deleted) refuses the cursor; the
   * thread is then read from its start and resumes after the newest consumed message that still
   * exists, so nothing is written twice or skipped.
   */
  private async listMessages(after: string | null, consumed: () => readonly string[]): Promise<Page<SourceMessage>> {
    try {
      return await this.source.listMessages(this.threadId, after);
    } catch (err) {
      if (!(err instanceof Rejected && err.status === 400 && err.param === "after")) throw err;
      return this.resumeAfterLostCursor(new Set(consumed()));
    }
  }

  private async resumeAfterLostCursor(recent: ReadonlySet<string>): Promise<Page<SourceMessage>> {
    // Messages are only ever appended, so everything up to the newest consumed one still there is consumed.
    let after: string | null = null;
    let found = false;
    for (;;) {
      const page = await this.source.listMessages(this.threadId, after);
      const last = page.data.findLastIndex((m) => recent.has(m.id));
      found ||= last >= 0;
      const rest = last >= 0 ? page.data.slice(last + 1) : found ? page.data : [];
      if (rest.length || !page.hasMore) {
        if (!found) {
          throw new CheckpointLost(
            `the last ${recent.size} messages ferry migrated were deleted from the thread, so ferry cannot tell which messages are new; ` +
              "the conversation holds everything migrated so far",
          );
        }
        return { data: rest, hasMore: page.hasMore };
      }
      after = page.data.at(-1)!.id;
    }
  }

  /**
   * One file read per distinct cited file (contract §4.2): citations need the file's name. When the
   * source's files live elsewhere, the other files messages name are read on the target too, and one
   * it lacks becomes a text pointer (contract §6.1) instead of failing the write.
   */
  private async resolveFilenames(messages: readonly SourceMessage[]): Promise<void> {
    const others = this.options.filesElsewhere ? otherFileIds(messages) : [];
    for (const fileId of [...citedFileIds(messages), ...others]) {
      if (this.filesRead.has(fileId)) continue;
      this.filesRead.add(fileId);
      const name = await this.target.getFilename(fileId);
      if (name !== null) this.filenames.set(fileId, name);
      else if (others.includes(fileId)) this.unusableFiles.set(fileId, "file_not_on_target");
    }
  }

  /** The message as conversation items, its run's tool history around it; null while the message or its run goes on. */
  private async entryFor(message: SourceMessage): Promise<Entry | null> {
    if (message.status === "in_progress") return null;
    const plan = await this.planFor(message);
    if (plan?.inProgress) return null;
    const { item, warnings } = convertMessage(message, this.filenames);
    const history = withToolHistory(item, message.id, plan);
    this.warn([...warnings, ...history.warnings]);
    if (plan && plan.messageIds.at(-1) === message.id) this.runs.set(message.run_id!, null); // the run's history is placed; free it
    const items = history.items.slice(this.skipItems).map((i) => this.usable(i, message.id));
    this.skipItems = 0;
    return { messageId: message.id, items, hasMessage: item !== null };
  }

  /** The tool history of the message's run, its steps listed once per run (contract §3.1, §4.2). */
  private async planFor(message: SourceMessage): Promise<RunPlan | null> {
    const runId = message.run_id;
    if (!runId || this.options.toolCalls === "never") return null;
    if (this.runs.has(runId)) return this.runs.get(runId)!;
    const wanted = this.options.toolCalls === "always" || (await this.source.runHadTools(this.threadId, runId, message.assistant_id ?? null));
    let plan: RunPlan | null = null;
    if (wanted) {
      const steps: SourceStep[] = [];
      let after: string | null = null;
      do {
        const page = await this.source.listRunSteps(this.threadId, runId, after);
        steps.push(...page.data);
        after = page.hasMore ? (page.data.at(-1)?.id ?? null) : null;
      } while (after);
      plan = planRun(steps);
    }
    this.runs.set(runId, plan);
    return plan;
  }
}
