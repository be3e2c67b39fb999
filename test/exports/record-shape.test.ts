// Contract §6.2, shape 1: assistants-thread-export/v1 records (one NDJSON line, or a JSON document
// as the exporter writes it) migrate with full fidelity: the same items as a live thread of the
// same messages, plus the runs' tool history (§3.1), the thread's metadata, and its tool resources
// and attachments in the lookup and the files check.
import { env } from "cloudflare:test";
import { beforeEach, expect, inject, it, vi } from "vitest";
import { Budget } from "../../src/client/budget";
import type { MigrationWarning } from "../../src/conversion/types";
import { createDb } from "../../src/db/client";
import { findThread } from "../../src/db/threads";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps } from "../../src/handlers/wiring";
import { ThreadReader } from "../../src/migration/reader";
import { ExportSource } from "../../src/source/export-source";
import type { ConversationTarget } from "../../src/target/types";
import type { ThreadMigration } from "../../src/handlers/http/schemas";
import { fake, ROUTES } from "../support/fake";
import { lookup, migrate, settled, uniqueThreadId } from "../support/ferry";
import { createsMessage, exportRecord, functionCall, ingested, itemsOf, ndjson, postExport, run, runStep, text, v2Message } from "../support/exports";

beforeEach(() => fake.reset());

it("a record's messages become the same items as the live thread's", async () => {
  const report = await fake.createFile("report.pdf");
  const content = [
    { role: "user" as const, content: "what does the report say?" },
    { role: "assistant" as const, content: [text("it says yes【0†src】", [{ type: "file_citation", text: "【0†src】", file_citation: { file_id: report }, start_index: 11, end_index: 18 }])] },
  ];
  const { body: live } = await migrate(await fake.createThread({ id: uniqueThreadId("live"), metadata: { customer: "acme" }, messages: content }));

  const threadId = uniqueThreadId("rec");
  const { body } = await postExport(ndjson([exportRecord(threadId, content.map((m, i) => v2Message(threadId, i + 1, m)), { metadata: { customer: "acme" } })]));
  expect(await ingested(body.id)).toMatchObject({ status: "ingested", threads_found: 1, threads_registered: 1 });
  const t = await settled(threadId);
  expect(t).toMatchObject({ status: "migrated", source: "export", messages_migrated: 2, warnings: [] });
  const [exported, original] = [await fake.conversation(t.conversation_id!), await fake.conversation(live.conversation_id!)];
  expect(itemsOf(exported.items)).toEqual(itemsOf(original.items));
  expect(exported.metadata).toEqual({ customer: "acme", assistants_thread_id: threadId });
});

it("a live thread with tool history, exported as the exporter does, migrates into the same conversation", async () => {
  await fake.reset("demo");
  await env.DB.prepare("delete from threads where thread_id = ?").bind(DEMO).run();
  const record = await exportedFromLive(DEMO, uniqueThreadId("tools"));
  const { body: live } = await migrate(DEMO);
  expect(live.status).toBe("migrated");

  const { body } = await postExport(ndjson([record]));
  await ingested(body.id);
  const t = await settled(record.thread_id as string);
  expect(t).toMatchObject({ status: "migrated", source: "export", messages_migrated: live.messages_migrated });
  expect(itemsOf((await fake.conversation(t.conversation_id!)).items)).toEqual(itemsOf((await fake.conversation(live.conversation_id!)).items));
  expect(t.warnings.map((w) => w.code).sort()).toEqual(live.warnings.map((w) => w.code).sort());
  // Usable as is (contract §4.6): the API accepts the history, every call paired with its output.
  await fake.respond({ model: "gpt-4o", conversation: t.conversation_id, input: "thanks" });
});

