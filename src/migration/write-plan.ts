import { MAX_ITEMS_PER_WRITE, type ConversationItem } from "../conversion/types";

/** A source message on its way to the conversation, with the items it becomes (none when the conversion skipped it). */
export interface Entry {
  messageId: string;
  /** Its run's tool items first (contract §3.1), then the message's own item unless the conversion skipped it. */
  items: ConversationItem[];
  /** Whether one of the items is the message itself: what `messages_migrated` counts. */
  hasMessage: boolean;
}

export interface Write {
  /** At most MAX_ITEMS_PER_WRITE items, in order. */
  items: ConversationItem[];
  /** Entries this write finishes: the checkpoint may move past their messages. */
  finished: Entry[];
  /** What stays buffered; a first entry that did not fit whole keeps only its unwritten items. */
  rest: Entry[];
}

/**
 * The next write from the front of the buffer: whole entries while they fit, then as much of the
 * next one as fits (contract §3: at most 20 items a call). Every write but the last is full, which
 * is what makes the count ⌈items/20⌉ (contract §4.2). Entries that became no item ride along with the
 * write before them.
 */
export function takeWrite(buffer: readonly Entry[], max = MAX_ITEMS_PER_WRITE): Write {
  const items: ConversationItem[] = [];
  const finished: Entry[] = [];
  let i = 0;
  for (; i < buffer.length; i++) {
    const entry = buffer[i]!;
    const room = max - items.length;
    if (entry.items.length > room) {
      if (room === 0) break;
      items.push(...entry.items.slice(0, room));
      return { items, finished, rest: [{ ...entry, items: entry.items.slice(room) }, ...buffer.slice(i + 1)] };
    }
    if (room === 0 && entry.items.length) break;
    items.push(...entry.items);
    finished.push(entry);
  }
  return { items, finished, rest: buffer.slice(i) };
}

export const bufferedItems = (buffer: readonly Entry[]) => buffer.reduce((n, e) => n + e.items.length, 0);
