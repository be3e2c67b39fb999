// What real threads hold beyond completed messages: a message still being written (migrated up to
// it, then later), an incomplete one (migrated with a warning), and a checkpoint whose message the
// source deleted (resumed without a duplicate or a loss, or stopped with a clear error).
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { lookup, migrate, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

beforeEach(() => fake.reset());

const texts = async (conversationId: string) => (await fake.conversation(conversationId)).items.map((i) => (i.content as { text: string }[])[0]!.text);
const numbered = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `message ${i + from}`);
const cursorOf = async (threadId: string) =>
  (await env.DB.prepare("select cursor from threads where thread_id = ?").bind(threadId).first<{ cursor: string }>())!.cursor;

it("stops before a message still in progress and migrates it once it is complete", async () => {
  const threadId = await fake.createThread({
    id: uniqueThreadId("busy"),
    messages: numbered(45).map((text, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: text, ...(i === 29 ? { status: "in_progress" as const } : {}) })),
  });
  const busy = (await fake.messages(threadId))[29]!.id;

  const first = await migrate(threadId);
  expect(first.res.status).toBe(202);
  expect(first.body).toMatchObject({ status: "migrating", messages_migrated: 20, error: null });
  expect(await texts(first.body.conversation_id!)).toEqual(numbered(20));

  const invocations = await drainQueue([{ type: "continue_thread", thread_id: threadId }], {}, {
    between: async (done) => {
      if (done.length === 1) await fake.completeMessage(threadId, busy);
    },
  });
  expect(invocations[0]!.retryDelays).toEqual([60]); // still in progress: come back in a minute, not a failure
  const t = await lookup(threadId);
  expect(t).toMatchObject({ status: "migrated", messages_migrated: 45, warnings: [] });
  expect(await texts(t!.conversation_id!)).toEqual(numbered(45));
});

it("migrates an incomplete message with a warning", async () => {
  const threadId = await fake.createThread({
    id: uniqueThreadId("cut"),
    messages: [
      { role: "user", content: "write a long story" },
      { role: "assistant", content: "Once upon a", status: "incomplete", incomplete_details: { reason: "max_tokens" } },
    ],
  });
  const cut = (await fake.messages(threadId))[1]!.id;
  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  expect(await texts(body.conversation_id!)).toEqual(["write a long story", "Once upon a"]);
  expect(body.warnings).toEqual([expect.objectContaining({ code: "incomplete_message", message_id: cut })]);
});

it("resumes after the checkpoint's message was deleted at the source, without a duplicate or a loss", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("gone"), generate: 250 });
  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: "15" }, {
    between: async (done) => {
      if (done.length === 1) await fake.deleteMessage(threadId, await cursorOf(threadId)); // message 100, already migrated
    },
  });
  const t = await lookup(threadId);
  expect(t?.status).toBe("migrated");
  expect(await texts(t!.conversation_id!)).toEqual(numbered(250));
});

it("stops with a clear error when every recently migrated message was deleted", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("wiped"), generate: 250 });
  await drainQueue([{ type: "migrate_thread", thread_id: threadId }], { QUEUE_SUBREQUEST_BUDGET: "15" }, {
    between: async (done) => {
      if (done.length !== 1) return;
      const ids = (await fake.messages(threadId)).map((m) => m.id);
      for (const id of ids.slice(0, 100)) await fake.deleteMessage(threadId, id); // every message migrated so far
    },
  });
  const t = await lookup(threadId);
  expect(t).toMatchObject({ status: "failed", error: { code: "checkpoint_lost" } });
  expect(t!.error!.message).toMatch(/deleted from the thread.*cannot tell which messages are new/);
  expect(await texts(t!.conversation_id!)).toEqual(numbered(100)); // what was migrated stays, once
});