// The engine's own reader (what a migration writes) over what ingestion put into R2, counting the reads.
it("runs' steps become tool items around their messages; a run without a message is left out with a warning", async () => {
  const threadId = uniqueThreadId("runs");
  const msg = (n: number, role: "user" | "assistant", value: string, run_id?: string) => v2Message(threadId, n, { role, content: value, run_id });
  const id = (n: number) => msg(n, "assistant", "").id as string;
  const codeStep = { type: "tool_calls", tool_calls: [{ id: "call_ci", type: "code_interpreter", code_interpreter: { input: "print(6*7)", outputs: [{ type: "logs", logs: "42" }] } }] };
  const record = exportRecord(threadId, [msg(1, "user", "weather in Paris?"), msg(2, "assistant", "sunny", "run_1"), msg(3, "user", "compute it"), msg(4, "assistant", "42", "run_2"), msg(5, "assistant", "hm", "run_4"), msg(6, "assistant", "plain", "run_5")], {
    runs: [
      run(threadId, "run_1", [runStep(threadId, "run_1", "step_1", functionCall("call_w", "get_weather", '{"city":"Paris"}', "sunny")), runStep(threadId, "run_1", "step_2", createsMessage(id(2)))]),
      run(threadId, "run_2", [runStep(threadId, "run_2", "step_3", codeStep), runStep(threadId, "run_2", "step_4", createsMessage(id(4)))], [{ type: "code_interpreter" }]),
      run(threadId, "run_3", [runStep(threadId, "run_3", "step_5", functionCall("call_x", "lookup", "{}", "x"))]),
      // The export caught this run waiting for a tool output: the call gets the placeholder output.
      run(threadId, "run_4", [runStep(threadId, "run_4", "step_6", functionCall("call_p", "lookup", "{}", null), "in_progress"), runStep(threadId, "run_4", "step_7", createsMessage(id(5)))]),
      // No tools and no tool steps: its steps are never read.
      run(threadId, "run_5", [runStep(threadId, "run_5", "step_8", createsMessage(id(6)))], []),
    ],
  });
  const exportId = await ingestQuietly(ndjson([record]));
  const row = (await findThread(createDb(env.DB), threadId))!;
  expect(row).toMatchObject({ status: "pending", source: "export", exportId });

  // One R2 read each: the header, the messages' page, and the steps of the three runs that had tools.
  const budget = new Budget(5);
  const source = new ExportSource(env.EXPORTS, threadId, row.exportLocation!, budget, async () => {});
  const warnings: MigrationWarning[] = [];
  const reader = new ThreadReader(source, { getFilename: async () => null } as unknown as ConversationTarget, threadId, { toolCalls: "auto", filesElsewhere: true }, (w) => warnings.push(...w));
  await reader.readThread();
  const page = await reader.nextPage(null, () => []);
  await reader.leftOutRuns();
  expect(budget.canAfford(1)).toBe(false);
  expect(page.hasMore).toBe(false);
  expect(page.entries.flatMap((e) => e.items)).toEqual([
    { type: "message", role: "user", content: [{ type: "input_text", text: "weather in Paris?" }] },
    { type: "function_call", call_id: "call_w", name: "get_weather", arguments: '{"city":"Paris"}' },
    { type: "function_call_output", call_id: "call_w", output: "sunny" },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "sunny", annotations: [] }] },
    { type: "message", role: "user", content: [{ type: "input_text", text: "compute it" }] },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "[code_interpreter]\nprint(6*7)\n[logs] 42", annotations: [] }, { type: "output_text", text: "42", annotations: [] }] },
    { type: "function_call", call_id: "call_p", name: "lookup", arguments: "{}" },
    { type: "function_call_output", call_id: "call_p", output: "[no output: the run ended before a tool output was submitted]" },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "hm", annotations: [] }] },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "plain", annotations: [] }] },
  ]);
  expect(warnings.map((w) => w.code).sort()).toEqual(["run_without_message", "tool_call_summarized", "tool_output_missing"]);
  expect(warnings.find((w) => w.code === "run_without_message")?.detail).toContain("run_3");
});

/** Uploads and ingests an export without letting the local queue migrate its threads. */
async function ingestQuietly(body: string): Promise<string> {
  const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
  const { body: created } = await postExport(body, { env: { MIGRATIONS: silent } });
  expect(await ingestExport(ingestDeps({ ...env, MIGRATIONS: silent }, new Budget(100)), created.id)).toBe("done");
  return created.id;
}

