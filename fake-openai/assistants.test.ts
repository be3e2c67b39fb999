// The fake's Assistants routes (list/get/modify) and the legacy v1 files list
// must behave like api.openai.com, so ferry's files backfill (contract §5) is
// tested against the real shapes, limits and header rules.
import { beforeEach, describe, expect, it } from "vitest";
import { api, BETA, BETA_V1, call, ctl } from "./http-client";

const seedAssistant = async (spec: object = {}) => (await ctl("POST", "/assistants", spec)).id as string;
const seedFiles = async (n: number, prefix = "f") =>
  (await ctl("POST", "/files", { files: Array.from({ length: n }, (_, i) => ({ id: `file-${prefix}${i}`, filename: `${prefix}${i}.pdf` })) }))
    .ids as string[];
const list = (query: string) => api("GET", `/assistants?${query}`, undefined, BETA);

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("assistants list", () => {
  it("pages with exact has_more at 100 and 101 assistants", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await seedAssistant({ name: `a${i}` }));
    const full = await list("order=asc&limit=100");
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ object: "list", has_more: false, first_id: ids[0], last_id: ids[99] });
    expect(full.body.data).toHaveLength(100);

    ids.push(await seedAssistant({ name: "a100" }));
    const first = await list("order=asc&limit=100");
    expect(first.body.has_more).toBe(true);
    const second = await list(`order=asc&limit=100&after=${first.body.last_id}`);
    expect(second.body.data.map((a: any) => a.id)).toEqual([ids[100]]);
    expect(second.body.has_more).toBe(false);
  });

  it("defaults to desc/20 and supports before", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push(await seedAssistant({ name: `a${i}` }));
    const desc = await list("");
    expect(desc.body.data).toHaveLength(20);
    expect(desc.body.data[0].id).toBe(ids[24]);
    expect(desc.body.has_more).toBe(true);
    const before = await list(`order=asc&limit=3&before=${ids[10]}`);
    expect(before.body.data.map((a: any) => a.id)).toEqual(ids.slice(7, 10));
    expect(before.body.has_more).toBe(true);
  });

  it("rejects bad limit, order and unknown cursors", async () => {
    await seedAssistant();
    for (const q of ["limit=0", "limit=101", "limit=x"]) expect((await list(q)).body.error.param).toBe("limit");
    expect((await list("order=sideways")).body.error.param).toBe("order");
    const bad = await list("after=asst_gone");
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("after");
  });

  it("needs the v2 beta header and answers assistantsGone", async () => {
    const id = await seedAssistant();
    expect((await api("GET", "/assistants")).body.error.code).toBe("invalid_beta");
    expect((await api("GET", `/assistants/${id}`, undefined, BETA_V1)).body.error.code).toBe("invalid_beta");
    await ctl("POST", "/config", { assistantsGone: 404 });
    const gone = await api("GET", `/assistants/${id}`, undefined, BETA);
    expect(gone.status).toBe(404);
    expect(gone.body.error.message).toBe(`Invalid URL (GET /v1/assistants/${id})`);
  });
});

