// The fake OpenAI must reject what the real API rejects and fail the way the
// real API fails; otherwise ferry's tests prove nothing. These tests pin that.
import { beforeEach, describe, expect, it } from "vitest";
import { api, BETA, call, ctl } from "./http-client";

const userItem = (text: string) => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
const newConversation = async (items: unknown[] = []) => (await api("POST", "/conversations", { items })).body.id as string;
const storedItems = async (convId: string) => (await ctl("GET", `/conversations/${convId}`)).items as any[];
const newThread = async (spec: object) => (await ctl("POST", "/threads", spec)).id as string;

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("auth and headers", () => {
  it("rejects a wrong or missing key with 401", async () => {
    const bad = await call("GET", "/v1/files/file-x", undefined, { Authorization: "Bearer sk-nope" });
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
    expect(bad.body.error.message).toMatch(/^Incorrect API key provided/);
    expect((await call("GET", "/v1/files/file-x")).status).toBe(401);
  });

  it("requires OpenAI-Beta: assistants=v2 on Assistants routes only", async () => {
    const id = await newThread({});
    const res = await api("GET", `/threads/${id}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
    );
    expect((await api("GET", `/threads/${id}`, undefined, BETA)).body).toMatchObject({ id, object: "thread" });
    expect((await api("GET", `/threads/${id}`, undefined, { "OpenAI-Beta": "assistants=v1" })).status).toBe(400);
    expect((await api("POST", "/conversations", {})).status).toBe(200);
  });

  it("answers 404 in the error shape for unknown routes and ids", async () => {
    const route = await api("GET", "/nope");
    expect(route.status).toBe(404);
    expect(route.body.error.message).toBe("Invalid URL (GET /v1/nope)");
    expect((await api("GET", "/threads/thread_missing", undefined, BETA)).body.error.message).toBe(
      "No thread found with id 'thread_missing'.",
    );
    expect((await api("GET", "/threads/thread_missing/messages", undefined, BETA)).status).toBe(404);
    expect((await api("GET", "/files/file-missing")).status).toBe(404);
    expect((await api("GET", "/conversations/conv_missing")).status).toBe(404);
    expect((await api("POST", "/conversations/conv_missing/items", { items: [userItem("x")] })).status).toBe(404);
  });
});

describe("conversation item validation", () => {
  it("rejects 21 items and stores nothing", async () => {
    const items = Array.from({ length: 21 }, (_, i) => userItem(`m${i}`));
    const create = await api("POST", "/conversations", { items });
    expect(create.status).toBe(400);
    expect(create.body.error).toMatchObject({ param: "items", code: "array_above_max_length" });
    expect((await ctl("GET", "/conversations")).data).toEqual([]);

    const conv = await newConversation();
    const add = await api("POST", `/conversations/${conv}/items`, { items });
    expect(add.status).toBe(400);
    expect(await storedItems(conv)).toEqual([]);
    expect((await api("POST", `/conversations/${conv}/items`, { items: items.slice(0, 20) })).status).toBe(200);
    expect(await storedItems(conv)).toHaveLength(20);
  });

  it("rejects input_text under assistant, all-or-nothing", async () => {
    const conv = await newConversation();
    const res = await api("POST", `/conversations/${conv}/items`, {
      items: [userItem("fine"), { type: "message", role: "assistant", content: [{ type: "input_text", text: "no" }] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      message: "Invalid value: 'input_text'. Supported values are: 'output_text' and 'refusal'.",
      type: "invalid_request_error",
      param: "items[1].content[0].type",
      code: "invalid_value",
    });
    expect(await storedItems(conv)).toEqual([]);
  });

  it("accepts assistant output_text with a file_citation and returns stored items", async () => {
    await ctl("POST", "/files", { id: "file-1", filename: "handbook.pdf" });
    const conv = await newConversation();
    const part = {
      type: "output_text",
      text: "See the handbook.",
      annotations: [{ type: "file_citation", file_id: "file-1", filename: "handbook.pdf", index: 4 }],
    };
    const res = await api("POST", `/conversations/${conv}/items`, {
      items: [{ type: "message", role: "assistant", content: [part] }, { role: "user", content: "plain string" }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "list", has_more: false });
    const [a, u] = res.body.data;
    expect(a).toMatchObject({ type: "message", status: "completed", role: "assistant", content: [{ ...part, logprobs: [] }] });
    expect(a.id).toMatch(/^msg_/);
    expect(u.content).toEqual([{ type: "input_text", text: "plain string" }]);
    expect(res.body.first_id).toBe(a.id);
    expect(res.body.last_id).toBe(u.id);
    expect((await storedItems(conv)).map((i) => i.id)).toEqual([a.id, u.id]);
  });

  it.each([
    ["annotation without filename", { role: "assistant", content: [{ type: "output_text", text: "x", annotations: [{ type: "file_citation", file_id: "f", index: 0 }] }] }, "items[0].content[0].annotations[0].filename"],
    ["output_text without annotations", { role: "assistant", content: [{ type: "output_text", text: "x" }] }, "items[0].content[0].annotations"],
    ["file_path with negative index", { role: "assistant", content: [{ type: "output_text", text: "x", annotations: [{ type: "file_path", file_id: "f", index: -1 }] }] }, "items[0].content[0].annotations[0].index"],
    ["output_text under user", { role: "user", content: [{ type: "output_text", text: "x", annotations: [] }] }, "items[0].content[0].type"],
    ["input_image without detail", { role: "user", content: [{ type: "input_image", image_url: "https://x.test/a.png" }] }, "items[0].content[0].detail"],
    ["input_image with url and file_id", { role: "user", content: [{ type: "input_image", image_url: "https://x.test/a.png", file_id: "file-1", detail: "auto" }] }, "items[0].content[0]"],
    ["unknown role", { role: "tool", content: "x" }, "items[0].role"],
    ["unsupported item type", { type: "reasoning", summary: [] }, "items[0].type"],
    ["content of wrong type", { role: "user", content: { text: "x" } }, "items[0].content"],
    ["status on a user message", { role: "user", content: "x", status: "completed" }, "items[0].status"],
    ["unknown item id", { id: "msg_does_not_exist", role: "assistant", content: "x" }, "items[0].id"],
  ])("rejects %s", async (_name, item, param) => {
    const conv = await newConversation();
    const res = await api("POST", `/conversations/${conv}/items`, { items: [item] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param });
    expect(await storedItems(conv)).toEqual([]);
  });

  it("rejects an empty or missing items list and malformed JSON", async () => {
    const conv = await newConversation();
    expect((await api("POST", `/conversations/${conv}/items`, { items: [] })).status).toBe(400);
    expect((await api("POST", `/conversations/${conv}/items`, {})).body.error.code).toBe("missing_required_parameter");
    const bad = await api("POST", `/conversations/${conv}/items`, "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/could not parse the JSON body/);
  });

  it("enforces metadata limits: 16 pairs, key 64, value 512", async () => {
    const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    for (const metadata of [pairs(17), { ["k".repeat(65)]: "v" }, { k: "v".repeat(513) }, { k: 1 }]) {
      const res = await api("POST", "/conversations", { metadata });
      expect(res.status).toBe(400);
      expect(res.body.error.param).toBe("metadata");
    }
    expect((await ctl("GET", "/conversations")).data).toEqual([]);
    const ok = await api("POST", "/conversations", { metadata: { ...pairs(15), ["k".repeat(64)]: "v".repeat(512) } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ object: "conversation", metadata: { k0: "v" } });
    expect((await api("GET", `/conversations/${ok.body.id}`)).body).toEqual(ok.body);
  });
});

describe("pagination", () => {
  const list = (thread: string, query: string) => api("GET", `/threads/${thread}/messages?${query}`, undefined, BETA);

  it("reports has_more exactly at 100 and 101 messages", async () => {
    const t100 = await newThread({ generate: 100 });
    const page = await list(t100, "order=asc&limit=100");
    expect(page.body.data).toHaveLength(100);
    expect(page.body.has_more).toBe(false);
    expect(page.body.data[0].text).toBeUndefined();
    expect(page.body.data[0].content[0].text.value).toBe("message 1");

    const t101 = await newThread({ generate: 101 });
    const first = await list(t101, "order=asc&limit=100");
    expect(first.body.has_more).toBe(true);
    expect(first.body.last_id).toBe(first.body.data[99].id);
    const second = await list(t101, `order=asc&limit=100&after=${first.body.last_id}`);
    expect(second.body.data.map((m: any) => m.content[0].text.value)).toEqual(["message 101"]);
    expect(second.body.has_more).toBe(false);
  });

  it("defaults to desc/20, orders ids and created_at, supports before", async () => {
    const t = await newThread({ generate: 25 });
    const desc = await list(t, "");
    expect(desc.body.data).toHaveLength(20);
    expect(desc.body.data[0].content[0].text.value).toBe("message 25");
    expect(desc.body.has_more).toBe(true);
    const asc = (await list(t, "order=asc&limit=100")).body.data as any[];
    expect(asc.map((m) => m.role).slice(0, 2)).toEqual(["user", "assistant"]);
    for (let i = 1; i < asc.length; i++) {
      expect(asc[i].created_at).toBeGreaterThan(asc[i - 1].created_at);
      expect(asc[i].id > asc[i - 1].id).toBe(true);
    }
    const before = await list(t, `order=asc&limit=3&before=${asc[10].id}`);
    expect(before.body.data.map((m: any) => m.id)).toEqual(asc.slice(7, 10).map((m) => m.id));
    expect(before.body.has_more).toBe(true);
  });

  it("rejects bad limit, order and unknown cursors", async () => {
    const t = await newThread({ generate: 2 });
    for (const q of ["limit=0", "limit=101", "limit=abc"]) expect((await list(t, q)).body.error.param).toBe("limit");
    expect((await list(t, "order=up")).body.error.param).toBe("order");
    expect((await list(t, "after=msg_unknown")).body.error.param).toBe("after");
  });

  it("pages conversation items with after and exact has_more", async () => {
    const conv = await newConversation(Array.from({ length: 20 }, (_, i) => userItem(`m${i}`)));
    await api("POST", `/conversations/${conv}/items`, { items: [userItem("m20")] });
    const p1 = await api("GET", `/conversations/${conv}/items?order=asc&limit=20`);
    expect(p1.body).toMatchObject({ object: "list", has_more: true });
    const p2 = await api("GET", `/conversations/${conv}/items?order=asc&limit=20&after=${p1.body.last_id}`);
    expect(p2.body.data.map((i: any) => i.content[0].text)).toEqual(["m20"]);
    expect(p2.body.has_more).toBe(false);
    const desc = await api("GET", `/conversations/${conv}/items?limit=1`);
    expect(desc.body.data[0].content[0].text).toBe("m20");
  });
});

describe("fault injection", () => {
  const itemsPath = "^/v1/conversations/[^/]+/items$";

  it("commit-then-fail stores the items and answers 500", async () => {
    const conv = await newConversation();
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: itemsPath, status: 500, commit: true }] });
    const res = await api("POST", `/conversations/${conv}/items`, { items: [userItem("kept")] });
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe("server_error");
    expect((await storedItems(conv)).map((i) => i.content[0].text)).toEqual(["kept"]);
  });

  it("a plain fault stores nothing", async () => {
    const conv = await newConversation();
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: itemsPath, status: 502 }] });
    expect((await api("POST", `/conversations/${conv}/items`, { items: [userItem("lost")] })).status).toBe(502);
    expect(await storedItems(conv)).toEqual([]);
  });

  it("429 carries Retry-After and the real rate-limit body", async () => {
    await ctl("POST", "/faults", { rules: [{ path: "^/v1/conversations$", status: 429, retryAfter: 7 }] });
    const res = await api("POST", "/conversations", {});
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.body.error).toMatchObject({ type: "requests", code: "rate_limit_exceeded", param: null });
    expect((await api("POST", "/conversations", {})).status).toBe(200); // times defaults to 1
  });

  it("skip lets requests through first, times bounds the hits", async () => {
    const f = await ctl("POST", "/files", { filename: "a.txt" });
    await ctl("POST", "/faults", { rules: [{ method: "GET", path: "^/v1/files/", status: 503, skip: 1, times: 2 }] });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await api("GET", `/files/${f.id}`)).status);
    expect(statuses).toEqual([200, 503, 503, 200]);
    expect((await ctl("GET", "/faults")).rules[0]).toMatchObject({ hits: 2, remaining: 0 });
    await ctl("DELETE", "/faults");
    expect((await ctl("GET", "/faults")).rules).toEqual([]);
  });

  it("hangMs delays the answer (then proceeds when no status is set)", async () => {
    await ctl("POST", "/faults", { rules: [{ path: "^/v1/conversations$", hangMs: 300 }] });
    const started = Date.now();
    expect((await api("POST", "/conversations", {})).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("random faults are reproducible for a seed", async () => {
    const run = async () => {
      await ctl("POST", "/reset");
      await ctl("POST", "/config", { random: { rate500: 0.3, rate429: 0.3, seed: 42 } });
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await api("POST", "/conversations", {})).status);
      return out;
    };
    const first = await run();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run()).toEqual(first);
  });

  it("assistantsGone makes Assistants routes answer 410 and leaves the rest alone", async () => {
    const t = await newThread({ generate: 1 });
    await ctl("POST", "/config", { assistantsGone: 410 });
    expect((await api("GET", `/threads/${t}`, undefined, BETA)).status).toBe(410);
    expect((await api("GET", `/threads/${t}/messages`, undefined, BETA)).status).toBe(410);
    expect((await api("GET", "/assistants/asst_1", undefined, BETA)).status).toBe(410);
    expect((await api("POST", "/conversations", {})).status).toBe(200);
    await ctl("POST", "/config", { assistantsGone: null });
    expect((await api("GET", `/threads/${t}`, undefined, BETA)).status).toBe(200);
  });
});

describe("observation and seeding", () => {
  it("counts calls by templated route, including failures", async () => {
    const t = await newThread({ generate: 3 });
    await api("GET", `/threads/${t}`, undefined, BETA);
    await api("GET", `/threads/${t}/messages`, undefined, BETA);
    await api("GET", `/threads/${t}/messages`); // 400, still counted
    await api("POST", "/conversations", {});
    const log = await ctl("GET", "/calls");
    expect(log.total).toBe(4);
    expect(log.byRoute).toEqual({
      "GET /v1/threads/{id}": 1,
      "GET /v1/threads/{id}/messages": 2,
      "POST /v1/conversations": 1,
    });
    expect(log.calls.map((c: any) => c.status)).toEqual([200, 200, 400, 200]);
    await ctl("DELETE", "/calls");
    expect((await ctl("GET", "/calls")).total).toBe(0);
  });

  it("seeds threads with messages, attachments and files; deletes threads", async () => {
    const t = await newThread({
      id: "thread_fake_seed_1",
      metadata: { team: "core" },
      tool_resources: { code_interpreter: { file_ids: ["file-a"] } },
      messages: [
        { role: "user", content: "hello", attachments: [{ file_id: "file-a", tools: [{ type: "code_interpreter" }] }] },
        { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
      ],
    });
    expect(t).toBe("thread_fake_seed_1");
    await ctl("POST", `/threads/${t}/messages`, { messages: [{ role: "user", content: "again" }], generate: 1 });
    const thread = await api("GET", `/threads/${t}`, undefined, BETA);
    expect(thread.body).toMatchObject({ metadata: { team: "core" }, tool_resources: { code_interpreter: { file_ids: ["file-a"] } } });
    const msgs = (await api("GET", `/threads/${t}/messages?order=asc`, undefined, BETA)).body.data;
    expect(msgs.map((m: any) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(msgs[0]).toMatchObject({ object: "thread.message", thread_id: t, status: "completed", attachments: [{ file_id: "file-a" }] });
    expect(msgs[3].content[0].text.value).toBe("message 4");
    expect((await call("POST", "/__control/threads", { id: t })).status).toBe(409);
    await ctl("DELETE", `/threads/${t}`);
    expect((await api("GET", `/threads/${t}`, undefined, BETA)).status).toBe(404);
  });

  it("demo seed resolves cited files and has a 45-message thread", async () => {
    await ctl("POST", "/reset", { seed: "demo" });
    const files = (await api("GET", "/threads/thread_demo_files/messages?order=asc", undefined, BETA)).body.data;
    const citation = files[1].content[0].text.annotations[0];
    expect(citation.type).toBe("file_citation");
    expect(files[1].content[0].text.value.slice(citation.start_index, citation.end_index)).toBe(citation.text);
    const file = await api("GET", `/files/${citation.file_citation.file_id}`);
    expect(file.body).toMatchObject({ object: "file", filename: "handbook.pdf", purpose: "assistants", status: "processed" });
    const long = await api("GET", "/threads/thread_demo_long/messages?limit=100", undefined, BETA);
    expect(long.body.data).toHaveLength(45);
    expect(long.body.has_more).toBe(false);
  });
});
