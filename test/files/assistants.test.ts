// Contract §5: each assistant's files end up in one live vector store, followed through delayed
// queue messages, and its prompt spec names them.
import { env } from "cloudflare:test";
import { beforeEach, expect, inject, it, vi } from "vitest";
import type { AssistantMigration } from "../../src/handlers/http/schemas";
import { migrationsQueue } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { api, assistantSettled } from "../support/ferry";

beforeEach(() => fake.reset());

let n = 0;
const unique = (label: string) => `${label}_${Date.now().toString(36)}${n++}`;
const sync = (assistant_id: string) => migrationsQueue(env).send({ type: "sync_assistant", assistant_id });
const files = async (count: number) => fake.createFiles(Array.from({ length: count }, (_, i) => unique(`file-${i}`)));
const writes = async () => (await fake.calls()).calls.filter((c) => c.method === "POST");

it("an assistant with v1 files and no v2 store gets a new live store holding them", async () => {
  const fileIds = await files(3);
  const id = await fake.createAssistant({ id: unique("asst_v1"), name: "Support", model: "gpt-4o", tools: [{ type: "retrieval" }], v1_file_ids: fileIds });
  await sync(id);
  const a = await assistantSettled(id);

  expect(a).toMatchObject({ status: "synced", file_counts: { completed: 3, failed: 0, in_progress: 0, total: 3 }, failures: [] });
  const [store] = await fake.vectorStores();
  expect(store).toMatchObject({ id: a.vector_store_id, metadata: { assistants_assistant_id: id } });
  expect(store!.files.map((f) => f.id).sort()).toEqual([...fileIds].sort());
  const [assistant] = await fake.assistants();
  expect(assistant!.tool_resources).toMatchObject({ file_search: { vector_store_ids: [a.vector_store_id] } });
  expect(a.prompt_spec).toMatchObject({ tools: [{ type: "file_search", vector_store_ids: [a.vector_store_id] }] });
  expect(a.sources).toEqual({ v1_files: "3 files", legacy_file_ids: "absent", tool_resources: "read" });
});

it("a deleted store is rebuilt from the legacy file list, and the assistant is pointed at the new one", async () => {
  const fileIds = await files(2);
  const dead = await fake.seedVectorStore({ file_ids: fileIds });
  await fake.dropVectorStore(dead);
  const id = await fake.createAssistant({
    id: unique("asst_dead"),
    model: "gpt-4o",
    tools: [{ type: "file_search" }],
    file_ids: fileIds,
    tool_resources: { file_search: { vector_store_ids: [dead] } },
  });
  await sync(id);
  const a = await assistantSettled(id);
  expect(a.status).toBe("synced");
  expect(a.vector_store_id).not.toBe(dead);
  expect(a.file_counts.completed).toBe(2);
  expect((await fake.assistants())[0]!.tool_resources).toMatchObject({ file_search: { vector_store_ids: [a.vector_store_id] } });
});

it("a deleted store with no file list left is reported, and file_search leaves the prompt spec", async () => {
  const dead = await fake.seedVectorStore({});
  await fake.dropVectorStore(dead);
  const id = await fake.createAssistant({ id: unique("asst_lost"), model: "gpt-4o", tools: [{ type: "file_search" }], tool_resources: { file_search: { vector_store_ids: [dead] } } });
  await sync(id);
  const a = await assistantSettled(id);
  expect(a.vector_store_id).toBeNull();
  expect(a.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["vector_store_lost", "file_search_without_store"]));
  expect(a.prompt_spec).toMatchObject({ tools: [] });
  expect(await fake.vectorStores()).toEqual([]); // nothing was created
});

it("an assistant already in order costs reads only: no write at all", async () => {
  const fileIds = await files(3);
  const store = await fake.seedVectorStore({ file_ids: fileIds });
  const id = await fake.createAssistant({
    id: unique("asst_done"),
    model: "gpt-4o",
    tools: [{ type: "file_search" }, { type: "code_interpreter" }],
    tool_resources: { file_search: { vector_store_ids: [store] }, code_interpreter: { file_ids: [fileIds[0]!] } },
  });
  await fake.configure({ v1Files: 400 });
  await sync(id);
  const a = await assistantSettled(id);
  expect(a).toMatchObject({ status: "synced", vector_store_id: store, code_interpreter_file_ids: [fileIds[0]] });
  expect(await writes()).toEqual([]);
  expect(a.sources!.v1_files).toBe("skipped: 400");
});

