// The fake's vector stores and file batches: real shapes and limits, and an
// asynchronous but deterministic ingestion (config `ingest`) so ferry's
// poll-by-queue-message backfill (contract §5) can be tested step by step.
import OpenAI from "openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { api, call, ctl } from "./http-client";

const seedFiles = async (n: number, prefix = "f", bytes = 1000) =>
  (
    await ctl("POST", "/files", {
      files: Array.from({ length: n }, (_, i) => ({ id: `file-${prefix}${i}`, filename: `${prefix}${i}.pdf`, bytes })),
    })
  ).ids as string[];
const newStore = async (body: object = {}) => {
  const res = await api("POST", "/vector_stores", body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.id as string;
};
const newBatch = async (vs: string, file_ids: string[]) => {
  const res = await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const getBatch = (vs: string, batch: string) => api("GET", `/vector_stores/${vs}/file_batches/${batch}`);
const storeFiles = async (vs: string, query = "limit=100&order=asc") =>
  (await api("GET", `/vector_stores/${vs}/files?${query}`)).body;
const dump = async () => (await ctl("GET", "/vector_stores")).data as any[];

beforeEach(async () => {
  await ctl("POST", "/reset");
});

describe("vector stores", () => {
  it("creates a store (no beta header needed) whose files are in_progress until the next read", async () => {
    const [a, b] = await seedFiles(2, "f", 1500);
    const res = await api("POST", "/vector_stores", {
      name: "kb",
      metadata: { owner: "ferry" },
      file_ids: [a, b],
      expires_after: { anchor: "last_active_at", days: 7 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^vs_/),
      object: "vector_store",
      created_at: expect.any(Number),
      name: "kb",
      usage_bytes: 0,
      file_counts: { in_progress: 2, completed: 0, failed: 0, cancelled: 0, total: 2 },
      status: "in_progress",
      expires_after: { anchor: "last_active_at", days: 7 },
      expires_at: res.body.last_active_at + 7 * 86_400,
      last_active_at: expect.any(Number),
      metadata: { owner: "ferry" },
    });
    const got = await api("GET", `/vector_stores/${res.body.id}`);
    expect(got.body).toMatchObject({ status: "completed", usage_bytes: 3000, file_counts: { completed: 2, total: 2 } });
    const files = await storeFiles(res.body.id);
    expect(files.data[0]).toEqual({
      id: a,
      object: "vector_store.file",
      usage_bytes: 1500,
      created_at: expect.any(Number),
      vector_store_id: res.body.id,
      status: "completed",
      last_error: null,
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 } },
      attributes: {},
    });
  });

  it("validates the create body: 500 file_ids, unknown files, expires_after, metadata", async () => {
    const files = await seedFiles(501);
    const cases: [object, string, string | null][] = [
      [{ file_ids: files }, "file_ids", "array_above_max_length"],
      [{ file_ids: [files[0], "file-missing"] }, "file_ids[1]", null],
      [{ expires_after: { anchor: "created_at", days: 1 } }, "expires_after.anchor", "invalid_value"],
      [{ expires_after: { anchor: "last_active_at", days: 366 } }, "expires_after.days", "integer_above_max_value"],
      [{ metadata: { k: 1 } }, "metadata", "invalid_type"],
      [{ name: "x", tool_resources: {} }, "tool_resources", "unknown_parameter"],
    ];
    for (const [body, param, code] of cases) {
      const res = await api("POST", "/vector_stores", body);
      expect(res.status, param).toBe(400);
      expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, code });
    }
    expect(await dump()).toEqual([]);
    expect((await api("POST", "/vector_stores", { file_ids: files.slice(0, 500) })).status).toBe(200);
  });

  it("answers 404 once deleted (API) or expired/deleted out of band (control)", async () => {
    const [f] = await seedFiles(1);
    const a = await newStore({ file_ids: [f] });
    const b = await newStore();
    const del = await api("DELETE", `/vector_stores/${a}`);
    expect(del.body).toEqual({ id: a, object: "vector_store.deleted", deleted: true });
    await ctl("DELETE", `/vector_stores/${b}`);
    for (const vs of [a, b]) {
      const res = await api("GET", `/vector_stores/${vs}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual({
        message: `No vector store found with id '${vs}'.`,
        type: "invalid_request_error",
        param: null,
        code: null,
      });
      expect((await api("GET", `/vector_stores/${vs}/files`)).status).toBe(404);
      expect((await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids: [f] })).status).toBe(404);
    }
    expect((await api("DELETE", `/vector_stores/${a}`)).status).toBe(404);
    expect((await call("DELETE", `/__control/vector_stores/${b}`)).status).toBe(404);
  });

  it("lists stores with pagination", async () => {
    const ids = [await newStore({ name: "1" }), await newStore({ name: "2" }), await newStore({ name: "3" })];
    const page = await api("GET", "/vector_stores?limit=2");
    expect(page.body.data.map((s: any) => s.id)).toEqual([ids[2], ids[1]]);
    expect(page.body.has_more).toBe(true);
    const rest = await api("GET", `/vector_stores?limit=2&after=${page.body.last_id}`);
    expect(rest.body.data.map((s: any) => s.id)).toEqual([ids[0]]);
    expect(rest.body.has_more).toBe(false);
  });

  it("seeds stores with completed, failed and in_progress files", async () => {
    const [a, b, c] = await seedFiles(3);
    const id = (
      await ctl("POST", "/vector_stores", {
        id: "vs_seeded",
        name: "old",
        file_ids: [a],
        files: [
          { file_id: b, status: "failed", last_error: { code: "unsupported_file", message: "Unsupported" } },
          { file_id: c, status: "in_progress" },
        ],
      })
    ).id;
    expect(id).toBe("vs_seeded");
    const [snap] = await dump();
    expect(snap.files.map((f: any) => [f.id, f.status])).toEqual([
      [a, "completed"],
      [b, "failed"],
      [c, "in_progress"],
    ]);
    expect(snap.files[1].last_error).toEqual({ code: "unsupported_file", message: "Unsupported" });
    const got = await api("GET", `/vector_stores/${id}`);
    expect(got.body.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 1, cancelled: 0, total: 3 });
    expect((await call("POST", "/__control/vector_stores", { id })).status).toBe(409);
  });
});

describe("file batches", () => {
  it("rejects 2001 ids with array_above_max_length and writes nothing; accepts 2000", async () => {
    const vs = await newStore();
    const files = await seedFiles(2001);
    const res = await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids: files });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      message: "Invalid 'file_ids': array too long. Expected an array with maximum length 2000, but got an array with length 2001 instead.",
      type: "invalid_request_error",
      param: "file_ids",
      code: "array_above_max_length",
    });
    expect((await dump())[0]).toMatchObject({ file_counts: { total: 0 }, batches: [] });

    const ok = await newBatch(vs, files.slice(0, 2000));
    expect(ok).toMatchObject({ object: "vector_store.files_batch", status: "in_progress", file_counts: { in_progress: 2000, total: 2000 } });
    expect((await getBatch(vs, ok.id)).body.file_counts).toEqual({ in_progress: 0, completed: 2000, failed: 0, cancelled: 0, total: 2000 });
  });

  it.each([
    ["no ids", {}, "file_ids", "missing_required_parameter"],
    ["an empty list", { file_ids: [] }, "file_ids", "empty_array"],
    ["an unknown file id (rejected up front)", { file_ids: ["file-f0", "file-nope"] }, "file_ids[1]", null],
    ["both file_ids and files", { file_ids: ["file-f0"], files: [{ file_id: "file-f0" }] }, "files", "invalid_value"],
    ["a non-string id", { file_ids: [42] }, "file_ids[0]", "invalid_type"],
    ["bad attributes", { file_ids: ["file-f0"], attributes: { k: {} } }, "attributes.k", "invalid_type"],
  ])("rejects %s with 400 and attaches nothing", async (_name, body, param, code) => {
    await seedFiles(1);
    const vs = await newStore();
    const res = await api("POST", `/vector_stores/${vs}/file_batches`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: "invalid_request_error", param, code });
    expect((await storeFiles(vs)).data).toEqual([]);
  });

  it("stays in_progress for `afterPolls` status reads, then completes", async () => {
    await ctl("POST", "/config", { ingest: { afterPolls: 2 } });
    const vs = await newStore();
    const files = await seedFiles(3);
    const batch = await newBatch(vs, files);
    expect(batch).toEqual({
      id: expect.stringMatching(/^vsfb_/),
      object: "vector_store.files_batch",
      created_at: expect.any(Number),
      vector_store_id: vs,
      status: "in_progress",
      file_counts: { in_progress: 3, completed: 0, failed: 0, cancelled: 0, total: 3 },
    });
    // Listing files is not a status poll.
    expect((await storeFiles(vs)).data.map((f: any) => f.status)).toEqual(["in_progress", "in_progress", "in_progress"]);
    expect((await getBatch(vs, batch.id)).body.status).toBe("in_progress");
    expect((await storeFiles(vs, "filter=in_progress")).data).toHaveLength(3);
    expect((await getBatch(vs, batch.id)).body.status).toBe("in_progress");
    // Two polls have answered in_progress: from now on any read sees the files processed.
    expect((await storeFiles(vs, "filter=completed")).data).toHaveLength(3);
    const done = await getBatch(vs, batch.id);
    expect(done.body).toMatchObject({ status: "completed", file_counts: { in_progress: 0, completed: 3, total: 3 } });
    expect((await storeFiles(vs)).data.map((f: any) => f.status)).toEqual(["completed", "completed", "completed"]);
    const batchFiles = await api("GET", `/vector_stores/${vs}/file_batches/${batch.id}/files?order=asc`);
    expect(batchFiles.body.data.map((f: any) => f.id)).toEqual(files);
  });

  it("completes after `afterMs` when ingestion is time-based", async () => {
    await ctl("POST", "/config", { ingest: { afterMs: 250 } });
    const vs = await newStore();
    const batch = await newBatch(vs, await seedFiles(2));
    expect((await getBatch(vs, batch.id)).body.status).toBe("in_progress");
    expect((await api("GET", `/vector_stores/${vs}`)).body.status).toBe("in_progress");
    await new Promise((r) => setTimeout(r, 300));
    expect((await getBatch(vs, batch.id)).body.status).toBe("completed");
    expect((await api("GET", `/vector_stores/${vs}`)).body).toMatchObject({ status: "completed", usage_bytes: 2000 });
  });

  it("fails a marked file with its last_error; per-file status and filters are right", async () => {
    const [good, bad] = await seedFiles(2);
    await ctl("POST", `/files/${bad}/fail-ingest`, { code: "unsupported_file", message: "File type not supported." });
    const vs = await newStore();
    const batch = await newBatch(vs, [good!, bad!]);
    const polled = await getBatch(vs, batch.id);
    expect(polled.body).toMatchObject({ status: "completed", file_counts: { in_progress: 0, completed: 1, failed: 1, cancelled: 0, total: 2 } });
    const failed = await storeFiles(vs, "filter=failed");
    expect(failed.data).toEqual([
      expect.objectContaining({
        id: bad,
        status: "failed",
        usage_bytes: 0,
        last_error: { code: "unsupported_file", message: "File type not supported." },
      }),
    ]);
    expect((await storeFiles(vs, "filter=completed")).data.map((f: any) => [f.id, f.last_error])).toEqual([[good, null]]);
    const inBatch = await api("GET", `/vector_stores/${vs}/file_batches/${batch.id}/files?filter=failed`);
    expect(inBatch.body.data.map((f: any) => f.id)).toEqual([bad]);
    expect((await api("GET", `/vector_stores/${vs}`)).body.file_counts).toMatchObject({ completed: 1, failed: 1, total: 2 });
  });

  it("a batch whose every file failed is failed; clearing the mark and re-attaching retries without duplicates", async () => {
    const [bad] = await seedFiles(1);
    await ctl("POST", `/files/${bad}/fail-ingest`, { code: "server_error", message: "Try again." });
    const vs = await newStore();
    const first = await newBatch(vs, [bad!]);
    expect((await getBatch(vs, first.id)).body.status).toBe("failed");
    await ctl("DELETE", `/files/${bad}/fail-ingest`);
    const retry = await newBatch(vs, [bad!]);
    expect(retry.status).toBe("in_progress");
    expect((await getBatch(vs, retry.id)).body.status).toBe("completed");
    expect((await getBatch(vs, first.id)).body.status).toBe("failed"); // the old batch keeps its outcome
    expect((await storeFiles(vs)).data.map((f: any) => [f.id, f.status])).toEqual([[bad, "completed"]]);
  });

  it("attaching files already in the store does not duplicate them", async () => {
    const [a, b] = await seedFiles(2);
    const vs = await newStore({ file_ids: [a] });
    await api("GET", `/vector_stores/${vs}`); // a is processed
    const batch = await newBatch(vs, [a!, b!, b!]);
    expect(batch.file_counts).toEqual({ in_progress: 1, completed: 1, failed: 0, cancelled: 0, total: 2 });
    expect((await getBatch(vs, batch.id)).body.file_counts).toMatchObject({ completed: 2, total: 2 });
    expect((await storeFiles(vs)).data.map((f: any) => f.id)).toEqual([a, b]);
    expect((await api("GET", `/vector_stores/${vs}`)).body.file_counts.total).toBe(2);
  });

  it("pages store files with limit/after and exact has_more, also under a filter", async () => {
    const files = await seedFiles(5);
    await ctl("POST", `/files/${files[1]}/fail-ingest`, { code: "invalid_file", message: "Corrupt." });
    await ctl("POST", `/files/${files[3]}/fail-ingest`, { code: "invalid_file", message: "Corrupt." });
    const vs = await newStore();
    const batch = await newBatch(vs, files);
    await getBatch(vs, batch.id);
    const p1 = await storeFiles(vs, "order=asc&limit=2");
    expect(p1.data.map((f: any) => f.id)).toEqual(files.slice(0, 2));
    expect(p1.has_more).toBe(true);
    const p3 = await storeFiles(vs, `order=asc&limit=2&after=${files[3]}`);
    expect(p3.data.map((f: any) => f.id)).toEqual([files[4]]);
    expect(p3.has_more).toBe(false);
    const f1 = await storeFiles(vs, "order=asc&limit=1&filter=failed");
    expect(f1.data.map((f: any) => f.id)).toEqual([files[1]]);
    expect(f1.has_more).toBe(true);
    const f2 = await storeFiles(vs, `order=asc&limit=1&filter=failed&after=${f1.last_id}`);
    expect(f2.data.map((f: any) => f.id)).toEqual([files[3]]);
    expect(f2.has_more).toBe(false);
    expect((await api("GET", `/vector_stores/${vs}/files?filter=broken`)).body.error.param).toBe("filter");
    expect((await api("GET", `/vector_stores/${vs}/files?limit=101`)).body.error.param).toBe("limit");
  });

  it("404s an unknown batch and a batch of another store", async () => {
    const [f] = await seedFiles(1);
    const vs1 = await newStore();
    const vs2 = await newStore();
    const batch = await newBatch(vs1, [f!]);
    expect((await getBatch(vs1, "vsfb_nope")).status).toBe(404);
    expect((await getBatch(vs2, batch.id)).status).toBe(404);
    expect((await api("GET", `/vector_stores/${vs2}/file_batches/${batch.id}/files`)).status).toBe(404);
  });
});

describe("faults and observation", () => {
  it("commit-then-fail on store creation creates the store and answers 500", async () => {
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: "^/v1/vector_stores$", status: 500, commit: true }] });
    const res = await api("POST", "/vector_stores", { name: "ghost", metadata: { run: "1" } });
    expect(res.status).toBe(500);
    expect(res.body.error.type).toBe("server_error");
    const stores = await dump();
    expect(stores).toHaveLength(1);
    expect(stores[0]).toMatchObject({ name: "ghost", metadata: { run: "1" } });
    expect((await api("GET", `/vector_stores/${stores[0].id}`)).status).toBe(200);
  });

  it("commit-then-fail on batch creation attaches the files and answers 500; a plain fault attaches nothing", async () => {
    const [a, b] = await seedFiles(2);
    const vs = await newStore();
    const batchPath = "^/v1/vector_stores/[^/]+/file_batches$";
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: batchPath, status: 503 }] });
    expect((await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids: [a] })).status).toBe(503);
    expect((await dump())[0].batches).toEqual([]);
    await ctl("POST", "/faults", { rules: [{ method: "POST", path: batchPath, status: 500, commit: true }] });
    expect((await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids: [a, b] })).status).toBe(500);
    const [snap] = await dump();
    expect(snap.batches).toEqual([expect.objectContaining({ file_ids: [a, b], file_counts: expect.objectContaining({ total: 2 }) })]);
    expect(snap.files.map((f: any) => f.id)).toEqual([a, b]);
  });

  it("counts calls by templated route; control reads do not advance ingestion", async () => {
    await ctl("POST", "/config", { ingest: { afterPolls: 1 } });
    const [f] = await seedFiles(1);
    const vs = await newStore();
    const batch = await newBatch(vs, [f!]);
    expect((await dump())[0].files[0].status).toBe("in_progress");
    expect((await dump())[0].files[0].status).toBe("in_progress");
    await getBatch(vs, batch.id);
    await getBatch(vs, batch.id);
    await api("GET", `/vector_stores/${vs}/file_batches/${batch.id}/files`);
    await api("GET", `/vector_stores/${vs}/files`);
    await api("GET", `/vector_stores/${vs}`);
    await api("DELETE", `/vector_stores/${vs}`);
    expect((await ctl("GET", "/calls")).byRoute).toEqual({
      "POST /v1/vector_stores": 1,
      "POST /v1/vector_stores/{id}/file_batches": 1,
      "GET /v1/vector_stores/{id}/file_batches/{batch_id}": 2,
      "GET /v1/vector_stores/{id}/file_batches/{batch_id}/files": 1,
      "GET /v1/vector_stores/{id}/files": 1,
      "GET /v1/vector_stores/{id}": 1,
      "DELETE /v1/vector_stores/{id}": 1,
    });
  });

  it("rejects bad ingest config and fail-ingest bodies", async () => {
    expect((await call("POST", "/__control/config", { ingest: { afterPolls: -1 } })).status).toBe(400);
    expect((await call("POST", "/__control/config", { ingest: { soon: 1 } })).status).toBe(400);
    const [f] = await seedFiles(1);
    const bad = await call("POST", `/__control/files/${f}/fail-ingest`, { code: "file_not_found", message: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("code");
    expect((await call("POST", "/__control/files/file-nope/fail-ingest", { code: "server_error", message: "x" })).status).toBe(404);
  });
});

describe("through the openai SDK ferry uses", () => {
  it("creates, polls and auto-paginates like against api.openai.com", async () => {
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${inject("fakeOpenAIUrl")}/v1`, maxRetries: 0 });
    await ctl("POST", "/config", { ingest: { afterPolls: 1 } });
    const files = await seedFiles(45);
    const store = await client.vectorStores.create({ name: "sdk", metadata: { via: "sdk" } });
    const batch = await client.vectorStores.fileBatches.create(store.id, { file_ids: files });
    expect(batch.status).toBe("in_progress");
    expect((await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id })).status).toBe("in_progress");
    const done = await client.vectorStores.fileBatches.retrieve(batch.id, { vector_store_id: store.id });
    expect(done.file_counts).toMatchObject({ completed: 45, total: 45 });
    const seen: string[] = [];
    for await (const f of client.vectorStores.files.list(store.id, { order: "asc" })) seen.push(f.id);
    expect(seen).toEqual(files);

    for (let i = 0; i < 23; i++) await ctl("POST", "/assistants", { name: `a${i}` });
    let n = 0;
    for await (const _a of client.beta.assistants.list()) n++;
    expect(n).toBe(23);
    const id = (await ctl("POST", "/assistants", { v1_file_ids: ["file-f0"] })).id;
    const v1 = await client.get(`/assistants/${id}/files`, { headers: { "OpenAI-Beta": "assistants=v1" } });
    expect(v1).toMatchObject({ data: [{ id: "file-f0", object: "assistant.file", assistant_id: id }] });
    const updated = await client.beta.assistants.update(id, { tool_resources: { file_search: { vector_store_ids: [store.id] } } });
    expect(updated.tool_resources?.file_search?.vector_store_ids).toEqual([store.id]);
  });
});
