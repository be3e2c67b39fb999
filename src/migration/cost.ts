import { MAX_ITEMS_PER_WRITE } from "../conversion/types";

/** What a thread's migration is made of, for contract §4.2's count. */
export interface ThreadShape {
  messages: number;
  /** Distinct files whose names citations need. */
  citedFiles?: number;
  /** ORPHAN_SAFE_CREATE: the create carries no item, so one write more. */
  orphanSafe?: boolean;
  /** Items beyond the messages' own: the tool items of their runs (contract §3.1). */
  toolItems?: number;
  /** Pages of run steps: ⌈steps/100⌉ for each distinct run whose steps are listed. */
  stepPages?: number;
  /** Assistants ferry reads to learn their tools (MIGRATE_TOOL_CALLS=auto), once each for good. */
  assistantReads?: number;
}

/** Calls by kind: the fewest a happy-path migration of that thread can make (contract §4.2). */
export interface CallCount {
  threadReads: number;
  messageLists: number;
  fileReads: number;
  stepLists: number;
  assistantReads: number;
  writes: number;
}

/**
 * Contract §4.2 and §3.1: ⌈n/100⌉ message lists (at least one), one thread read, one read per cited
 * file, the run steps pages, and ⌈items/20⌉ conversation writes (at least the create; one more when
 * the create is orphan-safe and the thread has items).
 */
export function minimumCalls(thread: ThreadShape): CallCount {
  return {
    threadReads: 1,
    messageLists: Math.max(1, Math.ceil(thread.messages / 100)),
    fileReads: thread.citedFiles ?? 0,
    stepLists: thread.stepPages ?? 0,
    assistantReads: thread.assistantReads ?? 0,
    writes: conversationWrites(thread.messages + (thread.toolItems ?? 0), thread.orphanSafe),
  };
}

/** Writes for n items: 20 a call, at least the create; one more when the create is orphan-safe and there are items. */
export const conversationWrites = (items: number, orphanSafe = false) => Math.max(1, Math.ceil(items / MAX_ITEMS_PER_WRITE)) + (orphanSafe && items > 0 ? 1 : 0);

export const totalCalls = (c: CallCount) => c.threadReads + c.messageLists + c.fileReads + c.stepLists + c.assistantReads + c.writes;
