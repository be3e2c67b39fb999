// POST /v1/responses as a migrated conversation meets it (contract §4.6): the history check the real
// API makes, strict bodies, tools that must name live stores and files, and the answer appended.
import OpenAI from "openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { api, ctl } from "./http-client";
import { CANNED_ANSWER as CANNED } from "./responses";

const user = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const fnCall = (call_id: string) => ({ type: "function_call" as const, call_id, name: "get_weather", arguments: "{}" });
const fnOutput = (call_id: string) => ({ type: "function_call_output" as const, call_id, output: "18C" });
const newConversation = async (items: unknown[] = []) => {
  const res = await api("POST", "/conversations", { items });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
};
const stored = async (conv: string) => (await ctl("GET", `/conversations/${conv}`)).items as any[];
const respond = (body: object) => api("POST", "/responses", { model: "gpt-4o", ...body });

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("a response on a conversation", () => {
  it("answers a completed Response and appends the input and the answer to the conversation", async () => {
    const conv = await newConversation([user("Weather?"), fnCall("call_1"), fnOutput("call_1")]);
    const res = await respond({ conversation: conv, input: "And tomorrow?", instructions: "Be brief.", temperature: 0.2 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4o",
      error: null,
      incomplete_details: null,
      instructions: "Be brief.",
      temperature: 0.2,
      top_p: 1,
      tools: [],
      tool_choice: "auto",
      parallel_tool_calls: true,
      metadata: {},
      text: { format: { type: "text" }, verbosity: "medium" },
      conversation: { id: conv },
    });
    expect(r.id).toMatch(/^resp_/);
    expect(r.output).toEqual([
      { id: r.output[0].id, type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: CANNED, annotations: [], logprobs: [] }] },
    ]);
    const items = await stored(conv);
    expect(items.map((i) => i.type)).toEqual(["message", "function_call", "function_call_output", "message", "message"]);
    expect(items[3]).toMatchObject({ role: "user", content: [{ type: "input_text", text: "And tomorrow?" }] });
    expect(items[4]).toEqual(r.output[0]);
  });

  it("pairs a call stored in the conversation with its output given as input", async () => {
    const conv = await newConversation([user("Weather?"), fnCall("call_1")]);
    const res = await respond({ conversation: { id: conv }, input: [fnOutput("call_1")] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await stored(conv)).map((i) => i.type)).toEqual(["message", "function_call", "function_call_output", "message"]);
  });

  it.each([
    ["an output whose call never came", [user("x"), fnOutput("call_lost")], [], "No tool call found for function call output with call_id call_lost."],
    ["an output before its call", [user("x"), fnOutput("call_1")], [fnCall("call_1")], "No tool call found for function call output with call_id call_1."],
    ["a call whose output never came", [user("x"), fnCall("call_open")], [user("next")], "No tool output found for function call call_open."],
    ["a call in the input without output", [user("x")], [fnCall("call_new")], "No tool output found for function call call_new."],
  ])("rejects %s with the real API's words, appending nothing", async (_name, history, input, message) => {
    const conv = await newConversation(history);
    const before = await stored(conv);
    const res = await respond({ conversation: conv, input });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ message, type: "invalid_request_error", param: "input", code: null });
    expect(await stored(conv)).toEqual(before);
  });

  it("checks a history given only as input too", async () => {
    const res = await respond({ input: [user("x"), fnCall("call_a")] });
    expect(res.body.error.message).toBe("No tool output found for function call call_a.");
    const ok = await respond({ input: [user("x"), fnCall("call_a"), fnOutput("call_a")] });
    expect(ok.status).toBe(200);
    expect(ok.body.conversation).toBeNull();
  });

  it("404s an unknown conversation", async () => {
    const res = await respond({ conversation: "conv_missing", input: "hi" });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe("Conversation with id 'conv_missing' not found.");
  });

  it("answers through the openai SDK, output_text included", async () => {
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${inject("fakeOpenAIUrl")}/v1`, maxRetries: 0 });
    const conv = await newConversation([user("Hi")]);
    const r = await client.responses.create({ model: "gpt-4o", conversation: conv, input: "Still there?" });
    expect(r.output_text).toBe(CANNED);
    expect(r.conversation).toEqual({ id: conv });
    await expect(client.responses.create({ model: "gpt-4o", conversation: conv, input: [fnOutput("call_x")] })).rejects.toMatchObject({ status: 400 });
  });
});

describe("the request body", () => {
  it("accepts what a prompt spec spreads into responses.create", async () => {
    await ctl("POST", "/files", { files: [{ id: "file-data", filename: "data.csv" }] });
    await ctl("POST", "/vector_stores", { id: "vs_live", file_ids: [] });
    const spec = {
      model: "gpt-4.1",
      instructions: null,
      tools: [
        { type: "function", name: "get_weather", description: "Weather", parameters: { type: "object", properties: {} }, strict: false },
        { type: "file_search", vector_store_ids: ["vs_live"], max_num_results: 5, ranking_options: { ranker: "auto", score_threshold: 0.4 } },
        { type: "code_interpreter", container: { type: "auto", file_ids: ["file-data"] } },
      ],
      temperature: null,
      top_p: null,
      text: { format: { type: "json_schema", name: "answer", schema: { type: "object" }, strict: true } },
    };
    const res = await api("POST", "/responses", { ...spec, input: "hi" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ model: "gpt-4.1", instructions: null, tools: spec.tools, temperature: 1, top_p: 1, text: { format: spec.text.format } });
  });

  it.each([
    ["an unknown key", { reasoning: { effort: "low" } }, "reasoning", "Unknown parameter: 'reasoning'."],
    ["no model", { model: undefined }, "model", "Missing required parameter: 'model'."],
    ["a temperature above 2", { temperature: 2.5 }, "temperature", undefined],
    ["an assistant item with input_text", { input: [{ role: "assistant", content: [{ type: "input_text", text: "x" }] }] }, "input[0].content[0].type", "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'."],
    ["a user item with output_text", { input: [{ role: "user", content: [{ type: "output_text", text: "x", annotations: [] }] }] }, "input[0].content[0].type", undefined],
    ["an input image naming no file", { input: [{ role: "user", content: [{ type: "input_image", file_id: "file-gone", detail: "auto" }] }] }, "input[0].content[0].file_id", "Invalid 'input[0].content[0].file_id': no file found with id 'file-gone'."],
    ["a file_search store that does not exist", { tools: [{ type: "file_search", vector_store_ids: ["vs_gone"] }] }, "tools[0].vector_store_ids[0]", "Invalid 'tools[0].vector_store_ids[0]': no vector store found with id 'vs_gone'."],
    ["a container file that does not exist", { tools: [{ type: "code_interpreter", container: { type: "auto", file_ids: ["file-gone"] } }] }, "tools[0].container.file_ids[0]", "Invalid 'tools[0].container.file_ids[0]': no file found with id 'file-gone'."],
    ["a container id", { tools: [{ type: "code_interpreter", container: "cntr_123" }] }, "tools[0].container", "Invalid 'tools[0].container': no container found with id 'cntr_123'."],
    ["a container of another type", { tools: [{ type: "code_interpreter", container: { type: "fixed" } }] }, "tools[0].container.type", undefined],
    ["51 container files", { tools: [{ type: "code_interpreter", container: { type: "auto", file_ids: Array.from({ length: 51 }, (_, i) => `f${i}`) } }] }, "tools[0].container.file_ids", undefined],
    ["a function tool without strict", { tools: [{ type: "function", name: "f", parameters: null }] }, "tools[0].strict", "Missing required parameter: 'tools[0].strict'."],
    ["a tool the fake does not model", { tools: [{ type: "web_search" }] }, "tools[0].type", "Invalid value: 'web_search'. Supported values are: 'function', 'file_search', and 'code_interpreter'."],
    ["a json_schema format without schema", { text: { format: { type: "json_schema", name: "x" } } }, "text.format.schema", undefined],
    ["an input that is a number", { input: 3 }, "input", undefined],
  ])("rejects %s, naming it", async (_name, body, param, message) => {
    const conv = await newConversation([user("x")]);
    const res = await respond({ conversation: conv, ...body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, ...(message ? { message } : {}) });
    expect(await stored(conv)).toHaveLength(1);
  });
});

describe("pipeline", () => {
  it("is logged and faulted like other writes, and is no Assistants route", async () => {
    const conv = await newConversation([user("x")]);
    await ctl("POST", "/config", { assistantsGone: 404 });
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: "^/v1/responses$", status: 500, commit: true }] });
    expect((await respond({ conversation: conv, input: "a" })).status).toBe(500);
    expect(await stored(conv)).toHaveLength(3); // the write landed
    expect((await respond({ conversation: conv, input: "b" })).status).toBe(200);
    expect((await ctl("GET", "/calls")).byRoute["POST /v1/responses"]).toBe(2);
  });
});
