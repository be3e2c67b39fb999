// Function calls and their outputs as conversation items (spec FunctionToolCall /
// FunctionCallOutputItemParam): what ferry writes for a run's tool history (contract §3.1).
import { beforeEach, describe, expect, it } from "vitest";
import { api, ctl } from "./http-client";

const call = (call_id: string, extra: object = {}) => ({ type: "function_call", call_id, name: "get_weather", arguments: '{"city":"Paris"}', ...extra });
const output = (call_id: string, out: unknown = '{"temp":18}') => ({ type: "function_call_output", call_id, output: out });
const user = { role: "user", content: "Weather in Paris?" };
const newConversation = async () => (await api("POST", "/conversations", {})).body.id as string;
const stored = async (conv: string) => (await ctl("GET", `/conversations/${conv}`)).items as any[];
const add = (conv: string, items: unknown[]) => api("POST", `/conversations/${conv}/items`, { items });

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("function call items", () => {
  it("stores calls and outputs in order and lists them with ids and status completed", async () => {
    const created = await api("POST", "/conversations", { items: [user, call("call_1"), call("call_2", { namespace: "weather" })] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const conv = created.body.id;
    const res = await add(conv, [output("call_1"), output("call_2", [{ type: "input_text", text: "22 degrees" }])]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [o1, o2] = res.body.data;
    expect(o1).toEqual({ id: o1.id, type: "function_call_output", call_id: "call_1", output: '{"temp":18}', status: "completed" });
    expect(o2.output).toEqual([{ type: "input_text", text: "22 degrees" }]);
    expect(o1.id).toMatch(/^fc_[0-9a-f]{48}$/);

    const list = (await api("GET", `/conversations/${conv}/items?order=asc`)).body.data;
    expect(list.map((i: any) => i.type)).toEqual(["message", "function_call", "function_call", "function_call_output", "function_call_output"]);
    expect(list[1]).toEqual({ id: list[1].id, type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}', status: "completed" });
    expect(list[2].namespace).toBe("weather");
    expect(list.every((i: any) => i.status === "completed")).toBe(true);
    expect(new Set(list.map((i: any) => i.id)).size).toBe(5);
    expect((await stored(conv)).map((i) => i.id)).toEqual(list.map((i: any) => i.id));
  });

  it("accepts the id and status an earlier read returned; the stored copy gets a fresh id", async () => {
    const conv = await newConversation();
    const first = (await add(conv, [call("call_1")])).body.data[0];
    const again = await add(conv, [first, { ...output("call_1"), id: null, status: null }]);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.data[0].id).not.toBe(first.id);
    const unknown = await add(conv, [{ ...call("call_2"), id: "fc_nope" }]);
    expect(unknown.body.error).toMatchObject({ param: "items[0].id", message: "Item with id 'fc_nope' not found." });
  });

  it.each([
    ["a call without call_id", { type: "function_call", name: "f", arguments: "{}" }, "items[3].call_id", "Missing required parameter: 'items[3].call_id'."],
    ["a call without name", { type: "function_call", call_id: "c", arguments: "{}" }, "items[3].name", "Missing required parameter: 'items[3].name'."],
    ["a call without arguments", { type: "function_call", call_id: "c", name: "f" }, "items[3].arguments", "Missing required parameter: 'items[3].arguments'."],
    ["arguments that are not a string", call("c", { arguments: { city: "Paris" } }), "items[3].arguments", "Invalid type for 'items[3].arguments': expected a string, but got an object instead."],
    ["a role on a call", call("c", { role: "assistant" }), "items[3].role", "Unknown parameter: 'items[3].role'."],
    ["a bad call status", call("c", { status: "done" }), "items[3].status", "Invalid value: 'done'. Supported values are: 'in_progress', 'completed', and 'incomplete'."],
    ["an output without call_id", { type: "function_call_output", output: "x" }, "items[3].call_id", "Missing required parameter: 'items[3].call_id'."],
    ["an output without output", { type: "function_call_output", call_id: "c" }, "items[3].output", "Missing required parameter: 'items[3].output'."],
    ["an empty output call_id", output(""), "items[3].call_id", "Invalid 'items[3].call_id': empty string. Expected a string with minimum length 1, but got an empty string instead."],
    ["a 65-character output call_id", output("c".repeat(65)), "items[3].call_id", "Invalid 'items[3].call_id': string too long. Expected a string with maximum length 64, but got a string with length 65 instead."],
    ["an output that is a number", output("c", 42), "items[3].output", "Invalid type for 'items[3].output': expected one of a string or array of objects, but got an integer instead."],
    ["output_text in an output", output("c", [{ type: "output_text", text: "x", annotations: [] }]), "items[3].output[0].type", "Invalid value: 'output_text'. Supported values are: 'input_text', 'input_image', and 'input_file'."],
    ["content on an output", { ...output("c"), content: "x" }, "items[3].content", "Unknown parameter: 'items[3].content'."],
    ["an item type the fake does not model", { type: "reasoning", summary: [] }, "items[3].type", "Invalid value: 'reasoning'. Supported values are: 'message', 'function_call', and 'function_call_output'."],
  ])("rejects %s, naming it, and stores nothing", async (_name, bad, param, message) => {
    const conv = await newConversation();
    const res = await add(conv, [user, call("ok"), output("ok"), bad]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, message });
    expect(await stored(conv)).toEqual([]);
  });

  it("keeps an output's image detail optional (the tool output form), unlike a message's", async () => {
    const conv = await newConversation();
    const image = { type: "input_image", image_url: "https://x.test/chart.png" };
    const res = await add(conv, [output("c", [image])]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await stored(conv))[0].output).toEqual([{ ...image, file_id: null, detail: "auto" }]);
    expect((await add(conv, [{ role: "user", content: [image] }])).body.error.param).toBe("items[0].content[0].detail");
  });

  it("leaves pairing to responses.create: an output with no call is a valid conversation item", async () => {
    const conv = await newConversation();
    expect((await add(conv, [output("call_orphan")])).status).toBe(200);
  });
});
