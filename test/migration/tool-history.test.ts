// Contract §3.1 and §4.6, end to end: run steps become tool items in the conversation, placed where
// the run made them, every call paired — and the finished conversation is accepted by
// responses.create (the fake validates the history as the real API does).
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import type { ThreadMigration } from "../../src/handlers/http/schemas";
import { migrationsQueue } from "../../src/queue/messages";
import { FAULT_MIX } from "../../fake-openai";
import { fake, minimumCalls, ROUTES } from "../support/fake";
import { api, assistantSettled, lookup, migrate, uniqueThreadId } from "../support/ferry";
import { toolItemShape } from "../support/items";
import { drainQueue } from "../support/queue";
import { Budget } from "../../src/client/budget";
import { discoverAssistants } from "../../src/files/discovery";
import { filesDeps } from "../../src/handlers/wiring";
import { UNPACED } from "../../src/pacing/permits";
import type { MigrationsQueue } from "../../src/queue/messages";

const noQueue = { send: async () => {}, sendBatch: async () => {} } as unknown as MigrationsQueue;

const DEMO = "thread_demo_tools"; // fake-openai/seed.ts: parallel calls, code interpreter, file search, an expired call, an incomplete message
const NO_OUTPUT = "[no output: the run ended before a tool output was submitted]";

beforeEach(async () => {
  await fake.reset("demo");
  await env.DB.prepare("delete from threads where thread_id = ?").bind(DEMO).run();
});

/** An item as a reader sees it, without the ids the API gave it. */
function shape(item: Record<string, unknown>): string {
  const tool = toolItemShape(item);
  if (tool !== null) return tool;
  const parts = item.content as { type: string; text?: string }[];
  return `${item.role}: ${parts.map((p) => p.text ?? `<${p.type}>`).join(" | ")}`;
}
const conversation = async (t: ThreadMigration) => (await fake.conversation(t.conversation_id!)).items.map((i) => shape(i as unknown as Record<string, unknown>));

const EXPECTED = [
  "user: What's the weather in Paris and Lisbon?",
  'call call_demo_paris get_weather {"city":"Paris"}',
  'call call_demo_lisbon get_weather {"city":"Lisbon"}',
  'output call_demo_paris {"temp_c":18,"sky":"cloudy"}',
  'output call_demo_lisbon {"temp_c":24,"sky":"sunny"}',
  "assistant: Paris is 18°C and cloudy; Lisbon is 24°C and sunny.",
  "user: Total last month's sales and chart them.",
  "assistant: [code_interpreter]\nimport pandas as pd\ndf = pd.read_csv('/mnt/data/sales.csv')\nprint(df.amount.sum())\ndf.plot(x='day', y='amount')\n[logs] 12480\n\n[image: file-demo-plot] | Sales totalled 12,480 EUR last month.",
  "user: What is the refund policy?",
  "assistant: [file_search] handbook.pdf | Refunds are accepted within 30 days【4:0†handbook.pdf】.",
  "user: Book a table for two at 8pm.",
  "assistant: Let me check availability for two at 8pm.",
  'call call_demo_booking book_table {"people":2,"time":"20:00"}',
  `output call_demo_booking ${NO_OUTPUT}`,
  "user: Tell me the whole history of Lisbon.",
  "assistant: Lisbon is one of the oldest cities in Western Europe, older than Rome; it",
];

it("a thread with parallel calls, code interpreter, file search, an expired call and an incomplete message becomes a usable conversation", async () => {
  await fake.clearCalls();
  const { body } = await migrate(DEMO);
  expect(body.status).toBe("migrated");
  expect(await conversation(body)).toEqual(EXPECTED);
  expect(body.messages_migrated).toBe(10);
  const codes = body.warnings.map((w) => w.code).sort();
  expect(codes).toEqual(["incomplete_message", "tool_call_summarized", "tool_call_summarized", "tool_output_missing"]);

  // The contract's minimum: one steps list per run with tools, the assistant read once for its tools.
  const { byRoute } = await fake.calls();
  const min = minimumCalls(10, 1, false, { toolItems: 6, stepPages: 5, assistantReads: 1 });
  for (const route of [ROUTES.thread, ROUTES.messages, ROUTES.file, ROUTES.steps, ROUTES.assistant]) expect(byRoute[route] ?? 0, route).toBe(min[route]);
  expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(min.writes);

  // responses.create accepts the history, with the assistant's prompt spec as its settings.
  await migrationsQueue(env).send({ type: "sync_assistant", assistant_id: "asst_demo_tools" });
  const { prompt_spec } = await assistantSettled("asst_demo_tools");
  const answer = await fake.respond({ ...prompt_spec, conversation: body.conversation_id, input: "Thanks! Anything else?" });
  expect(answer.output[0]!.content[0]!.text).toBeTruthy();
});

