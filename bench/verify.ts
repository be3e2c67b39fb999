// Exactly-once check: every recorded conversation against its thread's messages, from the fake's
// own state. Orphans (conversations tagged with a thread but not the one recorded for it) are
// counted apart: an interrupted conversation create can leave one by design, and ferry flags it.
import type { ConversationSnapshot, FakeState, ThreadMessage } from "../fake-openai/index";

export interface Verification {
  threads: number;
  /** Threads whose recorded conversation holds exactly their messages, once each, in order. */
  exact: number;
  notMigrated: number;
  /** Items beyond one per source message (or not from the thread at all), summed over recorded conversations. */
  duplicates: number;
  /** Source messages missing from the recorded conversation. */
  losses: number;
  /** Recorded conversations whose items are all there once but not in the thread's order. */
  outOfOrder: number;
  /** Unrecorded conversations tagged with one of these threads, and the threads they belong to. */
  orphans: number;
  orphanThreads: number;
  /** Of the threads with an orphan, how many ferry flagged with possible_orphan_conversation. */
  orphanThreadsFlagged: number;
  /** Threads flagged possible_orphan_conversation (a failed create may also have left nothing). */
  flagged: number;
}

export interface Recorded {
  threadId: string;
  conversationId: string | null;
  migrated: boolean;
  flaggedOrphan?: boolean;
}

export function verify(state: FakeState, recorded: readonly Recorded[]): Verification {
  const byThread = new Map<string, ConversationSnapshot[]>();
  for (const conv of state.conversationSnapshots()) {
    const tid = conv.metadata.assistants_thread_id;
    if (tid) byThread.set(tid, [...(byThread.get(tid) ?? []), conv]);
  }
  const v: Verification = {
    threads: recorded.length, exact: 0, notMigrated: 0, duplicates: 0, losses: 0, outOfOrder: 0,
    orphans: 0, orphanThreads: 0, orphanThreadsFlagged: 0, flagged: 0,
  };
  for (const r of recorded) {
    if (r.flaggedOrphan) v.flagged++;
    const convs = byThread.get(r.threadId) ?? [];
    const orphans = convs.filter((c) => c.id !== r.conversationId);
    if (orphans.length) {
      v.orphans += orphans.length;
      v.orphanThreads++;
      if (r.flaggedOrphan) v.orphanThreadsFlagged++;
    }
    const conv = convs.find((c) => c.id === r.conversationId);
    if (!r.migrated || !conv) {
      v.notMigrated++;
      continue;
    }
    const expected = sourceKeys(state, r.threadId);
    const actual = conv.items.map((it) => key(it.role, it.content));
    const counts = new Map<string, number>();
    for (const k of expected) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const k of actual) counts.set(k, (counts.get(k) ?? 0) - 1);
    let dup = 0;
    let lost = 0;
    for (const n of counts.values()) {
      if (n < 0) dup -= n;
      else lost += n;
    }
    v.duplicates += dup;
    v.losses += lost;
    const inOrder = actual.length === expected.length && actual.every((k, i) => k === expected[i]);
    if (dup === 0 && lost === 0 && !inOrder) v.outOfOrder++;
    if (inOrder) v.exact++;
  }
  return v;
}

/** The thread's messages (oldest first) as comparable keys. */
function sourceKeys(state: FakeState, threadId: string): string[] {
  const keys: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100_000; page++) {
    const res = state.listMessages(threadId, { limit: 100, order: "asc", ...(after ? { after } : {}) });
    keys.push(...res.data.map((m: ThreadMessage) => key(m.role, m.content)));
    if (!res.has_more || !res.last_id) break;
    after = res.last_id;
  }
  return keys;
}

/** Role plus the text of each part: `text.value` on a thread message, `text` on a conversation item. */
function key(role: string, content: readonly Record<string, unknown>[]): string {
  const texts = content.map((part) => {
    const text = part.text as string | { value?: string } | undefined;
    return typeof text === "string" ? text : (text?.value ?? JSON.stringify(part));
  });
  return `${role}\u0000${texts.join("\u0001")}`;
}
