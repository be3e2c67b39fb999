// Exactly-once check: every recorded conversation against its thread, from the fake's own state:
// the messages, and the tool history their runs' steps hold (contract §3.1). Orphans (conversations
// tagged with a thread but not the one recorded for it) are counted apart: an interrupted
// conversation create can leave one by design, and ferry flags it.
import type { ConversationSnapshot, FakeState, RunStepObject } from "../fake-openai/index";
import { NO_OUTPUT } from "../src/conversion/run-steps";
import { toolItemShape, type ToolItemFields } from "../test/support/items";

export interface Verification {
  threads: number;
  /** Threads whose recorded conversation holds exactly their items, once each, in order. */
  exact: number;
  notMigrated: number;
  /** Items the threads should have become (messages and tool items), summed over recorded conversations. */
  expectedItems: number;
  /** Of those, `function_call` and `function_call_output` items. */
  expectedToolItems: number;
  /** Items beyond one per expected item (or not from the thread at all), summed over recorded conversations. */
  duplicates: number;
  /** Expected items missing from the recorded conversation. */
  losses: number;
  /** Recorded conversations whose items are all there once but not in the thread's order. */
  outOfOrder: number;
  /** Unrecorded conversations tagged with one of these threads, and the threads they belong to. */
  orphans: number;
  orphanThreads: number;
  /** What the orphans hold: conversations with any item, and their items in all. */
  orphansWithItems: number;
  orphanItems: number;
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
    threads: recorded.length, exact: 0, notMigrated: 0, expectedItems: 0, expectedToolItems: 0, duplicates: 0, losses: 0, outOfOrder: 0,
    orphans: 0, orphanThreads: 0, orphansWithItems: 0, orphanItems: 0, orphanThreadsFlagged: 0, flagged: 0,
  };
  for (const r of recorded) {
    if (r.flaggedOrphan) v.flagged++;
    const convs = byThread.get(r.threadId) ?? [];
    const orphans = convs.filter((c) => c.id !== r.conversationId);
    if (orphans.length) {
      v.orphans += orphans.length;
      v.orphanThreads++;
      v.orphansWithItems += orphans.filter((c) => c.items.length).length;
      v.orphanItems += orphans.reduce((n, c) => n + c.items.length, 0);
      if (r.flaggedOrphan) v.orphanThreadsFlagged++;
    }
    const conv = convs.find((c) => c.id === r.conversationId);
    if (!r.migrated || !conv) {
      v.notMigrated++;
      continue;
    }
    const source = sourceHistory(state, r.threadId);
    const expected = source.keys;
    v.expectedItems += expected.length;
    v.expectedToolItems += source.toolItems;
    const actual = conv.items.map((it) => itemKey(it));
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

/** What a thread should become, read from the fake's messages and run steps, and what §4.2 counts of it. */
export interface SourceHistory {
  /** The conversation's items in order, as comparable keys. */
  keys: string[];
  messages: number;
  /** `function_call` and `function_call_output` items. */
  toolItems: number;
  /** Steps pages (100 a page) of the runs that created a message: what listing each run's steps once takes. */
  stepPages: number;
  /** The assistants of those runs. */
  assistants: Set<string>;
}

/**
 * The thread's messages (oldest first) with their runs' tool history, placed as contract §3.1 says
 * and built here from the steps, not by ferry's conversion: a run's tool calls stand before the
 * message it created next (a step's parallel calls, then their outputs; a missing output is the
 * contract's stand-in), calls after its last message follow it. Code-interpreter and file-search
 * calls lead the next assistant item as summaries, compared by their tag alone (the text is ferry's).
 * Runs whose steps hold no tool call give the messages alone, as every MIGRATE_TOOL_CALLS mode does.
 */
export function sourceHistory(state: FakeState, threadId: string): SourceHistory {
  const h: SourceHistory = { keys: [], messages: 0, toolItems: 0, stepPages: 0, assistants: new Set() };
  const plans = new Map<string, RunPlacement>();
  for (const m of allPages((after) => state.listMessages(threadId, { limit: 100, order: "asc", ...(after ? { after } : {}) }))) {
    h.messages++;
    let plan = m.run_id ? plans.get(m.run_id) : undefined;
    if (m.run_id && !plan) {
      const steps = allPages((after) => state.runs.listSteps(threadId, m.run_id!, { limit: 100, order: "asc", ...(after ? { after } : {}) }, new Set()));
      plan = placeRun(steps);
      plans.set(m.run_id, plan);
      h.stepPages += Math.max(1, Math.ceil(steps.length / 100));
      if (m.assistant_id) h.assistants.add(m.assistant_id);
    }
    const before = plan?.before.get(m.id) ?? { items: [], summaries: [] };
    const summaries = before.summaries.map(tag);
    const items: Item[] = [...before.items];
    // Summaries lead the run's next assistant item; before any other item they stand as one of their own.
    if (summaries.length && m.role !== "assistant") items.push({ role: "assistant", content: summaries });
    items.push({ role: m.role, content: m.role === "assistant" ? [...summaries, ...m.content] : m.content });
    if (plan && plan.lastMessage === m.id) {
      items.push(...plan.after.items);
      if (plan.after.summaries.length) items.push({ role: "assistant", content: plan.after.summaries.map(tag) });
    }
    h.toolItems += items.filter((i) => toolItemShape(i) !== null).length;
    h.keys.push(...items.map(itemKey));
  }
  return h;
}

/** A conversation item, or one built from the source to compare with it. */
type Item = ToolItemFields & { role?: string; content?: readonly Record<string, unknown>[] };

interface Placement {
  items: ToolItemFields[];
  /** The types of the summarized calls (code_interpreter, file_search). */
  summaries: string[];
}
interface RunPlacement {
  before: Map<string, Placement>;
  after: Placement;
  lastMessage: string | null;
}

function placeRun(steps: readonly RunStepObject[]): RunPlacement {
  const run: RunPlacement = { before: new Map(), after: { items: [], summaries: [] }, lastMessage: null };
  let pending: Placement = { items: [], summaries: [] };
  for (const step of steps) {
    const d = step.step_details;
    if (d.type === "message_creation") {
      run.before.set(d.message_creation.message_id, pending);
      run.lastMessage = d.message_creation.message_id;
      pending = { items: [], summaries: [] };
      continue;
    }
    const outputs: ToolItemFields[] = [];
    for (const call of d.tool_calls) {
      const fn = call.function as { name: string; arguments: string; output: string | null } | undefined;
      if (call.type !== "function" || !fn) {
        pending.summaries.push(String(call.type));
        continue;
      }
      pending.items.push({ type: "function_call", call_id: call.id, name: fn.name, arguments: fn.arguments });
      outputs.push({ type: "function_call_output", call_id: call.id, output: fn.output ?? NO_OUTPUT });
    }
    pending.items.push(...outputs);
  }
  run.after = pending;
  return run;
}

const tag = (type: string) => ({ type: "output_text", text: `[${type}]` });
/** A part that is one of ferry's summaries (it starts with its call type in brackets): its tag alone. */
const SUMMARY = /^\[(code_interpreter|file_search)\]/;

/** Tool items by their shared shape; messages by role plus the text of each part (`text.value` on a thread message, `text` on an item). */
function itemKey(item: Item): string {
  const tool = toolItemShape(item);
  if (tool !== null) return tool;
  const texts = (item.content ?? []).map((part) => {
    const text = part.text as string | { value?: string } | undefined;
    if (typeof text === "string") return SUMMARY.exec(text)?.[0] ?? text;
    return text?.value ?? JSON.stringify(part);
  });
  return `${item.role}\u0000${texts.join("\u0001")}`;
}

function allPages<T extends { id: string }>(list: (after: string | undefined) => { data: T[]; has_more: boolean }): T[] {
  const out: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < 100_000; page++) {
    const res = list(after);
    out.push(...res.data);
    if (!res.has_more || !res.data.length) break;
    after = res.data.at(-1)!.id;
  }
  return out;
}