describe("assistant objects", () => {
  it("returns the v2 shape with defaults; legacy file_ids and retrieval only when seeded", async () => {
    const plain = await seedAssistant({ name: "Plain", instructions: "Be nice." });
    const res = await api("GET", `/assistants/${plain}`, undefined, BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: plain,
      object: "assistant",
      created_at: expect.any(Number),
      name: "Plain",
      description: null,
      model: "gpt-4o",
      instructions: "Be nice.",
      tools: [],
      tool_resources: {},
      metadata: {},
      temperature: 1,
      top_p: 1,
      response_format: "auto",
    });
    expect(plain).toMatch(/^asst_/);

    const legacy = await seedAssistant({
      id: "asst_legacy",
      model: "gpt-4-turbo",
      tools: [{ type: "retrieval" }, { type: "code_interpreter" }],
      file_ids: ["file-a", "file-b"],
      response_format: { type: "json_object" },
      temperature: 0.3,
      top_p: null,
    });
    const old = (await api("GET", `/assistants/${legacy}`, undefined, BETA)).body;
    expect(old).toMatchObject({
      tools: [{ type: "retrieval" }, { type: "code_interpreter" }],
      file_ids: ["file-a", "file-b"],
      response_format: { type: "json_object" },
      temperature: 0.3,
      top_p: null,
    });
  });

  it("404s unknown ids; rejects bad seeds and duplicate ids", async () => {
    const res = await api("GET", "/assistants/asst_nope", undefined, BETA);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({
      message: "No assistant found with id 'asst_nope'.",
      type: "invalid_request_error",
      param: null,
      code: null,
    });
    await seedAssistant({ id: "asst_x" });
    expect((await call("POST", "/__control/assistants", { id: "asst_x" })).status).toBe(409);
    const bad = await call("POST", "/__control/assistants", { tools: [{ type: "browser" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("tools[0].type");
  });
});

describe("modify assistant", () => {
  const modify = (id: string, body: unknown) => api("POST", `/assistants/${id}`, body, BETA);

  it("updates tool_resources per tool and replaces metadata", async () => {
    const [f1, f2] = await seedFiles(2);
    const vs = (await ctl("POST", "/vector_stores", { name: "kb" })).id;
    const id = await seedAssistant({
      tools: [{ type: "file_search" }, { type: "code_interpreter" }],
      tool_resources: { code_interpreter: { file_ids: [f1] }, file_search: { vector_store_ids: ["vs_old"] } },
      metadata: { a: "1", b: "2" },
    });
    const res = await modify(id, { tool_resources: { file_search: { vector_store_ids: [vs] } }, metadata: { c: "3" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      object: "assistant",
      tool_resources: { code_interpreter: { file_ids: [f1] }, file_search: { vector_store_ids: [vs] } },
      metadata: { c: "3" },
    });
    await modify(id, { tool_resources: { code_interpreter: { file_ids: [f1, f2] } }, temperature: 0.5, instructions: null });
    const got = (await api("GET", `/assistants/${id}`, undefined, BETA)).body;
    expect(got).toMatchObject({
      tool_resources: { code_interpreter: { file_ids: [f1, f2] }, file_search: { vector_store_ids: [vs] } },
      temperature: 0.5,
      instructions: null,
      metadata: { c: "3" },
    });
  });

  it.each([
    ["21 code_interpreter files", (f: string[]) => ({ tool_resources: { code_interpreter: { file_ids: f.slice(0, 21) } } }), "tool_resources.code_interpreter.file_ids", "array_above_max_length"],
    ["2 vector stores", () => ({ tool_resources: { file_search: { vector_store_ids: ["vs_a", "vs_b"] } } }), "tool_resources.file_search.vector_store_ids", "array_above_max_length"],
    ["an unknown file", () => ({ tool_resources: { code_interpreter: { file_ids: ["file-missing"] } } }), "tool_resources.code_interpreter.file_ids[0]", null],
    ["an unknown vector store", () => ({ tool_resources: { file_search: { vector_store_ids: ["vs_missing"] } } }), "tool_resources.file_search.vector_store_ids[0]", null],
    ["the v1 retrieval tool", () => ({ tools: [{ type: "retrieval" }] }), "tools[0].type", "invalid_value"],
    ["vector_stores (create-only helper)", () => ({ tool_resources: { file_search: { vector_stores: [] } } }), "tool_resources.file_search.vector_stores", "unknown_parameter"],
    ["temperature above 2", () => ({ temperature: 2.5 }), "temperature", "decimal_above_max_value"],
    ["top_p above 1", () => ({ top_p: 2 }), "top_p", "integer_above_max_value"],
    ["a name over 256 chars", () => ({ name: "n".repeat(257) }), "name", "string_above_max_length"],
    ["metadata with 17 keys", () => ({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])) }), "metadata", "object_above_max_properties"],
    ["an unknown field", () => ({ file_ids: [] }), "file_ids", "unknown_parameter"],
    ["a bad response_format", () => ({ response_format: { type: "xml" } }), "response_format.type", "invalid_value"],
  ])("rejects %s with 400 and changes nothing", async (_name, body, param, code) => {
    const files = await seedFiles(21);
    const id = await seedAssistant({ name: "Same", metadata: { keep: "yes" } });
    const before = (await api("GET", `/assistants/${id}`, undefined, BETA)).body;
    const res = await modify(id, (body as (f: string[]) => unknown)(files));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, code });
    expect((await api("GET", `/assistants/${id}`, undefined, BETA)).body).toEqual(before);
  });

  it("accepts exactly 20 code_interpreter files and 1 vector store; 404s an unknown assistant", async () => {
    const files = await seedFiles(20);
    const vs = (await ctl("POST", "/vector_stores", {})).id;
    const id = await seedAssistant();
    const res = await modify(id, { tool_resources: { code_interpreter: { file_ids: files }, file_search: { vector_store_ids: [vs] } } });
    expect(res.status).toBe(200);
    expect(res.body.tool_resources.code_interpreter.file_ids).toHaveLength(20);
    expect((await modify("asst_missing", { metadata: {} })).status).toBe(404);
  });

  it("rejects a vector store that expired or was deleted", async () => {
    const vs = (await ctl("POST", "/vector_stores", {})).id;
    const id = await seedAssistant();
    await ctl("DELETE", `/vector_stores/${vs}`);
    const res = await modify(id, { tool_resources: { file_search: { vector_store_ids: [vs] } } });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("tool_resources.file_search.vector_store_ids[0]");
  });
});

