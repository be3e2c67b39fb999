// Contract §3.1: run steps become tool items around the run's messages — one row per rule, then
// properties over generated runs (every call paired, order kept, nothing dropped without a warning).
import { describe, expect, it } from "vitest";
import { NO_OUTPUT, planRun, type SourceStep, SUMMARY_MAX_CHARS, withToolHistory } from "../../src/conversion/run-steps";
import type { ConversationItem } from "../../src/conversion/types";
import { prng } from "../../fake-openai/faults";

const created = (message_id: string, status: SourceStep["status"] = "completed"): SourceStep =>
  ({ id: `step_${message_id}`, status, step_details: { type: "message_creation", message_creation: { message_id } } }) as SourceStep;
const tools = (calls: unknown[], status: SourceStep["status"] = "completed"): SourceStep =>
  ({ id: `step_${Math.random()}`, status, step_details: { type: "tool_calls", tool_calls: calls } }) as SourceStep;
const fn = (id: string, name: string, args: string, output: string | null) => ({ id, type: "function", function: { name, arguments: args, output } });
const code = (id: string, input: string, outputs: unknown[]) => ({ id, type: "code_interpreter", code_interpreter: { input, outputs } });
const search = (id: string, names: string[]) => ({ id, type: "file_search", file_search: { results: names.map((file_name, i) => ({ file_id: `file-${i}`, file_name, score: 0.5 })) } });
const said = (text: string): ConversationItem => ({ type: "message", role: "assistant", content: [{ type: "output_text", text, annotations: [] }] });

