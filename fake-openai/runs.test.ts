// Assistants runs (spec RunObject) as ferry reads them: seeded with their steps and messages over
// /__control, retrieved and listed under the Assistants gate.
import { beforeEach, describe, expect, it } from "vitest";
import { api, BETA, call, ctl } from "./http-client";

const newThread = async (spec: object = {}) => (await ctl("POST", "/threads", spec)).id as string;
const seedRun = (t: string, body: object) => ctl("POST", `/threads/${t}/runs`, body);
const getRun = (t: string, r: string) => api("GET", `/threads/${t}/runs/${r}`, undefined, BETA);
const listRuns = (t: string, q = "") => api("GET", `/threads/${t}/runs?${q}`, undefined, BETA);
const messages = async (t: string) => (await api("GET", `/threads/${t}/messages?order=asc`, undefined, BETA)).body.data as any[];
const fn = (name: string, output: string | null, id?: string) => ({ type: "function", ...(id ? { id } : {}), function: { name, arguments: "{}", output } });
const reply = (text: string) => ({ type: "message_creation", message: { content: text } });

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("seeding and reading runs", () => {
  it("creates a run with its messages in step order, linked both ways, with the full RunObject", async () => {
    const t = await newThread({ messages: [{ role: "user", content: "Weather?" }] });
    const seeded = await seedRun(t, {
      id: "run_weather",
      assistant_id: "asst_x",
      status: "completed",
      steps: [{ type: "tool_calls", tool_calls: [fn("get_weather", "18C")] }, reply("It is 18C."), reply("Anything else?")],
    });
    expect(seeded.id).toBe("run_weather");
    const msgs = await messages(t);
    expect(seeded.message_ids).toEqual([msgs[1].id, msgs[2].id]);
    expect(msgs.slice(1).map((m) => [m.role, m.run_id, m.assistant_id])).toEqual([
      ["assistant", "run_weather", "asst_x"],
      ["assistant", "run_weather", "asst_x"],
    ]);
    const run = (await getRun(t, "run_weather")).body;
    expect(Object.keys(run).sort()).toEqual(
      [
        "id", "object", "created_at", "thread_id", "assistant_id", "status", "required_action", "last_error", "expires_at", "started_at",
        "cancelled_at", "failed_at", "completed_at", "incomplete_details", "model", "instructions", "tools", "metadata", "usage",
        "temperature", "top_p", "max_prompt_tokens", "max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls",
        "response_format",
      ].sort(),
    );
    expect(run).toMatchObject({
      object: "thread.run",
      thread_id: t,
      assistant_id: "asst_x",
      status: "completed",
      required_action: null,
      last_error: null,
      expires_at: null,
      started_at: run.created_at,
      model: "gpt-4o",
      instructions: "",
      tools: [],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      truncation_strategy: { type: "auto", last_messages: null },
      tool_choice: "auto",
      parallel_tool_calls: true,
      response_format: "auto",
    });
    expect(run.completed_at).toBeGreaterThanOrEqual(run.created_at);
  });

  it("takes model, instructions, tools and sampling from a seeded assistant", async () => {
    const tools = [{ type: "function", function: { name: "get_weather" } }, { type: "code_interpreter" }];
    await ctl("POST", "/assistants", { id: "asst_seeded", model: "gpt-4.1", instructions: "Be brief.", tools, temperature: 0.3 });
    const t = await newThread();
    await seedRun(t, { id: "run_a", assistant_id: "asst_seeded", status: "completed" });
    expect((await getRun(t, "run_a")).body).toMatchObject({ model: "gpt-4.1", instructions: "Be brief.", tools, temperature: 0.3, top_p: 1 });
  });

  it.each([
    ["queued", { started_at: null, expires_at: "created+600", usage: null }],
    ["in_progress", { started_at: "created", expires_at: "created+600", usage: null }],
    ["cancelling", { started_at: "created", expires_at: "created+600", usage: null }],
    ["cancelled", { cancelled_at: "created", expires_at: null, usage: "zero" }],
    ["failed", { failed_at: "created", last_error: { code: "server_error", message: "Sorry, something went wrong." }, usage: "zero" }],
    ["incomplete", { incomplete_details: { reason: "max_completion_tokens" }, completed_at: null, usage: "zero" }],
    ["expired", { expires_at: "created", started_at: "created", usage: "zero" }],
  ])("a %s run has the timestamps and details its status implies", async (status, expected) => {
    const t = await newThread();
    const run = (await getRun(t, (await seedRun(t, { assistant_id: "asst_x", status })).id)).body;
    const resolve = (v: unknown) =>
      v === "created" ? run.created_at : v === "created+600" ? run.created_at + 600 : v === "zero" ? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } : v;
    expect(run.status).toBe(status);
    for (const [k, v] of Object.entries(expected)) expect(run[k], k).toEqual(resolve(v));
    expect(run.required_action).toBeNull();
  });

  it("a requires_action run lists the calls still waiting for output; an expired one lists none", async () => {
    const t = await newThread();
    const step = { type: "tool_calls", tool_calls: [fn("book", null, "call_book"), fn("price", "12", "call_price"), fn("seat", null, "call_seat")] };
    const waiting = await seedRun(t, { assistant_id: "asst_x", status: "requires_action", steps: [step] });
    expect((await getRun(t, waiting.id)).body.required_action).toEqual({
      type: "submit_tool_outputs",
      submit_tool_outputs: {
        tool_calls: [
          { id: "call_book", type: "function", function: { name: "book", arguments: "{}" } },
          { id: "call_seat", type: "function", function: { name: "seat", arguments: "{}" } },
        ],
      },
    });
    const expired = await seedRun(t, { assistant_id: "asst_x", status: "expired", steps: [{ ...step, tool_calls: [fn("book", null)] }] });
    expect((await getRun(t, expired.id)).body).toMatchObject({ status: "expired", required_action: null });
  });

  it("links assistant messages seeded later with the run's run_id as its next message_creation steps", async () => {
    const t = await newThread({ messages: [{ role: "user", content: "Hi" }] });
    const { id } = await seedRun(t, { assistant_id: "asst_x", status: "completed", steps: [{ type: "tool_calls", tool_calls: [fn("lookup", "ok")] }] });
    const { ids } = await ctl("POST", `/threads/${t}/messages`, {
      messages: [{ role: "assistant", content: "Found it.", run_id: id }, { role: "assistant", content: "No run.", run_id: "run_never_seeded" }],
    });
    const msgs = await messages(t);
    expect(msgs[1]).toMatchObject({ id: ids[0], run_id: id, assistant_id: "asst_x" });
    expect(msgs[2]).toMatchObject({ run_id: "run_never_seeded", assistant_id: null });
    const steps = (await api("GET", `/threads/${t}/runs/${id}/steps?order=asc`, undefined, BETA)).body.data;
    expect(steps.map((s: any) => s.type)).toEqual(["tool_calls", "message_creation"]);
    expect(steps[1].step_details).toEqual({ type: "message_creation", message_creation: { message_id: ids[0] } });
    // A message's run that was never seeded answers 404, as a run that cannot be read would.
    expect((await api("GET", `/threads/${t}/runs/run_never_seeded/steps`, undefined, BETA)).status).toBe(404);
  });

  it("a step may name an existing message of the thread, which then belongs to the run", async () => {
    const t = await newThread({ messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }] });
    const mid = (await messages(t))[1].id;
    const { id, message_ids } = await seedRun(t, { assistant_id: "asst_x", status: "completed", steps: [{ type: "message_creation", message_id: mid }] });
    expect(message_ids).toEqual([mid]);
    expect((await messages(t))[1]).toMatchObject({ run_id: id, assistant_id: "asst_x" });
  });

  it.each([
    ["a message of another thread", (other: string) => ({ steps: [{ type: "message_creation", message_id: other }] }), "steps[0].message_id"],
    ["a step with both message_id and message", () => ({ steps: [{ type: "message_creation", message_id: "m", message: { content: "x" } }] }), "steps[0]"],
    ["requires_action with no call waiting", () => ({ status: "requires_action", steps: [{ type: "tool_calls", tool_calls: [fn("f", "done")] }] }), "status"],
    ["an unknown step type", () => ({ steps: [{ type: "thinking" }] }), "steps[0].type"],
    ["a function call without output", () => ({ steps: [{ type: "tool_calls", tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }] }] }), "steps[0].tool_calls[0].function.output"],
    ["a score above 1", () => ({ steps: [{ type: "tool_calls", tool_calls: [{ type: "file_search", file_search: { results: [{ file_id: "f", file_name: "f", score: 1.5 }] } }] }] }), "steps[0].tool_calls[0].file_search.results[0].score"],
    ["an unknown run status", () => ({ status: "paused" }), "status"],
    ["a missing assistant_id", () => ({ assistant_id: undefined }), "assistant_id"],
  ])("rejects %s and writes nothing", async (_name, body, param) => {
    const other = await newThread({ generate: 1 });
    const otherMsg = (await messages(other))[0].id;
    const t = await newThread({ generate: 1 });
    const res = await call("POST", `/__control/threads/${t}/runs`, { assistant_id: "asst_x", status: "completed", ...body(otherMsg) });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe(param);
    expect((await listRuns(t)).body.data).toEqual([]);
    expect(await messages(t)).toHaveLength(1);
  });

  it("rejects a message another run created, a duplicate run id, and an unknown thread", async () => {
    const t = await newThread();
    const { message_ids } = await seedRun(t, { id: "run_one", assistant_id: "asst_x", status: "completed", steps: [reply("x")] });
    const taken = await call("POST", `/__control/threads/${t}/runs`, { assistant_id: "asst_x", status: "completed", steps: [{ type: "message_creation", message_id: message_ids[0] }] });
    expect(taken.body.error.message).toBe(`Invalid 'steps[0].message_id': message '${message_ids[0]}' belongs to run 'run_one'.`);
    expect((await call("POST", `/__control/threads/${t}/runs`, { id: "run_one", assistant_id: "asst_x", status: "completed" })).status).toBe(409);
    expect((await call("POST", "/__control/threads/thread_nope/runs", { assistant_id: "asst_x", status: "completed" })).status).toBe(404);
  });
});

