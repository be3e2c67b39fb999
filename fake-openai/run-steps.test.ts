// Run steps (spec RunStepObject) as ferry pages them (contract §3.1): every step type and status,
// file search content only on include, and the list's pagination.
import OpenAI from "openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { api, BETA, ctl } from "./http-client";

const CONTENT = "step_details.tool_calls[*].file_search.results[*].content";
const newThread = async (spec: object = {}) => (await ctl("POST", "/threads", spec)).id as string;
const seedRun = (t: string, body: object) => ctl("POST", `/threads/${t}/runs`, body);
const steps = (t: string, r: string, q = "order=asc") => api("GET", `/threads/${t}/runs/${r}/steps?${q}`, undefined, BETA);

const functionCall = { type: "function", id: "call_fn", function: { name: "get_weather", arguments: '{"city":"Lisbon"}', output: '{"temp":22}' } };
const codeCall = {
  type: "code_interpreter",
  id: "call_code",
  code_interpreter: { input: "print(1 + 1)", outputs: [{ type: "logs", logs: "2\n" }, { type: "image", image: { file_id: "file-plot" } }] },
};
const searchCall = {
  type: "file_search",
  id: "call_search",
  file_search: {
    ranking_options: { ranker: "default_2024_08_21", score_threshold: 0.5 },
    results: [{ file_id: "file-hb", file_name: "handbook.pdf", score: 0.91, content: [{ type: "text", text: "Refunds within 30 days." }] }],
  },
};

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("step shapes", () => {
  it("answers every step type as the spec's RunStepObject", async () => {
    const t = await newThread({ messages: [{ role: "user", content: "Help" }] });
    const run = await seedRun(t, {
      id: "run_all",
      assistant_id: "asst_x",
      status: "completed",
      steps: [{ type: "tool_calls", tool_calls: [functionCall, codeCall] }, { type: "tool_calls", tool_calls: [searchCall] }, { type: "message_creation", message: { content: "Done." } }],
    });
    const [tools, search, message] = (await steps(t, run.id, `order=asc&include[]=${CONTENT}`)).body.data;
    expect(tools).toEqual({
      id: tools.id,
      object: "thread.run.step",
      created_at: tools.created_at,
      assistant_id: "asst_x",
      thread_id: t,
      run_id: "run_all",
      type: "tool_calls",
      status: "completed",
      step_details: { type: "tool_calls", tool_calls: [functionCall, codeCall] },
      last_error: null,
      expired_at: null,
      cancelled_at: null,
      failed_at: null,
      completed_at: tools.created_at,
      metadata: {},
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
    expect(tools.id).toMatch(/^step_/);
    expect(search.step_details).toEqual({ type: "tool_calls", tool_calls: [searchCall] });
    expect(message).toMatchObject({ type: "message_creation", step_details: { type: "message_creation", message_creation: { message_id: run.message_ids[0] } } });
    expect(message.created_at).toBeGreaterThanOrEqual(tools.created_at);
  });

  it("gives tool calls ids when the seed has none", async () => {
    const t = await newThread();
    const { id } = await seedRun(t, { assistant_id: "asst_x", status: "completed", steps: [{ type: "tool_calls", tool_calls: [{ ...functionCall, id: undefined }] }] });
    expect((await steps(t, id)).body.data[0].step_details.tool_calls[0].id).toMatch(/^call_[0-9a-f]{24}$/);
  });

  it("leaves file search result content out unless include asks, however it is written", async () => {
    const t = await newThread();
    const { id } = await seedRun(t, { assistant_id: "asst_x", status: "completed", steps: [{ type: "tool_calls", tool_calls: [searchCall] }] });
    const [without] = (await steps(t, id)).body.data;
    expect(without.step_details.tool_calls[0].file_search).toEqual({
      ranking_options: searchCall.file_search.ranking_options,
      results: [{ file_id: "file-hb", file_name: "handbook.pdf", score: 0.91 }],
    });
    for (const q of [`include[]=${CONTENT}`, `include=${encodeURIComponent(CONTENT)}`]) {
      expect((await steps(t, id, q)).body.data[0].step_details.tool_calls[0].file_search.results[0].content, q).toEqual(searchCall.file_search.results[0]!.content);
    }
    const bad = await steps(t, id, "include[]=step_details");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: "include", message: `Invalid value: 'step_details'. Supported values are: '${CONTENT}'.` });
  });

  it.each([
    ["completed", "completed", { completed_at: "at" }],
    ["in_progress", "requires_action", { usage: null }],
    ["expired", "expired", { expired_at: "at" }],
    ["cancelled", "cancelled", { cancelled_at: "at" }],
    ["failed", "failed", { failed_at: "at", last_error: { code: "server_error", message: "Sorry, something went wrong." } }],
  ])("a %s last step (run %s) has its timestamp, the earlier ones are completed", async (stepStatus, runStatus, expected) => {
    const t = await newThread();
    const pending = { type: "function", function: { name: "book", arguments: "{}", output: null } };
    const { id } = await seedRun(t, {
      assistant_id: "asst_x",
      status: runStatus,
      steps: [{ type: "tool_calls", tool_calls: [functionCall] }, { type: "tool_calls", tool_calls: [pending] }],
    });
    const [first, last] = (await steps(t, id)).body.data;
    expect(first.status).toBe("completed");
    expect(last.status).toBe(stepStatus);
    for (const [k, v] of Object.entries(expected)) expect(last[k], k).toEqual(v === "at" ? last.created_at : v);
    for (const k of ["completed_at", "expired_at", "cancelled_at", "failed_at"].filter((k) => !(k in expected))) expect(last[k], k).toBeNull();
  });

  it("takes a step status, last_error and usage the seed states", async () => {
    const t = await newThread();
    const { id } = await seedRun(t, {
      assistant_id: "asst_x",
      status: "completed",
      steps: [{ type: "tool_calls", status: "failed", last_error: { code: "rate_limit_exceeded", message: "Slow down." }, usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 }, tool_calls: [functionCall] }],
    });
    expect((await steps(t, id)).body.data[0]).toMatchObject({
      status: "failed",
      last_error: { code: "rate_limit_exceeded", message: "Slow down." },
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  });
});

describe("steps list", () => {
  async function runWithSteps(n: number) {
    const t = await newThread();
    const many = Array.from({ length: n }, (_, i) => ({ type: "tool_calls", tool_calls: [{ ...functionCall, id: `call_${i}` }] }));
    return { t, id: (await seedRun(t, { assistant_id: "asst_x", status: "completed", steps: many })).id as string };
  }
  const callIds = (body: any) => body.data.map((s: any) => s.step_details.tool_calls[0].id);

  it("pages 100 and 101 steps with exact has_more", async () => {
    const full = await runWithSteps(100);
    expect((await steps(full.t, full.id, "order=asc&limit=100")).body).toMatchObject({ has_more: false });
    const over = await runWithSteps(101);
    const p1 = (await steps(over.t, over.id, "order=asc&limit=100")).body;
    expect(p1.has_more).toBe(true);
    const p2 = (await steps(over.t, over.id, `order=asc&limit=100&after=${p1.last_id}`)).body;
    expect(callIds(p2)).toEqual(["call_100"]);
    expect(p2.has_more).toBe(false);
  });

  it("defaults to desc/20, supports before, rejects bad limits and unknown cursors", async () => {
    const { t, id } = await runWithSteps(25);
    const first = (await steps(t, id, "")).body;
    expect(first.data).toHaveLength(20);
    expect(callIds(first)[0]).toBe("call_24");
    const asc = (await steps(t, id, "order=asc&limit=100")).body.data;
    expect(callIds((await steps(t, id, `order=asc&limit=3&before=${asc[10].id}`)).body)).toEqual(["call_7", "call_8", "call_9"]);
    for (const q of ["limit=0", "limit=101", "limit=x"]) expect((await steps(t, id, q)).body.error.param).toBe("limit");
    for (const cursor of ["after", "before"]) {
      const res = await steps(t, id, `${cursor}=step_nope`);
      expect(res.body.error).toMatchObject({ param: cursor, message: `Invalid '${cursor}': no run step found with id 'step_nope'.` });
    }
  });

  it("auto-paginates and sends include[] through the openai SDK", async () => {
    const { t, id } = await runWithSteps(45);
    await seedRun(t, { id: "run_search", assistant_id: "asst_x", status: "completed", steps: [{ type: "tool_calls", tool_calls: [searchCall] }] });
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${inject("fakeOpenAIUrl")}/v1`, maxRetries: 0 });
    const seen: string[] = [];
    for await (const s of client.beta.threads.runs.steps.list(id, { thread_id: t, order: "asc", limit: 20 })) seen.push(s.id);
    expect(seen).toHaveLength(45);
    const page = await client.beta.threads.runs.steps.list("run_search", { thread_id: t, include: [CONTENT] });
    const details = page.data[0]!.step_details as OpenAI.Beta.Threads.Runs.ToolCallsStepDetails;
    expect((details.tool_calls[0] as OpenAI.Beta.Threads.Runs.FileSearchToolCall).file_search.results![0]!.content).toEqual(searchCall.file_search.results[0]!.content);
  });
});
