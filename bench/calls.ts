// What the fake OpenAI saw during one part: calls by route and status, against contract §4.2's minimum.
import { minimumCalls as contractMinimum, totalCalls, type ThreadShape } from "../src/migration/cost";
import type { CallRecord, FakeState } from "../fake-openai/index";

/**
 * Contract §4.2 for a thread of n convertible messages: one thread read, the lists, the 20-item
 * writes; `shape` adds what the instance's mode and the thread's runs make of it (ORPHAN_SAFE_CREATE's
 * extra write, the steps lists and tool items of §3.1).
 */
export const minimumCalls = (messages: number, shape: Omit<ThreadShape, "messages"> = {}): number => totalCalls(contractMinimum({ messages, ...shape }));

/** Sequential calls on one thread's critical path: the same calls, each waiting for the one before. */
export const criticalPathCalls = (messages: number): number => minimumCalls(messages);

/**
 * Routes a thread migration uses (contract §4.2); anything else (the assistants backfill of §5,
 * the listing of threads, `GET /v1/threads`) is counted apart.
 */
const MIGRATION_ROUTE = /^[A-Z]+ \/v1\/(threads\/|(conversations|files)(\/|$))/;

export interface CallStats {
  /** Calls on thread-migration routes. */
  total: number;
  byRoute: Record<string, number>;
  /** Calls on other routes (e.g. the backfill's assistants pass, contract §5), by route: not part of the ratio. */
  other: Record<string, number>;
  /** Calls the fake answered with an injected 429/5xx (commit-then-fail writes included). */
  faulted: number;
  /** Reads of a conversation's items: ferry reconciling after an ambiguous write. */
  reconcileReads: number;
  /** Per-thread span from its first call's arrival to its last call's answer, ms (p50, p90, max). */
  threadSpanMs: { p50: number; p90: number; max: number } | null;
  /** Sum of those spans (÷ wall time = threads in flight on average) and the most spans overlapping at once. */
  threadSpanTotalMs: number;
  maxThreadsInFlight: number;
  /** Whether every call is in the detailed log (the fake keeps the last 50,000). */
  complete: boolean;
}

export function callStats(state: FakeState, latencyMs: number): CallStats {
  const log = state.callLog();
  const convThread = new Map<string, string>();
  for (const c of state.conversationSnapshots()) if (c.metadata.assistants_thread_id) convThread.set(c.id, c.metadata.assistants_thread_id);
  const spans = new Map<string, { first: number; last: number }>();
  let faulted = 0;
  for (const call of log.calls) {
    if (!MIGRATION_ROUTE.test(call.route)) continue;
    if (call.status !== null && call.status !== 200) faulted++;
    const tid = threadOf(call, convThread);
    if (!tid) continue;
    const s = spans.get(tid);
    if (!s) spans.set(tid, { first: call.at, last: call.at });
    else {
      s.first = Math.min(s.first, call.at);
      s.last = Math.max(s.last, call.at);
    }
  }
  const durations = [...spans.values()].map((s) => s.last - s.first + latencyMs).sort((a, b) => a - b);
  // Sweep over span edges for the most threads in flight at once.
  const edges = [...spans.values()].flatMap((s) => [[s.first, 1] as const, [s.last + latencyMs, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let maxInFlight = 0;
  for (const [, d] of edges) maxInFlight = Math.max(maxInFlight, (inFlight += d));
  const byRoute: Record<string, number> = {};
  const other: Record<string, number> = {};
  for (const [route, n] of Object.entries(log.byRoute)) (MIGRATION_ROUTE.test(route) ? byRoute : other)[route] = n;
  return {
    total: Object.values(byRoute).reduce((a, b) => a + b, 0),
    byRoute,
    other,
    faulted,
    reconcileReads: byRoute["GET /v1/conversations/{id}/items"] ?? 0,
    threadSpanMs: durations.length ? { p50: pct(durations, 0.5), p90: pct(durations, 0.9), max: durations.at(-1)! } : null,
    threadSpanTotalMs: durations.reduce((a, b) => a + b, 0),
    maxThreadsInFlight: maxInFlight,
    complete: log.calls.length === log.total,
  };
}

const ASSISTANT_READ = "GET /v1/assistants/{id}";

/**
 * Reads of these assistants (`GET /v1/assistants/{id}`): MIGRATE_TOOL_CALLS=auto learning their tools,
 * and the backfill's own sync of each (contract §5) — one route, so the two cannot be told apart.
 * Counted from the detailed log, by id, since the sync also reads every other assistant the fake holds.
 */
export function assistantReads(state: FakeState, assistantIds: ReadonlySet<string>): number {
  const log = state.callLog();
  if (log.calls.length !== log.total) throw new Error("the fake's detailed call log was cut: assistant reads cannot be counted");
  return log.calls.filter((c) => c.route === ASSISTANT_READ && assistantIds.has(decodeURIComponent(c.path.split("/").pop()!))).length;
}

function threadOf(call: CallRecord, convThread: Map<string, string>): string | undefined {
  const thread = /^\/v1\/threads\/([^/]+)/.exec(call.path);
  if (thread) return decodeURIComponent(thread[1]!);
  const conv = /^\/v1\/conversations\/([^/]+)/.exec(call.path);
  return conv ? convThread.get(decodeURIComponent(conv[1]!)) : undefined;
}

export function pct(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
