import type { RunStep, ToolCall } from "openai/resources/beta/threads/runs/steps";
import type { AssistantPart, ConversationItem, MigrationWarning, ToolItem } from "./types";

/** The output of a call whose run ended before the app submitted one (contract §3.1). */
export const NO_OUTPUT = "[no output: the run ended before a tool output was submitted]";
/** The longest summary of one code-interpreter or file-search call. */
export const SUMMARY_MAX_CHARS = 2_000;

/** The part of a run step the conversion reads. */
export type SourceStep = Pick<RunStep, "id" | "status" | "step_details">;

/** What goes in around one of the run's messages: function items before it, summaries at the head of its content. */
interface Placement {
  items: ToolItem[];
  summaries: string[];
  warnings: MigrationWarning[];
}

/** A run's tool calls, placed around the messages it created (contract §3.1). */
export interface RunPlan {
  /** The messages the run created, in step order. */
  messageIds: string[];
  /** For each of those messages, what its tool calls put before it. */
  before: Map<string, Placement>;
  /** The calls after the run's last message, which go right after it. */
  after: Placement;
  /** A step is still in progress: the run goes on and its history is not final yet. */
  inProgress: boolean;
}

const placement = (): Placement => ({ items: [], summaries: [], warnings: [] });

/**
 * Walks a run's steps in order: tool calls gather until the run creates a message, then stand
 * before it. Function calls become a `function_call` and its `function_call_output` (every output
 * after its call, every call with exactly one output); code interpreter and file search become a
 * bounded text summary.
 */
export function planRun(steps: readonly SourceStep[]): RunPlan {
  const plan: RunPlan = { messageIds: [], before: new Map(), after: placement(), inProgress: false };
  let pending = placement();
  for (const step of steps) {
    if (step.status === "in_progress") plan.inProgress = true;
    const details = step.step_details;
    if (details.type === "message_creation") {
      plan.messageIds.push(details.message_creation.message_id);
      plan.before.set(details.message_creation.message_id, pending);
      pending = placement();
      continue;
    }
    const calls: ToolItem[] = [];
    const outputs: ToolItem[] = [];
    for (const call of details.tool_calls) {
      if (call.type === "function") {
        const missing = call.function.output === null || call.function.output === undefined;
        calls.push({ type: "function_call", call_id: call.id, name: call.function.name, arguments: call.function.arguments });
        outputs.push({ type: "function_call_output", call_id: call.id, output: missing ? NO_OUTPUT : call.function.output! });
        if (missing) pending.warnings.push({ code: "tool_output_missing", detail: `function call ${call.id} (${call.function.name}) never got an output; '${NO_OUTPUT}' stands in` });
      } else {
        pending.summaries.push(summarize(call));
        pending.warnings.push({ code: "tool_call_summarized", detail: `${call.type} call ${call.id} became a text summary` });
      }
    }
    // Parallel calls as the model made them, then their outputs as the app submitted them.
    pending.items.push(...calls, ...outputs);
  }
  plan.after = pending;
  return plan;
}

function summarize(call: Exclude<ToolCall, { type: "function" }>): string {
  if (call.type === "code_interpreter") {
    const outputs = call.code_interpreter.outputs.map((o) => (o.type === "logs" ? `[logs] ${o.logs}` : `[image: ${o.image.file_id}]`));
    return bounded(["[code_interpreter]", call.code_interpreter.input, ...outputs].join("\n"));
  }
  const names = [...new Set((call.file_search.results ?? []).map((r) => r.file_name))];
  return bounded(`[file_search] ${names.length ? names.join(", ") : "(no results recorded)"}`);
}

const bounded = (text: string) => (text.length <= SUMMARY_MAX_CHARS ? text : `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…`);

/**
 * The items one message becomes with its run's tool history around it: the calls that led to it
 * first, its own item (summaries leading its content), and — after the run's last message — the
 * calls that followed it. Warnings point at the message.
 */
export function withToolHistory(item: ConversationItem | null, messageId: string, plan: RunPlan | null): { items: ConversationItem[]; warnings: MigrationWarning[] } {
  if (!plan) return { items: item ? [item] : [], warnings: [] };
  const before = plan.before.get(messageId) ?? placement();
  const last = plan.messageIds.at(-1) === messageId;
  const items: ConversationItem[] = [...before.items, ...lead(item, before.summaries)];
  if (last) items.push(...plan.after.items, ...lead(null, plan.after.summaries));
  const warnings = [...before.warnings, ...(last ? plan.after.warnings : [])].map((w) => ({ ...w, message_id: messageId }));
  return { items, warnings };
}

/** Summaries lead the run's next assistant item; with no such item they stand as one of their own. */
function lead(item: ConversationItem | null, summaries: readonly string[]): ConversationItem[] {
  const parts: AssistantPart[] = summaries.map((text) => ({ type: "output_text", text, annotations: [] }));
  if (item?.type === "message" && item.role === "assistant") return [{ ...item, content: [...parts, ...item.content] }];
  const own: ConversationItem[] = parts.length ? [{ type: "message", role: "assistant", content: parts }] : [];
  // A user item (not a run's) keeps its place; the summaries stand right before it.
  return item ? [...own, item] : own;
}
