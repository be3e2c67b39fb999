// Parts 2 and 4: N threads × M messages imported and migrated through POST /v1/backfill and the
// local queue until all have settled; also the engine of part 3 (one thread, many messages) and of
// parts 10 and 11 (the modes).
import type { FakeOpenAI } from "../fake-openai/index";
import { callStats, minimumCalls, type CallStats } from "./calls";
import { FerryApi, type Milestone } from "./ferry-api";
import { CpuMeter, type FerryInstance } from "./stack";
import { verify, type Verification } from "./verify";

export interface BackfillResult {
  threads: number;
  messages: number;
  wallMs: number;
  timedOut: boolean;
  /** When half, 90 % and 99 % of the threads had settled. */
  milestones: Milestone[];
  calls: CallStats;
  minimumCalls: number;
  /** CPU seconds per process role during the part (see stack.ts Role, plus `bench`). */
  cpu: Record<string, number>;
  verification: Verification;
  /** Threads whose migration ended in another state than `migrated`, by state. */
  unfinished: Record<string, number>;
}

/** Seeds `count` threads of `messages` generated messages each; ids carry the part's name. */
export function seedThreads(fake: FakeOpenAI, part: string, count: number, messages: number): string[] {
  return Array.from({ length: count }, (_, i) => fake.state.createThread({ id: `thread_bench_${part}_${i}`, generate: messages }));
}

/** `minimum`: contract §4.2's calls for these threads, by default in the default mode for `messages` plain messages each. */
export async function runBackfill(
  fake: FakeOpenAI,
  ferry: FerryInstance,
  ids: readonly string[],
  messages: number,
  timeoutMs: number,
  minimum = ids.length * minimumCalls(messages),
): Promise<BackfillResult> {
  const api = new FerryApi(ferry.url);
  fake.state.clearCalls();
  const cpu = new CpuMeter(ferry.pgid);
  const { wallMs, timedOut, milestones } = await api.backfill(ids, timeoutMs);
  const cpuUsed = cpu.read();
  const { calls, unfinished, verification } = await settledOutcome(fake, api, ids);
  return {
    threads: ids.length,
    messages,
    wallMs,
    timedOut,
    milestones,
    calls,
    minimumCalls: minimum,
    cpu: cpuUsed,
    verification,
    unfinished,
  };
}

/**
 * What became of the threads: the calls the fake received (read first: the lookups after never call
 * OpenAI, but the counts stay exact), the threads that did not end migrated, and the exactly-once check.
 */
export async function settledOutcome(fake: FakeOpenAI, api: FerryApi, ids: readonly string[]) {
  const calls = callStats(fake.state, fake.state.config.latencyMs);
  const rows = await api.lookup(ids);
  const unfinished: Record<string, number> = {};
  for (const r of rows) if (r.status !== "migrated") unfinished[r.status] = (unfinished[r.status] ?? 0) + 1;
  const verification = verify(
    fake.state,
    rows.map((r) => ({
      threadId: r.thread_id,
      conversationId: r.conversation_id,
      migrated: r.status === "migrated",
      flaggedOrphan: r.warnings.some((w) => w.code === "possible_orphan_conversation"),
    })),
  );
  return { calls, unfinished, verification };
}