it("a JSON document as the exporter writes it (one record, indented), and an array of records", async () => {
  const [one, two, three] = [uniqueThreadId("doc"), uniqueThreadId("arr"), uniqueThreadId("arr")];
  const record = (id: string) => exportRecord(id, [v2Message(id, 1, { role: "user", content: "hello" }), v2Message(id, 2, { role: "assistant", content: "hi" })]);
  const single = await postExport(JSON.stringify(record(one), null, 2), { contentType: "application/json" });
  const array = await postExport(JSON.stringify([record(two), record(three)], null, 2), { contentType: "application/json; charset=utf-8" });
  expect(await ingested(single.body.id)).toMatchObject({ status: "ingested", threads_registered: 1, lines_rejected: 0 });
  expect(await ingested(array.body.id)).toMatchObject({ status: "ingested", threads_registered: 2, lines_rejected: 0 });
  for (const id of [one, two, three]) expect(await settled(id)).toMatchObject({ status: "migrated", messages_migrated: 2 });
});

it("the thread's tool resources and attachments reach the lookup and the files check, without any Assistants call", async () => {
  const [doc, csv] = await fake.createFiles([`file-doc-${Date.now()}`, `file-csv-${Date.now()}`]);
  const threadId = uniqueThreadId("files");
  const record = exportRecord(
    threadId,
    [
      v2Message(threadId, 1, { role: "user", content: "see attached", attachments: [{ file_id: doc, tools: [{ type: "file_search" }] }, { file_id: csv, tools: [{ type: "code_interpreter" }] }] }),
      v2Message(threadId, 2, { role: "assistant", content: "read it" }),
    ],
    { tool_resources: { code_interpreter: { file_ids: ["file-gone"] } } },
  );
  const { body } = await postExport(ndjson([record]));
  await ingested(body.id);
  const t = await settled(threadId);
  expect(t.tool_resources).toEqual({ code_interpreter: { file_ids: ["file-gone", csv] } });

  const checked = await vi.waitUntil(async () => {
    const row = (await lookup(threadId)) as ThreadMigration;
    return row.files_status === "synced" ? row : false;
  }, { timeout: 30_000, interval: 200 });
  const [store] = await fake.vectorStores();
  expect(store!.files.map((f) => f.id)).toEqual([doc]);
  expect(checked.tool_resources).toEqual({ file_search: { vector_store_ids: [store!.id] }, code_interpreter: { file_ids: [csv] } });
  const { byRoute } = await fake.calls();
  expect(Object.keys(byRoute).filter((r) => r.startsWith("GET /v1/threads") || r.startsWith("GET /v1/assistants"))).toEqual([]);
  expect(byRoute[ROUTES.thread]).toBeUndefined();
});

const DEMO = "thread_demo_tools"; // fake-openai/seed.ts: parallel calls, code interpreter, file search, an expired call, an incomplete message

/**
 * A live thread read through the fake's Assistants API as the public exporter reads one (thread,
 * messages ascending, runs with their steps), under another thread id so both can be migrated.
 */
async function exportedFromLive(threadId: string, as: string): Promise<Record<string, unknown>> {
  const get = async (path: string) => {
    const res = await fetch(`${inject("fakeOpenAIUrl")}/v1/threads/${threadId}${path}`, { headers: { authorization: "Bearer sk-test", "OpenAI-Beta": "assistants=v2" } });
    expect(res.status).toBe(200);
    return (await res.json()) as { data: Record<string, unknown>[] } & Record<string, unknown>;
  };
  const runs = (await get("/runs?order=asc&limit=100")).data;
  for (const r of runs) r.steps = (await get(`/runs/${r.id as string}/steps?order=asc&limit=100`)).data;
  const record = exportRecord(threadId, (await get("/messages?order=asc&limit=100")).data, { runs });
  record.thread = await get("");
  return JSON.parse(JSON.stringify(record).replaceAll(`"${threadId}"`, `"${as}"`)) as Record<string, unknown>;
}