it("exactly once under the fault mix (500s, 429s, writes that land but answer 500)", async () => {
  await fake.configure({ random: { ...FAULT_MIX, seed: 7 } });
  await drainQueue([{ type: "migrate_thread", thread_id: DEMO }]);
  expect((await fake.calls()).calls.filter((c) => (c.status ?? 0) >= 429).length).toBeGreaterThan(0);
  const t = await lookup(DEMO);
  expect(t?.status).toBe("migrated");
  expect(await conversation(t!)).toEqual(EXPECTED);
  await fake.configure({ random: { rate500: 0, rate429: 0, rateCommitThenFail: 0 } });
  await fake.respond({ model: "gpt-4o", conversation: t!.conversation_id, input: "ok" });
}, 60_000);

it("MIGRATE_TOOL_CALLS=never keeps the message-only conversion; always lists steps of every run", async () => {
  const never = await api(`/v1/threads/${DEMO}/migrate`, { method: "POST", env: { MIGRATE_TOOL_CALLS: "never" } });
  const t = (await never.json()) as ThreadMigration;
  expect((await conversation(t)).filter((s) => s.startsWith("call") || s.startsWith("output"))).toEqual([]);
  expect((await fake.calls()).byRoute[ROUTES.steps]).toBeUndefined();
  await fake.respond({ model: "gpt-4o", conversation: t.conversation_id, input: "ok" });
});

/** `n` threads, each answered by a run of one new assistant without tools. */
async function threadsOfPlainAssistant(n: number): Promise<string[]> {
  const assistant_id = await fake.createAssistant({ id: `asst_plain_${uniqueThreadId("a").slice("thread_".length)}`, model: "gpt-4o", tools: [] });
  const threads: string[] = [];
  for (let t = 0; t < n; t++) {
    const threadId = await fake.createThread({ id: uniqueThreadId("plain"), messages: [{ role: "user", content: "hi" }] });
    await fake.createRun(threadId, { assistant_id, status: "completed", steps: [{ type: "message_creation", message: { content: "hello" } }] });
    threads.push(threadId);
  }
  await fake.clearCalls();
  return threads;
}

it("auto lists no steps for runs of an assistant without tools, and reads each assistant once", async () => {
  const threads = await threadsOfPlainAssistant(2);
  for (const threadId of threads) expect((await migrate(threadId)).body.status).toBe("migrated");
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.steps]).toBeUndefined();
  expect(byRoute[ROUTES.assistant]).toBe(1); // kept in D1 for the second thread
});

it("threads of one assistant migrated at once share one read of it", async () => {
  const threads = await threadsOfPlainAssistant(6);
  // One invocation, six threads at once (QUEUE_CONCURRENCY 6): none has kept the assistant's tools when the others look.
  const [invocation] = await drainQueue(threads.map((thread_id) => ({ type: "migrate_thread", thread_id })));
  expect(invocation!.messages).toHaveLength(6);
  for (const threadId of threads) expect((await lookup(threadId))?.status).toBe("migrated");
  expect((await fake.calls()).byRoute[ROUTES.assistant]).toBe(1);
});

it("assistants the backfill's listing showed are not read again by their threads", async () => {
  const threads = await threadsOfPlainAssistant(2);
  // The files backfill lists every assistant (contract §5); the listing carries their tools.
  await discoverAssistants(filesDeps(env, new Budget(100), UNPACED), noQueue, { after: null });
  await fake.clearCalls();
  for (const threadId of threads) expect((await migrate(threadId)).body.status).toBe("migrated");
  expect((await fake.calls()).byRoute[ROUTES.assistant]).toBeUndefined();
});