describe("run routes", () => {
  it("lists a thread's runs with limit/order/after/before and exact has_more", async () => {
    const t = await newThread();
    const ids: string[] = [];
    for (let i = 0; i < 21; i++) ids.push((await seedRun(t, { assistant_id: "asst_x", status: "completed" })).id);
    await seedRun(await newThread(), { assistant_id: "asst_x", status: "completed" }); // another thread's run is not listed
    const p1 = (await listRuns(t)).body;
    expect(p1).toMatchObject({ object: "list", has_more: true, first_id: ids[20], last_id: ids[1] });
    expect(p1.data).toHaveLength(20);
    const p2 = (await listRuns(t, `after=${p1.last_id}`)).body;
    expect(p2).toMatchObject({ data: [{ id: ids[0] }], has_more: false });
    expect((await listRuns(t, "order=asc&limit=21")).body).toMatchObject({ has_more: false, first_id: ids[0], last_id: ids[20] });
    expect((await listRuns(t, `order=asc&limit=2&before=${ids[5]}`)).body.data.map((r: any) => r.id)).toEqual([ids[3], ids[4]]);
    const bad = await listRuns(t, "after=run_nope");
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: "after", message: "Invalid 'after': no run found with id 'run_nope'." });
    for (const q of ["limit=0", "limit=101"]) expect((await listRuns(t, q)).body.error.param).toBe("limit");
  });

  it("404s an unknown run, a run of another thread and an unknown thread, as the API words them", async () => {
    const t = await newThread();
    const other = await newThread();
    const { id } = await seedRun(other, { assistant_id: "asst_x", status: "completed" });
    for (const path of [`/threads/${t}/runs/run_nope`, `/threads/${t}/runs/${id}`, `/threads/${t}/runs/${id}/steps`]) {
      const res = await api("GET", path, undefined, BETA);
      expect(res.status, path).toBe(404);
      expect(res.body.error.message).toMatch(/^No run found with id '/);
    }
    expect((await listRuns("thread_nope")).body.error.message).toBe("No thread found with id 'thread_nope'.");
  });

  it("sits behind the Assistants gate, the call log and fault rules; a deleted thread takes its runs", async () => {
    const t = await newThread();
    const { id } = await seedRun(t, { assistant_id: "asst_x", status: "completed" });
    expect((await api("GET", `/threads/${t}/runs/${id}`)).body.error.code).toBe("invalid_beta");
    await ctl("POST", "/faults", { rules: [{ path: "/runs/[^/]+/steps$", status: 503 }] });
    expect((await api("GET", `/threads/${t}/runs/${id}/steps`, undefined, BETA)).status).toBe(503);
    expect((await api("GET", `/threads/${t}/runs/${id}/steps`, undefined, BETA)).status).toBe(200);
    expect((await ctl("GET", "/calls")).byRoute).toEqual({
      "GET /v1/threads/{id}/runs/{run_id}": 1,
      "GET /v1/threads/{id}/runs/{run_id}/steps": 2,
    });
    await ctl("POST", "/config", { assistantsGone: 410 });
    expect((await listRuns(t)).status).toBe(410);
    await ctl("POST", "/config", { assistantsGone: null });
    await ctl("DELETE", `/threads/${t}`);
    await ctl("POST", "/threads", { id: t });
    expect((await getRun(t, id)).status).toBe(404);
  });
});
