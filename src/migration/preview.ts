import { type Budget, BudgetExhausted } from "../client/budget";
import type { ConversationItem, MigrationWarning } from "../conversion/types";
import { mergeWarnings } from "../conversion/warnings";
import type { ThreadSource } from "../source/types";
import type { ConversationTarget } from "../target/types";
import { conversationWrites } from "./cost";
import { type ReadOptions, ThreadReader } from "./reader";
import { bufferedItems, type Entry } from "./write-plan";

/** Items a preview shows; the rest are counted. */
const PREVIEW_ITEMS = 100;

export interface PreviewDeps {
  source: ThreadSource;
  target: ConversationTarget;
  budget: Budget;
  reading: ReadOptions;
  orphanSafeCreate: boolean;
}

export interface MigrationPreview {
  object: "migration_preview";
  thread_id: string;
  /** The first items a migration would write, in order. */
  items: ConversationItem[];
  item_count: number;
  /** Conversation writes a migration would make. */
  writes: number;
  /** Calls a migration would make: the reads this preview made, plus the writes. */
  calls: number;
  warnings: MigrationWarning[];
  /** False when the preview stopped early (its budget ran out, or a message is still being written): counts are then lower bounds. */
  complete: boolean;
}

/**
 * Contract §7.3: the reads a migration would make (thread, messages, steps, cited files) and the
 * conversion, and no write at all — no conversation, no D1 row, no queue message.
 */
export async function previewThread(deps: PreviewDeps, threadId: string): Promise<MigrationPreview> {
  let warnings: MigrationWarning[] = [];
  const warn = (added: MigrationWarning[]) => (warnings = mergeWarnings(warnings, added));
  const reader = new ThreadReader(deps.source, deps.target, threadId, deps.reading, warn);
  const items: ConversationItem[] = [];
  let count = 0;
  let complete = true;
  const seen: string[] = [];
  try {
    await reader.readThread();
    let after: string | null = null;
    for (;;) {
      const page = await reader.nextPage(after, () => seen);
      count += bufferedItems(page.entries);
      items.push(...page.entries.flatMap((e: Entry) => e.items).slice(0, PREVIEW_ITEMS - items.length));
      seen.push(...page.messages.map((m) => m.id));
      after = page.messages.at(-1)?.id ?? after;
      if (page.waiting) {
        complete = false;
        warn([{ code: "incomplete_message", message_id: page.waiting, detail: "still in progress at the source: a migration would stop before it and come back later" }]);
        break;
      }
      if (!page.hasMore) break;
    }
    await reader.leftOutRuns();
  } catch (err) {
    if (!(err instanceof BudgetExhausted)) throw err;
    complete = false;
  }
  const writes = conversationWrites(count, deps.orphanSafeCreate);
  return { object: "migration_preview", thread_id: threadId, items, item_count: count, writes, calls: deps.budget.spent + writes, warnings, complete };
}