it("2,500 files are attached in two batches and all complete", async () => {
  const fileIds = await files(2500);
  const id = await fake.createAssistant({ id: unique("asst_big"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await sync(id);
  const a = await assistantSettled(id, 60_000);
  expect(a.file_counts).toEqual({ in_progress: 0, completed: 2500, failed: 0, total: 2500 });
  const [store] = await fake.vectorStores();
  expect(store!.batches.map((b) => b.file_ids.length)).toEqual([2000, 500]);
  expect(store!.files).toHaveLength(2500);
}, 90_000);

it("a file the API fails to ingest is recorded failed with the API's reason", async () => {
  const fileIds = await files(3);
  await fake.failIngest(fileIds[1]!, "unsupported_file", "The file type is not supported.");
  const id = await fake.createAssistant({ id: unique("asst_fail"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await sync(id);
  const a = await assistantSettled(id);
  expect(a.status).toBe("synced");
  expect(a.file_counts).toEqual({ in_progress: 0, completed: 2, failed: 1, total: 3 });
  expect(a.failures).toEqual([{ file_id: fileIds[1], code: "unsupported_file", message: "The file type is not supported." }]);
});

it("a batch cancelled before its files finished records them failed as cancelled, not completed", async () => {
  await fake.configure({ ingest: { afterPolls: 100 } }); // files stay in progress until cancelled
  const fileIds = await files(2);
  const id = await fake.createAssistant({ id: unique("asst_cancel"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await sync(id);
  const batch = await vi.waitUntil(async () => (await fake.vectorStores())[0]?.batches[0], { timeout: 20_000, interval: 50 });
  const cancel = await fetch(`${inject("fakeOpenAIUrl")}/v1/vector_stores/${batch.vector_store_id}/file_batches/${batch.id}/cancel`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test" },
  });
  expect(cancel.status).toBe(200);
  const a = await assistantSettled(id, 40_000);
  expect(a.file_counts).toEqual({ in_progress: 0, completed: 0, failed: 2, total: 2 });
  expect(a.failures.map((f) => f.code)).toEqual(["cancelled", "cancelled"]);
});

it("batch status is followed through delayed queue messages, further apart while nothing changes", async () => {
  await fake.configure({ ingest: { afterPolls: 2 } });
  const fileIds = await files(2);
  const id = await fake.createAssistant({ id: unique("asst_poll"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await sync(id);
  expect((await assistantSettled(id, 40_000)).file_counts.completed).toBe(2);
  const looks = (await fake.calls()).calls.filter((c) => c.route === "GET /v1/vector_stores/{id}/file_batches/{batch_id}");
  expect(looks).toHaveLength(3);
  const gaps = looks.slice(1).map((c, i) => c.at - looks[i]!.at);
  expect(gaps[0]!).toBeGreaterThanOrEqual(3_000); // 4 s after the 2 s first look
  expect(gaps[1]!).toBeGreaterThan(gaps[0]!);
}, 60_000);

it("a store create that landed but answered 500 is found again: one store", async () => {
  const fileIds = await files(2);
  await fake.addFaults({ method: "POST", path: "^/v1/vector_stores$", status: 500, commit: true });
  const id = await fake.createAssistant({ id: unique("asst_commit"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await sync(id);
  const a = await assistantSettled(id);
  const stores = await fake.vectorStores();
  expect(stores).toHaveLength(1);
  expect(stores[0]!.id).toBe(a.vector_store_id);
  expect(a.file_counts.completed).toBe(2);
});

it("redelivered syncs, at once and later, keep one store and attach each file once", async () => {
  const fileIds = await files(4);
  const id = await fake.createAssistant({ id: unique("asst_dup"), model: "gpt-4o", tools: [{ type: "file_search" }], v1_file_ids: fileIds });
  await Promise.all([sync(id), sync(id), sync(id)]);
  const first = await assistantSettled(id, 60_000);
  await sync(id);
  // The later sync has run once the assistant row was written again.
  const a = await vi.waitUntil(async () => {
    const now = (await (await api(`/v1/assistants/${id}`)).json()) as AssistantMigration;
    return now.updated_at !== first.updated_at && now.status === "synced" ? now : false;
  }, { timeout: 30_000, interval: 100 });
  const stores = await fake.vectorStores();
  expect(stores).toHaveLength(1);
  expect(stores[0]!.files).toHaveLength(4);
  expect(a.file_counts).toMatchObject({ completed: 4, total: 4 });
}, 90_000);

it("source gone: the assistant is source_unavailable, and lookups keep working", async () => {
  const id = await fake.createAssistant({ id: unique("asst_gone"), model: "gpt-4o", tools: [] });
  await sync(id);
  expect((await assistantSettled(id)).status).toBe("synced");
  await fake.configure({ assistantsGone: 410 });
  await sync(id);
  const a = await vi.waitUntil(async () => {
    const r = (await (await api(`/v1/assistants/${id}`)).json()) as AssistantMigration;
    return r.status === "source_unavailable" ? r : false;
  }, { timeout: 30_000, interval: 100 });
  expect(a.error).toMatchObject({ code: "source_unavailable" });
  expect((await api("/v1/assistants/asst_never_seen")).status).toBe(404);
});

it("GET /v1/assistants/{id} exports a prompt spec with every tool kind, field by field", async () => {
  const [ci] = await files(1);
  const store = await fake.seedVectorStore({ file_ids: [] });
  const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
  const id = await fake.createAssistant({
    id: unique("asst_spec"),
    model: "gpt-4o",
    instructions: "Be brief.",
    temperature: 0.3,
    top_p: 0.9,
    response_format: { type: "json_object" },
    tools: [
      { type: "file_search", file_search: { max_num_results: 8 } },
      { type: "code_interpreter" },
      { type: "function", function: { name: "weather", description: "Weather by city", parameters, strict: true } },
    ],
    tool_resources: { file_search: { vector_store_ids: [store] }, code_interpreter: { file_ids: [ci!] } },
  });
  await sync(id);
  const a = await assistantSettled(id);
  expect(a.prompt_spec).toEqual({
    model: "gpt-4o",
    instructions: "Be brief.",
    tools: [
      { type: "file_search", vector_store_ids: [store], max_num_results: 8 },
      { type: "code_interpreter", container: { type: "auto", file_ids: [ci] } },
      { type: "function", name: "weather", description: "Weather by city", parameters, strict: true },
    ],
    temperature: 0.3,
    top_p: 0.9,
    text: { format: { type: "json_object" } },
  });
  expect((await api("/v1/assistants/not-an-assistant")).status).toBe(400);
});
