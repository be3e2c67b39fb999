// Contract §6.1: a thread read from an Azure AI Foundry project (classic agents, Entra token,
// api-version) converts exactly as the same thread read from OpenAI: every §3 shape, the same
// items, warnings, metadata and tool resources.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import type { ThreadSpec } from "../../fake-openai";
import { AZURE_ROUTES, foundrySource, registerEntraApp } from "../support/azure";
import { fake, ROUTES } from "../support/fake";
import { api, type EnvOverrides, uniqueThreadId } from "../support/ferry";
import type { ThreadMigration } from "../../src/handlers/http/schemas";

beforeEach(() => fake.reset());

const text = (value: string, annotations: unknown[] = []) => ({ type: "text", text: { value, annotations } });

/** Every part and annotation kind of contract §3, on both roles, with thread metadata and tool resources. */
const everyShape = (id: string, report: string): ThreadSpec => ({
    id,
    metadata: { customer: "acme", plan: "pro" },
    tool_resources: { code_interpreter: { file_ids: ["assistant-code1"] } },
    messages: [
      { role: "user", content: [text("look at these"), { type: "image_url", image_url: { url: "https://img.test/a.png", detail: "low" } }, { type: "image_file", image_file: { file_id: "assistant-img" } }] },
      {
        role: "assistant",
        content: [
          text("per the report【0†src】, chart at sandbox:/a.png", [
            { type: "file_citation", text: "【0†src】", file_citation: { file_id: report }, start_index: 14, end_index: 21 },
            { type: "file_path", text: "sandbox:/a.png", file_path: { file_id: "assistant-out" }, start_index: 32, end_index: 46 },
          ]),
          { type: "image_file", image_file: { file_id: "assistant-chart" } },
          { type: "image_url", image_url: { url: "https://img.test/b.png" } },
        ],
      },
      { role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] },
      { role: "user", content: [] },
      { role: "user", content: "thanks", attachments: [{ file_id: "assistant-doc", tools: [{ type: "file_search" }] }] },
    ],
});

const migrateVia = async (threadId: string, env?: EnvOverrides) =>
  (await (await api(`/v1/threads/${threadId}/migrate`, { method: "POST", env })).json()) as ThreadMigration;

/** What must be the same whichever host the thread was read from. */
const outcome = async (t: ThreadMigration) => {
  const conversation = await fake.conversation(t.conversation_id!);
  const { assistants_thread_id: _, ...metadata } = conversation.metadata;
  return {
    status: t.status,
    messages_migrated: t.messages_migrated,
    tool_resources: t.tool_resources,
    warnings: t.warnings.map(({ message_id: _id, ...w }) => w),
    metadata,
    items: conversation.items.map(({ id: _id, ...item }) => item),
  };
};

it("a Foundry thread of every §3 shape migrates exactly as the same OpenAI thread", async () => {
  const report = await fake.createFile("report.pdf");
  // Files the items name exist on the target, so every write is taken at once (the fake refuses unknown ones).
  for (const id of ["assistant-img", "assistant-out"]) await fake.createFile(`${id}.png`, id);
  const openaiThread = await fake.createThread(everyShape(uniqueThreadId("oai"), report));
  const foundryThread = await fake.createThread(everyShape(uniqueThreadId("foundry"), report));
  const app = await registerEntraApp();

  const viaOpenAI = await migrateVia(openaiThread);
  await fake.clearCalls();
  const viaFoundry = await migrateVia(foundryThread, foundrySource(app));

  expect(viaFoundry.status).toBe("migrated");
  expect(await outcome(viaFoundry)).toEqual(await outcome(viaOpenAI));
  expect((await fake.conversation(viaFoundry.conversation_id!)).metadata.assistants_thread_id).toBe(foundryThread);

  // Read through the Foundry layout (which rejects any call without the token or the api-version), written to the target.
  const { byRoute } = await fake.calls();
  expect(byRoute).toMatchObject({ [AZURE_ROUTES.token]: 1, [AZURE_ROUTES.thread]: 1, [AZURE_ROUTES.messages]: 1, [ROUTES.create]: 1 });
  expect(byRoute[ROUTES.thread]).toBeUndefined();
});

it("a thread with tool history (§3.1: parallel calls, code interpreter, file search, an expired call) converts the same from Foundry", async () => {
  await fake.reset("demo");
  const threadId = "thread_demo_tools"; // fake-openai/seed.ts
  const app = await registerEntraApp();
  const viaOpenAI = await migrateVia(threadId);
  const expected = await outcome(viaOpenAI);
  // Forget it, and migrate the same thread again through the Foundry layout: its runs' steps too.
  await env.DB.prepare("delete from threads where thread_id = ?").bind(threadId).run();
  await fake.clearCalls();
  const viaFoundry = await migrateVia(threadId, foundrySource(app));

  expect(viaFoundry.conversation_id).not.toBe(viaOpenAI.conversation_id);
  expect(await outcome(viaFoundry)).toEqual(expected);
  expect((await fake.calls()).byRoute[AZURE_ROUTES.steps]).toBeGreaterThan(0);
});
