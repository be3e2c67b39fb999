// Cancelling a vector store file batch (spec cancelVectorStoreFileBatch): files still ingesting
// become cancelled and the batch cancelled, so a finished batch can hold cancelled files.
import OpenAI from "openai";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { api, ctl } from "./http-client";

const seedFiles = async (...ids: string[]) => ctl("POST", "/files", { files: ids.map((id) => ({ id, filename: `${id}.pdf` })) });
const newStore = async () => (await api("POST", "/vector_stores", {})).body.id as string;
const newBatch = async (vs: string, file_ids: string[]) => (await api("POST", `/vector_stores/${vs}/file_batches`, { file_ids })).body;
const cancel = (vs: string, batch: string) => api("POST", `/vector_stores/${vs}/file_batches/${batch}/cancel`);
const batchFiles = async (vs: string, batch: string, q = "order=asc") => (await api("GET", `/vector_stores/${vs}/file_batches/${batch}/files?${q}`)).body.data as any[];

beforeEach(async () => {
  await ctl("POST", "/reset");
  await seedFiles("file-a", "file-b", "file-c");
});

describe("cancelling a file batch", () => {
  it("cancels the files still in progress, for good", async () => {
    await ctl("POST", "/config", { ingest: { afterPolls: 5 } });
    const vs = await newStore();
    const batch = await newBatch(vs, ["file-a", "file-b"]);
    const res = await cancel(vs, batch.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: batch.id, object: "vector_store.files_batch", status: "cancelled", file_counts: { in_progress: 0, cancelled: 2, completed: 0, total: 2 } });
    for (let i = 0; i < 6; i++) await api("GET", `/vector_stores/${vs}/file_batches/${batch.id}`);
    expect((await api("GET", `/vector_stores/${vs}/file_batches/${batch.id}`)).body.status).toBe("cancelled");
    expect((await batchFiles(vs, batch.id, "filter=cancelled")).map((f) => [f.id, f.status, f.last_error])).toEqual([
      ["file-b", "cancelled", null],
      ["file-a", "cancelled", null],
    ]);
    expect((await api("GET", `/vector_stores/${vs}`)).body).toMatchObject({ status: "completed", file_counts: { cancelled: 2, total: 2 }, usage_bytes: 0 });
  });

  it("leaves a batch cancelled that holds files completed before the cancel", async () => {
    const vs = await newStore();
    await newBatch(vs, ["file-a"]);
    await api("GET", `/vector_stores/${vs}/files`); // file-a completes
    await ctl("POST", "/config", { ingest: { afterPolls: 5 } });
    const batch = await newBatch(vs, ["file-a", "file-b"]);
    const res = await cancel(vs, batch.id);
    expect(res.body).toMatchObject({ status: "cancelled", file_counts: { completed: 1, cancelled: 1, in_progress: 0, total: 2 } });
    expect((await batchFiles(vs, batch.id)).map((f) => [f.id, f.status])).toEqual([
      ["file-a", "completed"],
      ["file-b", "cancelled"],
    ]);
  });

  it("lets files that were due finish first; a batch with nothing left to cancel is answered as it is", async () => {
    const vs = await newStore();
    const batch = await newBatch(vs, ["file-a"]);
    const res = await cancel(vs, batch.id);
    expect(res.body).toMatchObject({ status: "completed", file_counts: { completed: 1, cancelled: 0 } });
    expect((await cancel(vs, batch.id)).body.status).toBe("completed");
  });

  it("re-attaching a cancelled file ingests it again", async () => {
    await ctl("POST", "/config", { ingest: { afterPolls: 5 } });
    const vs = await newStore();
    const first = await newBatch(vs, ["file-c"]);
    await cancel(vs, first.id);
    await ctl("POST", "/config", { ingest: { afterPolls: 0 } });
    const retry = await newBatch(vs, ["file-c"]);
    expect((await api("GET", `/vector_stores/${vs}/file_batches/${retry.id}`)).body).toMatchObject({ status: "completed", file_counts: { completed: 1 } });
    expect((await api("GET", `/vector_stores/${vs}/file_batches/${first.id}`)).body.status).toBe("cancelled");
  });

  it("404s an unknown batch or store, is logged by its route, and works through the openai SDK", async () => {
    const vs = await newStore();
    expect((await cancel(vs, "vsfb_nope")).status).toBe(404);
    expect((await cancel("vs_nope", "vsfb_nope")).body.error.message).toBe("No vector store found with id 'vs_nope'.");
    await ctl("POST", "/config", { ingest: { afterPolls: 5 } });
    const client = new OpenAI({ apiKey: "sk-test", baseURL: `${inject("fakeOpenAIUrl")}/v1`, maxRetries: 0 });
    const batch = await client.vectorStores.fileBatches.create(vs, { file_ids: ["file-a"] });
    const cancelled = await client.vectorStores.fileBatches.cancel(batch.id, { vector_store_id: vs });
    expect(cancelled).toMatchObject({ status: "cancelled", file_counts: { cancelled: 1 } });
    expect((await ctl("GET", "/calls")).byRoute["POST /v1/vector_stores/{id}/file_batches/{batch_id}/cancel"]).toBe(3);
  });
});
