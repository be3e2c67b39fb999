// Contract §5 for threads: after a thread migrates, its deleted vector store is rebuilt from its
// messages' attachments and the lookup's tool_resources names only live stores and files.
import { beforeEach, expect, it, vi } from "vitest";
import { fake } from "../support/fake";
import { lookup, migrate, uniqueThreadId } from "../support/ferry";
import type { ThreadMigration } from "../../src/handlers/http/schemas";

beforeEach(() => fake.reset());

async function filesChecked(threadId: string): Promise<ThreadMigration> {
  return vi.waitUntil(async () => {
    const t = await lookup(threadId);
    return t?.files_status === "synced" ? t : false;
  }, { timeout: 30_000, interval: 200 });
}

it("a deleted thread store is rebuilt from the attachments; a deleted code file is left out", async () => {
  const [doc, csv] = await fake.createFiles([`file-doc-${Date.now()}`, `file-csv-${Date.now()}`]);
  const dead = await fake.seedVectorStore({ file_ids: [doc!] });
  await fake.dropVectorStore(dead);
  const threadId = await fake.createThread({
    id: uniqueThreadId("files"),
    tool_resources: { file_search: { vector_store_ids: [dead] }, code_interpreter: { file_ids: ["file-deleted"] } },
    messages: [
      { role: "user", content: "see attached", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }, { file_id: csv, tools: [{ type: "code_interpreter" }] }] },
      { role: "assistant", content: "read it" },
    ],
  });

  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  expect(body.files_status).toBeNull(); // not checked yet: the thread's own record

  const checked = await filesChecked(threadId);
  const [store] = await fake.vectorStores();
  expect(store).toMatchObject({ metadata: { assistants_thread_id: threadId } });
  expect(store!.files.map((f) => f.id)).toEqual([doc]);
  expect(checked.tool_resources).toEqual({
    file_search: { vector_store_ids: [store!.id] },
    code_interpreter: { file_ids: [csv] },
  });
  expect(checked.warnings.map((w) => w.code)).toEqual(["file_missing"]);
});

it("a thread whose store is alive keeps it, with no write", async () => {
  const [doc] = await fake.createFiles([`file-live-${Date.now()}`]);
  const live = await fake.seedVectorStore({ file_ids: [doc!] });
  const threadId = await fake.createThread({
    id: uniqueThreadId("live"),
    tool_resources: { file_search: { vector_store_ids: [live] } },
    messages: [{ role: "user", content: "hi", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }] }],
  });
  await migrate(threadId);
  const checked = await filesChecked(threadId);
  expect(checked.tool_resources).toEqual({ file_search: { vector_store_ids: [live] } });
  const posts = (await fake.calls()).calls.filter((c) => c.method === "POST" && c.path.startsWith("/v1/vector_stores"));
  expect(posts).toEqual([]);
});

it("v1 MessageFiles join the thread's store where the source still answers", async () => {
  const [doc, old] = await fake.createFiles([`file-att-${Date.now()}`, `file-v1-${Date.now()}`]);
  const threadId = await fake.createThread({
    id: uniqueThreadId("v1"),
    messages: [
      { role: "user", content: "old upload", v1_file_ids: [old!] },
      { role: "user", content: "new upload", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }] },
    ],
  });
  await migrate(threadId);
  const checked = await filesChecked(threadId);
  const [store] = await fake.vectorStores();
  expect(store!.files.map((f) => f.id).sort()).toEqual([doc, old].sort());
  expect(checked.tool_resources).toEqual({ file_search: { vector_store_ids: [store!.id] } });
});

it("once v1 is gone, one look tells and the thread goes on with its attachments", async () => {
  await fake.configure({ v1Files: 400 });
  const [doc] = await fake.createFiles([`file-only-${Date.now()}`]);
  const threadId = await fake.createThread({
    id: uniqueThreadId("v1gone"),
    messages: [
      { role: "user", content: "a" },
      { role: "user", content: "b", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }] },
    ],
  });
  await migrate(threadId);
  const checked = await filesChecked(threadId);
  expect(checked.warnings.map((w) => w.code)).toEqual(["file_source_skipped"]);
  const v1Calls = (await fake.calls()).calls.filter((c) => c.route === "GET /v1/threads/{id}/messages/{message_id}/files");
  expect(v1Calls).toHaveLength(1);
  expect((await fake.vectorStores())[0]!.files.map((f) => f.id)).toEqual([doc]);
});