describe("planRun + withToolHistory, rule by rule", () => {
  it("a function call and its output stand before the message the run created next", () => {
    const plan = planRun([tools([fn("call_1", "get_weather", '{"city":"Paris"}', '{"temp":18}')]), created("msg_a")]);
    const { items, warnings } = withToolHistory(said("18 degrees"), "msg_a", plan);
    expect(items).toEqual([
      { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
      { type: "function_call_output", call_id: "call_1", output: '{"temp":18}' },
      said("18 degrees"),
    ]);
    expect(warnings).toEqual([]);
  });

  it("parallel calls of one step: the calls as the model made them, then the outputs", () => {
    const plan = planRun([tools([fn("c1", "a", "{}", "1"), fn("c2", "b", "{}", "2")]), created("msg_a")]);
    expect(withToolHistory(said("done"), "msg_a", plan).items.map((i) => `${i.type}:${"call_id" in i ? i.call_id : ""}`)).toEqual([
      "function_call:c1",
      "function_call:c2",
      "function_call_output:c1",
      "function_call_output:c2",
      "message:",
    ]);
  });

  it("a call that never got an output gets the placeholder and tool_output_missing", () => {
    const plan = planRun([created("msg_a"), tools([fn("call_x", "book_table", "{}", null)], "expired")]);
    const { items, warnings } = withToolHistory(said("let me check"), "msg_a", plan);
    expect(items.slice(1)).toEqual([
      { type: "function_call", call_id: "call_x", name: "book_table", arguments: "{}" },
      { type: "function_call_output", call_id: "call_x", output: NO_OUTPUT },
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: "tool_output_missing", message_id: "msg_a" })]);
  });

  it("code interpreter leads the run's next assistant item with its input, logs and images", () => {
    const plan = planRun([tools([code("ci", "print(1+1)", [{ type: "logs", logs: "2" }, { type: "image", image: { file_id: "file-plot" } }])]), created("msg_a")]);
    const { items, warnings } = withToolHistory(said("it is 2"), "msg_a", plan);
    expect(items).toEqual([
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "[code_interpreter]\nprint(1+1)\n[logs] 2\n[image: file-plot]", annotations: [] }, { type: "output_text", text: "it is 2", annotations: [] }] },
    ]);
    expect(warnings.map((w) => w.code)).toEqual(["tool_call_summarized"]);
  });

  it("file search leads with the names of the files it found, each once; none found says so", () => {
    const plan = planRun([tools([search("fs", ["a.pdf", "b.pdf", "a.pdf"])]), created("msg_a"), tools([search("fs2", [])]), created("msg_b")]);
    expect(withToolHistory(said("x"), "msg_a", plan).items[0]).toMatchObject({ content: [{ text: "[file_search] a.pdf, b.pdf" }, { text: "x" }] });
    expect(withToolHistory(said("y"), "msg_b", plan).items[0]).toMatchObject({ content: [{ text: "[file_search] (no results recorded)" }, { text: "y" }] });
  });

  it("a summary is bounded", () => {
    const plan = planRun([tools([code("ci", "x".repeat(10 * SUMMARY_MAX_CHARS), [])]), created("msg_a")]);
    const part = (withToolHistory(said("ok"), "msg_a", plan).items[0] as { content: { text: string }[] }).content[0]!;
    expect(part.text.length).toBe(SUMMARY_MAX_CHARS);
    expect(part.text.endsWith("…")).toBe(true);
  });

  it("calls after the run's last message follow it; summaries with no message after them stand alone", () => {
    const plan = planRun([created("msg_a"), tools([fn("late", "f", "{}", "r"), code("ci", "1", [])])]);
    const { items } = withToolHistory(said("first"), "msg_a", plan);
    expect(items.map((i) => i.type)).toEqual(["message", "function_call", "function_call_output", "message"]);
    expect(items[3]).toMatchObject({ role: "assistant", content: [{ text: "[code_interpreter]\n1" }] });
  });

  it("a message the conversion skipped still gets the run's summaries as an item of their own", () => {
    const plan = planRun([tools([code("ci", "1", [])]), created("msg_a")]);
    expect(withToolHistory(null, "msg_a", plan).items).toEqual([{ type: "message", role: "assistant", content: [{ type: "output_text", text: "[code_interpreter]\n1", annotations: [] }] }]);
  });

  it("a step still in progress marks the run as going on", () => {
    expect(planRun([created("msg_a"), tools([fn("c", "f", "{}", null)], "in_progress")]).inProgress).toBe(true);
    expect(planRun([created("msg_a"), tools([fn("c", "f", "{}", null)], "cancelled")]).inProgress).toBe(false);
  });

  it("a message of no run, or of a run without tools, is just its item", () => {
    expect(withToolHistory(said("hi"), "msg_a", null)).toEqual({ items: [said("hi")], warnings: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated runs.
// ---------------------------------------------------------------------------------------------

function generatedRun(seed: number) {
  const rand = prng(seed);
  const steps: SourceStep[] = [];
  const messageIds: string[] = [];
  let functions = 0;
  let missing = 0;
  let summaries = 0;
  const n = 1 + Math.floor(rand() * 12);
  for (let s = 0; s < n; s++) {
    if (rand() < 0.35) {
      const id = `msg_${seed}_${s}`;
      messageIds.push(id);
      steps.push(created(id));
      continue;
    }
    const calls = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, c) => {
      const id = `call_${seed}_${s}_${c}`;
      const r = rand();
      if (r < 0.6) {
        functions++;
        const output = rand() < 0.2 ? null : `out ${id}`;
        if (output === null) missing++;
        return fn(id, `f${c}`, `{"n":${c}}`, output);
      }
      summaries++;
      return r < 0.8 ? code(id, `print(${c})`, [{ type: "logs", logs: String(c) }]) : search(id, [`doc${c}.pdf`]);
    });
    steps.push(tools(calls, rand() < 0.1 ? "expired" : "completed"));
  }
  return { steps, messageIds, functions, missing, summaries };
}

describe("properties over 500 generated runs", () => {
  const runs = Array.from({ length: 500 }, (_, seed) => ({ seed, ...generatedRun(seed) }));

  it("every output follows its call, every call has exactly one output, order kept, nothing dropped without a warning", () => {
    let checked = 0;
    for (const run of runs) {
      if (!run.messageIds.length) continue; // a run with no message has no place (run_without_message)
      const plan = planRun(run.steps);
      const all = run.messageIds.map((id) => withToolHistory(said(id), id, plan));
      const items = all.flatMap((r) => r.items);
      const warnings = all.flatMap((r) => r.warnings);
      const where = `seed ${run.seed}`;

      const calls = items.filter((i) => i.type === "function_call");
      const outputs = items.filter((i) => i.type === "function_call_output");
      expect(calls.length, where).toBe(run.functions);
      expect(outputs.length, where).toBe(run.functions);
      for (const call of calls) {
        const at = items.indexOf(call);
        const answers = items.filter((i) => i.type === "function_call_output" && i.call_id === call.call_id);
        expect(answers.length, where).toBe(1);
        expect(items.indexOf(answers[0]!), where).toBeGreaterThan(at);
      }
      // The run's calls keep the order of its steps.
      const stepOrder = run.steps.flatMap((s) => (s.step_details.type === "tool_calls" ? s.step_details.tool_calls.filter((c) => c.type === "function").map((c) => c.id) : []));
      expect(calls.map((c) => c.call_id), where).toEqual(stepOrder);
      // Each message keeps its place among the others.
      const messages = items.filter((i) => i.type === "message" && i.content.some((p) => p.type === "output_text" && run.messageIds.includes(p.text)));
      expect(messages.length, where).toBe(run.messageIds.length);
      expect(warnings.filter((w) => w.code === "tool_output_missing").length, where).toBe(run.missing);
      expect(warnings.filter((w) => w.code === "tool_call_summarized").length, where).toBe(run.summaries);
      expect(outputs.filter((o) => o.output === NO_OUTPUT).length, where).toBe(run.missing);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });
});
