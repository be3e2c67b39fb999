// A thread touched by the app migrates on its own through the real local queue.
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { enqueuedMessages, settled, uniqueThreadId } from "../support/ferry";
import { accessed, deliver } from "../support/webhook";

beforeEach(() => fake.reset());

it("webhook → queue → migrated", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("e2e"), generate: 130 });
  expect((await deliver({ body: accessed(threadId) })).status).toBe(202);
  const result = await settled(threadId);
  expect(result).toMatchObject({ status: "migrated", messages_migrated: 130 });
  expect((await fake.conversation(result.conversation_id!)).items).toHaveLength(130);
});

it("a webhook for a migrated thread enqueues nothing", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("done"), generate: 2 });
  await deliver({ body: accessed(threadId) });
  await settled(threadId);
  const sent = enqueuedMessages().length;
  expect((await deliver({ body: accessed(threadId) })).status).toBe(202);
  expect(enqueuedMessages().length).toBe(sent);
});

it("a thread whose source is gone waits for its daily retry however often it is touched", async () => {
  const threadId = uniqueThreadId("gone");
  expect((await deliver({ body: accessed(threadId) })).status).toBe(202);
  expect((await settled(threadId)).status).toBe("source_unavailable");
  const sent = enqueuedMessages().length;
  for (let i = 0; i < 3; i++) expect((await deliver({ body: accessed(threadId) })).status).toBe(202);
  expect(enqueuedMessages().length).toBe(sent);
});