it("a run with more steps than a page, and an entry larger than a write, go through whole and once", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("many"), messages: [{ role: "user", content: "do 60 things" }] });
  const calls = Array.from({ length: 60 }, (_, i) => ({ type: "tool_calls" as const, tool_calls: [{ type: "function", id: `call_${i}`, function: { name: "step", arguments: `{"i":${i}}`, output: `done ${i}` } }] }));
  await fake.createRun(threadId, { assistant_id: "asst_demo_tools", status: "completed", steps: [...calls, { type: "message_creation", message: { content: "all done" } }] });
  // 120 tool items before the message: a single entry spanning seven writes, here across queue invocations.
  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: "14" });
  const t = await lookup(threadId);
  expect(t?.status).toBe("migrated");
  const items = await conversation(t!);
  expect(items).toHaveLength(1 + 120 + 1);
  expect(items.filter((s) => s.startsWith("call"))).toEqual(calls.map((_, i) => `call call_${i} step {"i":${i}}`));
  expect(new Set(items).size).toBe(items.length);
  expect((await fake.calls()).byRoute[ROUTES.steps]).toBeGreaterThanOrEqual(1);
  await fake.respond({ model: "gpt-4o", conversation: t!.conversation_id, input: "ok" });
}, 60_000);

/** A user asks, a run answers after `n` function calls: 2n + 2 items, the run's in one entry. */
async function threadWithCalls(label: string, n: number, before = 0) {
  const threadId = await fake.createThread({
    id: uniqueThreadId(label),
    messages: [...Array.from({ length: before }, (_, i) => ({ role: "user" as const, content: `earlier ${i}` })), { role: "user", content: `do ${n} things` }],
  });
  const steps = Array.from({ length: n }, (_, i) => ({ type: "tool_calls" as const, tool_calls: [{ type: "function", id: `call_${i}`, function: { name: "step", arguments: `{"i":${i}}`, output: `done ${i}` } }] }));
  await fake.createRun(threadId, { assistant_id: "asst_demo_tools", status: "completed", steps: [...steps, { type: "message_creation", message: { content: "all done" } }] });
  return threadId;
}

it("a write of tool items that landed but answered 500 is recognised by their call ids, not repeated", async () => {
  const threadId = await threadWithCalls("ambiguous", 3, 24); // 25 messages, then 6 tool items and the answer: the append holds them
  await fake.addFaults({ method: "POST", path: "^/v1/conversations/[^/]+/items$", status: 500, commit: true });
  await fake.clearCalls();
  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  const items = await conversation(body);
  // One call a step: each output right after its call.
  expect(items.slice(25)).toEqual(["call call_0 step {\"i\":0}", "output call_0 done 0", "call call_1 step {\"i\":1}", "output call_1 done 1", "call call_2 step {\"i\":2}", "output call_2 done 2", "assistant: all done"]);
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.items]).toBe(1);
  expect(byRoute[ROUTES.append]).toBe(1);
});

it("a holder that dies at any D1 statement inside a run larger than a write leaves the conversation exact", async () => {
  const { dyingD1, diedIn } = await import("../support/crash");
  const { migrationDeps } = await import("../../src/handlers/wiring");
  const { Budget } = await import("../../src/client/budget");
  const { migrateThread } = await import("../../src/migration/engine");
  const run = (d1: D1Database, threadId: string) => migrateThread(migrationDeps({ ...env, DB: d1 }, new Budget(1_000)), threadId);

  const probe = await threadWithCalls("probe", 25); // 52 items: a create and two appends, two of them inside the run
  const clean = dyingD1(env.DB, Number.POSITIVE_INFINITY);
  expect((await run(clean.db, probe)).kind).toBe("migrated");
  const reference = await conversation((await lookup(probe))!);
  for (let dieAt = 1; dieAt <= clean.statements(); dieAt++) {
    const threadId = await threadWithCalls(`die${dieAt}`, 25);
    expect(await diedIn(run(dyingD1(env.DB, dieAt).db, threadId))).toBe(true);
    await env.DB.prepare("update threads set lease_until = 0 where thread_id = ?").bind(threadId).run();
    const { body } = await migrate(threadId);
    expect(body.status, `died at ${dieAt}`).toBe("migrated");
    expect(await conversation(body), `died at ${dieAt}`).toEqual(reference);
  }
}, 120_000);
