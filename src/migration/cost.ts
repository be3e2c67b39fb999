import { MAX_ITEMS_PER_WRITE } from "../conversion/types";

/** What a thread's migration is made of, for contract §4.2's count. */
export interface ThreadShape {
  messages: number;
  /** Distinct files whose names citations need. */
  citedFiles?: number;
  /** ORPHAN_SAFE_CREATE: the create carries no item, so one write more. */
  orphanSafe?: boolean;
}

/** Calls by kind: the fewest a happy-path migration of that thread can make (contract §4.2). */
export interface CallCount {
  threadReads: number;
  messageLists: number;
  fileReads: number;
  writes: number;
}

/**
 * Contract §4.2: ⌈n/100⌉ message lists (at least one), ⌈n/20⌉ conversation writes (at least the
 * create; one more when the create is orphan-safe and the thread has items), one thread read, one
 * read per cited file.
 */
export function minimumCalls(thread: ThreadShape): CallCount {
  return {
    threadReads: 1,
    messageLists: Math.max(1, Math.ceil(thread.messages / 100)),
    fileReads: thread.citedFiles ?? 0,
    writes: conversationWrites(thread.messages, thread.orphanSafe),
  };
}

/** Writes for n items: 20 a call, at least the create; one more when the create is orphan-safe and there are items. */
export const conversationWrites = (items: number, orphanSafe = false) => Math.max(1, Math.ceil(items / MAX_ITEMS_PER_WRITE)) + (orphanSafe && items > 0 ? 1 : 0);

export const totalCalls = (c: CallCount) => c.threadReads + c.messageLists + c.fileReads + c.writes;
