// Part 11: tool history (contract §3.1, §4.2). Threads whose assistant messages come from runs —
// function calls (two in parallel), code interpreter, file search — backfilled with the default
// MIGRATE_TOOL_CALLS=auto, and tool-free threads (runs of assistants without tools) backfilled
// with auto and with never, each on a fresh instance, so auto's extra cost is measured from an
// empty D1 that knows no assistant's tools yet.
import type { FakeOpenAI, StepSpec } from "../fake-openai/index";
import { runBackfill, type BackfillResult } from "./backfill";
import { assistantReads, minimumCalls } from "./calls";
import type { FerryInstance } from "./stack";
import { sourceHistory } from "./verify";

/** Spread over three assistants each, so "one read per distinct assistant" is more than one read. */
const TOOL_ASSISTANTS = ["asst_bench_tools_0", "asst_bench_tools_1", "asst_bench_tools_2"];
const PLAIN_ASSISTANTS = ["asst_bench_plain_0", "asst_bench_plain_1", "asst_bench_plain_2"];

export interface ToolBackfill {
  result: BackfillResult;
  /** `GET /v1/assistants/{id}` of the threads' assistants, in the result's calls and minimum. */
  assistantReads: number;
  assistants: number;
}

export interface ToolsResult {
  /** Threads with tool calls, auto. */
  tools: ToolBackfill;
  /** Tool-free threads, auto and never. */
  autoPlain: ToolBackfill;
  neverPlain: ToolBackfill;
}

export async function runTools(
  fake: FakeOpenAI,
  start: (name: string, vars: Record<string, string>) => Promise<FerryInstance>,
  quiet: (ferry: FerryInstance, part: string) => Promise<void>,
  opts: { threads: number; messages: number; timeoutMs: number; log: (msg: string) => void },
): Promise<ToolsResult> {
  seedAssistants(fake);
  const backfill = async (ferry: FerryInstance, part: string, withTools: boolean, toolCalls: "auto" | "never") => {
    const ids = seedRunThreads(fake, part, opts.threads, opts.messages, withTools);
    await quiet(ferry, part);
    opts.log(`${part}: ${opts.threads} ${withTools ? "threads with tool calls" : "tool-free threads"} × ${opts.messages} messages, MIGRATE_TOOL_CALLS=${toolCalls}`);
    const r = await measured(fake, ferry, ids, opts.messages, opts.timeoutMs, toolCalls);
    opts.log(`${part}: ${(r.result.wallMs / 1000).toFixed(2)} s, ${r.result.calls.total} calls, ${r.assistantReads} assistant reads`);
    return r;
  };

  // A fresh instance each: an instance's D1 keeps what it learnt of assistants' tools, and the
  // backfill's own assistant sync (contract §5) records them too.
  const onFresh = async (name: string, vars: Record<string, string>, part: string, withTools: boolean, toolCalls: "auto" | "never") => {
    const ferry = await start(name, vars);
    try {
      return await backfill(ferry, part, withTools, toolCalls);
    } finally {
      await ferry.stop();
    }
  };
  return {
    tools: await onFresh("tools", {}, "tools", true, "auto"),
    autoPlain: await onFresh("tools-plain-auto", {}, "tools_plain_auto", false, "auto"),
    neverPlain: await onFresh("tools-plain-never", { MIGRATE_TOOL_CALLS: "never" }, "tools_plain_never", false, "never"),
  };
}

/**
 * The backfill, its calls with the reads of the threads' assistants added, against §4.2's minimum
 * from the threads as the fake holds them: with auto, one steps list (paged) per run that created a
 * message — none for an assistant without tools — and each assistant read once for the whole
 * backfill (kept in D1), not once a thread.
 */
async function measured(fake: FakeOpenAI, ferry: FerryInstance, ids: readonly string[], messages: number, timeoutMs: number, toolCalls: "auto" | "never"): Promise<ToolBackfill> {
  const shapes = ids.map((id) => sourceHistory(fake.state, id));
  const threadAssistants = new Set(shapes.flatMap((h) => [...h.assistants]));
  const learns = toolCalls !== "never";
  const perThread = shapes.reduce((n, h) => {
    const hasTools = [...h.assistants].some((a) => TOOL_ASSISTANTS.includes(a));
    return n + minimumCalls(h.messages, hasTools && learns ? { toolItems: h.toolItems, stepPages: h.stepPages } : {});
  }, 0);
  const assistants = learns ? threadAssistants.size : 0;
  const result = await runBackfill(fake, ferry, ids, messages, timeoutMs, perThread + assistants);
  const reads = assistantReads(fake.state, threadAssistants);
  result.calls.total += reads;
  return { result, assistantReads: reads, assistants };
}

function seedAssistants(fake: FakeOpenAI): void {
  const known = new Set(fake.state.assistantSnapshots().map((a) => a.id));
  const fn = (name: string) => ({ type: "function", function: { name, parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } } });
  for (const id of TOOL_ASSISTANTS) {
    if (!known.has(id)) fake.state.createAssistant({ id, model: "gpt-4o", tools: [fn("lookup_order"), fn("lookup_stock"), { type: "code_interpreter" }, { type: "file_search" }] });
  }
  for (const id of PLAIN_ASSISTANTS) if (!known.has(id)) fake.state.createAssistant({ id, model: "gpt-4o", tools: [] });
}

/**
 * `count` threads of `messages` messages: a user question, then a run's answer, in turn. With
 * tools, the runs take turns: two function calls in parallel (4 items), a code-interpreter call, a
 * file-search call (each a summary leading the answer); without, each run only creates its answer.
 */
function seedRunThreads(fake: FakeOpenAI, part: string, count: number, messages: number, withTools: boolean): string[] {
  const assistants = withTools ? TOOL_ASSISTANTS : PLAIN_ASSISTANTS;
  return Array.from({ length: count }, (_, t) => {
    const id = fake.state.createThread({ id: `thread_bench_${part}_${t}` });
    const assistant_id = assistants[t % assistants.length]!;
    for (let i = 0; i < messages; i += 2) {
      fake.state.appendMessages(id, { messages: [{ role: "user", content: `question ${i / 2 + 1}` }] });
      if (i + 1 === messages) break;
      const answer: StepSpec = { type: "message_creation", message: { content: `answer ${i / 2 + 1}` } };
      fake.state.createRun(id, { assistant_id, status: "completed", steps: withTools ? [toolStep(t, i / 2), answer] : [answer] });
    }
    return id;
  });
}

function toolStep(thread: number, turn: number): StepSpec {
  const call = `call_${thread}_${turn}`;
  if (turn % 3 === 0) {
    const fn = (name: string, n: number) => ({ type: "function", id: `${call}_${n}`, function: { name, arguments: `{"q":"${turn}"}`, output: `{"${name}":${turn}}` } });
    return { type: "tool_calls", tool_calls: [fn("lookup_order", 0), fn("lookup_stock", 1)] };
  }
  if (turn % 3 === 1) {
    return { type: "tool_calls", tool_calls: [{ type: "code_interpreter", id: call, code_interpreter: { input: `print(${turn} * 2)`, outputs: [{ type: "logs", logs: `${turn * 2}\n` }] } }] };
  }
  return { type: "tool_calls", tool_calls: [{ type: "file_search", id: call, file_search: { results: [{ file_id: "file-bench-handbook", file_name: "handbook.pdf", score: 0.9 }] } }] };
}