describe("legacy v1 assistant files", () => {
  const v1Files = (id: string, headers: Record<string, string> = BETA_V1, query = "") =>
    api("GET", `/assistants/${id}/files${query}`, undefined, headers);

  it("lists only with OpenAI-Beta: assistants=v1; under v2 the route is gone (404)", async () => {
    const id = await seedAssistant({ v1_file_ids: ["file-a", "file-b", "file-c"] });
    const res = await v1Files(id, BETA_V1, "?order=asc");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "list", has_more: false, first_id: "file-a", last_id: "file-c" });
    expect(res.body.data[0]).toEqual({ id: "file-a", object: "assistant.file", created_at: expect.any(Number), assistant_id: id });

    const v2 = await v1Files(id, BETA);
    expect(v2.status).toBe(404);
    expect(v2.body.error.message).toBe(`Invalid URL (GET /v1/assistants/${id}/files)`);
    expect((await v1Files(id, {})).body.error.code).toBe("invalid_beta");
    // v1 opens only this route: the v2 object itself still needs v2.
    expect((await api("GET", `/assistants/${id}`, undefined, BETA_V1)).status).toBe(400);
  });

  it("pages with limit/after and 404s an unknown assistant", async () => {
    const id = await seedAssistant({ v1_file_ids: ["file-a", "file-b", "file-c"] });
    const page = await v1Files(id, BETA_V1, "?order=asc&limit=2");
    expect(page.body.data.map((f: any) => f.id)).toEqual(["file-a", "file-b"]);
    expect(page.body.has_more).toBe(true);
    const rest = await v1Files(id, BETA_V1, `?order=asc&limit=2&after=${page.body.last_id}`);
    expect(rest.body.data.map((f: any) => f.id)).toEqual(["file-c"]);
    expect(rest.body.has_more).toBe(false);
    expect((await v1Files("asst_nope")).status).toBe(404);
    expect((await v1Files(await seedAssistant())).body.data).toEqual([]);
  });

  it("v1Files switches the v1 answer to 400, 404 or 410", async () => {
    const id = await seedAssistant({ v1_file_ids: ["file-a"] });
    await ctl("POST", "/config", { v1Files: 400 });
    const r400 = await v1Files(id);
    expect(r400.status).toBe(400);
    expect(r400.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_beta" });
    expect(r400.body.error.message).toMatch(/^The v1 Assistants API has been deprecated/);
    await ctl("POST", "/config", { v1Files: 404 });
    expect((await v1Files(id)).body.error.message).toBe(`Invalid URL (GET /v1/assistants/${id}/files)`);
    await ctl("POST", "/config", { v1Files: 410 });
    const r410 = await v1Files(id);
    expect(r410.status).toBe(410);
    expect(r410.body.error.type).toBe("invalid_request_error");
    await ctl("POST", "/config", { v1Files: "on" });
    expect((await v1Files(id)).status).toBe(200);
    expect((await call("POST", "/__control/config", { v1Files: 418 })).status).toBe(400);
  });

  it("is also cut off by assistantsGone", async () => {
    const id = await seedAssistant({ v1_file_ids: ["file-a"] });
    await ctl("POST", "/config", { assistantsGone: 410 });
    expect((await v1Files(id)).status).toBe(410);
  });
});

describe("observation", () => {
  it("counts assistant calls by templated route and dumps assistants", async () => {
    const id = await seedAssistant({ v1_file_ids: ["file-a"], file_ids: ["file-a"] });
    await list("");
    await api("GET", `/assistants/${id}`, undefined, BETA);
    await api("POST", `/assistants/${id}`, { metadata: { k: "v" } }, BETA);
    await api("GET", `/assistants/${id}/files`, undefined, BETA_V1);
    await api("GET", `/assistants/${id}/files`, undefined, BETA); // 404, still counted
    expect((await ctl("GET", "/calls")).byRoute).toEqual({
      "GET /v1/assistants": 1,
      "GET /v1/assistants/{id}": 1,
      "POST /v1/assistants/{id}": 1,
      "GET /v1/assistants/{id}/files": 2,
    });
    const dump = (await ctl("GET", "/assistants")).data;
    expect(dump).toEqual([expect.objectContaining({ id, metadata: { k: "v" }, file_ids: ["file-a"], v1_file_ids: ["file-a"] })]);
  });

  it("demo seed has a v2 assistant with a live store and a legacy one whose store is gone", async () => {
    await ctl("POST", "/reset", { seed: "demo" });
    const all = (await list("order=asc")).body.data;
    expect(all.map((a: any) => a.id)).toEqual(["asst_demo_support", "asst_demo_legacy", "asst_demo_tools"]);
    const [support, legacy] = all;
    const vs = support.tool_resources.file_search.vector_store_ids[0];
    expect((await api("GET", `/vector_stores/${vs}`)).body).toMatchObject({ status: "completed", file_counts: { completed: 1, total: 1 } });
    expect(legacy.file_ids).toEqual(["file-demo-handbook", "file-demo-sales"]);
    expect((await api("GET", `/vector_stores/${legacy.tool_resources.file_search.vector_store_ids[0]}`)).status).toBe(404);
    expect((await api("GET", "/assistants/asst_demo_legacy/files", undefined, BETA_V1)).body.data).toHaveLength(2);
  });
});
