// Contract §6.1 and §5 across hosts: a Foundry source's files are not the target's. Every file a
// message names is looked for on the target (one it lacks becomes a text pointer), and the files
// backfill attaches, records and points at only what the target holds; the rest is reported.
import { beforeEach, expect, inject, it } from "vitest";
import { foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { api, lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";
import type { AssistantMigration } from "../../src/handlers/http/schemas";

beforeEach(() => fake.reset());

/** The target as another host: the same fake, reached by another name. */
const otherHostTarget = () => ({ OPENAI_BASE_URL: inject("fakeOpenAIUrl").replace("127.0.0.1", "localhost") + "/v1" });

it("a thread: the file the target lacks becomes a pointer, and only the file it holds is attached", async () => {
  const app = await registerEntraApp();
  const env = { ...foundrySource(app), ...otherHostTarget() };
  const present = await fake.createFile("on-target.pdf");
  const absent = "assistant-only-on-foundry";
  const threadId = await fake.createThread({
    id: uniqueThreadId("xhost"),
    messages: [
      { role: "user", content: [{ type: "image_file", image_file: { file_id: present } }, { type: "image_file", image_file: { file_id: absent } }] },
      {
        role: "user",
        content: "see the files",
        attachments: [
          { file_id: present, tools: [{ type: "file_search" }] },
          { file_id: absent, tools: [{ type: "file_search" }, { type: "code_interpreter" }] },
        ],
      },
    ],
  });

  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], env);
  const t = (await lookup(threadId))!;
  expect(t).toMatchObject({ status: "migrated", files_status: "synced" });
  const [first] = (await fake.conversation(t.conversation_id!)).items;
  expect(first!.content).toMatchObject([
    { type: "input_image", file_id: present },
    { type: "input_text", text: `[image: ${absent}]` },
  ]);
  const codes = t.warnings.map((w) => w.code);
  expect(codes.filter((c) => c === "file_not_on_target").length).toBeGreaterThanOrEqual(2); // the image, and the attachment
  const store = (await fake.vectorStores()).find((s) => s.id === t.tool_resources?.file_search?.vector_store_ids[0]);
  expect(store?.files.map((f) => f.id)).toEqual([present]);
  expect(t.tool_resources?.code_interpreter).toBeUndefined();
});

it("an assistant: its store is rebuilt on the target from the files the target holds; the source assistant is left alone", async () => {
  const app = await registerEntraApp();
  const env = { ...foundrySource(app), ...otherHostTarget() };
  const present = await fake.createFile("handbook.pdf");
  const absent = "assistant-foundry-file";
  const tool_resources = { file_search: { vector_store_ids: ["vs_on_foundry"] }, code_interpreter: { file_ids: [present, absent] } };
  const id = await fake.createAssistant({
    id: `asst_xhost${Date.now().toString(36)}`,
    model: "gpt-4o",
    tools: [{ type: "file_search" }, { type: "code_interpreter" }],
    file_ids: [present, absent],
    tool_resources,
  });

  await drainQueue([{ type: "sync_assistant", assistant_id: id }], env);
  const a = (await (await api(`/v1/assistants/${id}`)).json()) as AssistantMigration;
  expect(a).toMatchObject({ status: "synced", code_interpreter_file_ids: [present], file_counts: { completed: 1, failed: 0, total: 1 } });
  const store = (await fake.vectorStores()).find((s) => s.id === a.vector_store_id);
  expect(store?.files.map((f) => f.id)).toEqual([present]);
  expect(a.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["file_not_on_target", "vector_store_not_on_target", "tool_resources_not_updated"]));
  expect((await fake.assistants()).find((x) => x.id === id)?.tool_resources).toEqual(tool_resources);
});
