// Contract §4.3, bounded work: a long thread continues from queue invocation to queue invocation,
// each within its subrequest budget, and still costs exactly the minimum; a long thread's v1 files
// scan pages across invocations too.
import { expect, it } from "vitest";
import { fake, minimumCalls, ROUTES } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

const BUDGET = 300;

it("a 10,000-message thread migrates across queue invocations, each within the budget, at the minimum", async () => {
  await fake.reset();
  const threadId = await fake.createThread({ id: uniqueThreadId("huge"), generate: 10_000 });
  await fake.clearCalls();
  const invocations = await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: String(BUDGET) });

  // Every hand-over went from one queue invocation to the next.
  expect(invocations.length).toBeGreaterThanOrEqual(4);
  expect(invocations.slice(1).every((i) => i.messages.every((m) => m.type === "continue_thread"))).toBe(true);
  for (const i of invocations) expect(i.calls).toBeLessThanOrEqual(BUDGET);

  const t = await lookup(threadId);
  expect(t).toMatchObject({ status: "migrated", messages_migrated: 10_000 });
  const items = (await fake.conversation(t!.conversation_id!)).items;
  expect(items.map((i) => (i.content as { text: string }[])[0]!.text)).toEqual(Array.from({ length: 10_000 }, (_, i) => `message ${i + 1}`));

  const { byRoute } = await fake.calls();
  const min = minimumCalls(10_000);
  expect(byRoute[ROUTES.thread]).toBe(min[ROUTES.thread]);
  expect(byRoute[ROUTES.messages]).toBe(min[ROUTES.messages]);
  expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(min.writes);
}, 120_000);

it("a long thread's v1 files scan continues across queue invocations and settles", async () => {
  await fake.reset();
  const files = await fake.createFiles(Array.from({ length: 250 }, (_, i) => `file-v1-${Date.now()}-${i}`));
  const [attached] = await fake.createFiles([`file-att-${Date.now()}`]);
  const threadId = await fake.createThread({
    id: uniqueThreadId("scan"),
    messages: [
      // An attachment is what makes a migrated thread's files worth checking; the check then finds every v1 file.
      { role: "user", content: "attached", attachments: [{ file_id: attached, tools: [{ type: "file_search" }] }] },
      ...files.map((f, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: `m${i}`, v1_file_ids: [f] })),
    ],
  });
  const invocations = await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: "150" });

  const scans = invocations.filter((i) => i.messages.some((m) => m.type === "sync_thread_files"));
  expect(scans.length).toBeGreaterThanOrEqual(3); // 250 messages' files, one page per invocation
  for (const i of invocations) expect(i.calls).toBeLessThanOrEqual(150);
  const t = await lookup(threadId);
  expect(t?.files_status).toBe("synced");
  const [store] = await fake.vectorStores();
  expect(store!.files.map((f) => f.id).sort()).toEqual([...files, attached].sort());
}, 120_000);
