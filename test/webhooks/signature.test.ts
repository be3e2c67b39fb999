// Standard Webhooks verification (contract §2): only signed, fresh, first-time deliveries change anything.
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { stateSnapshot, lookup, uniqueThreadId } from "../support/ferry";
import { accessed, deliver, OTHER_SECRET, SECRET } from "../support/webhook";

beforeEach(() => fake.reset());

it("a good delivery registers the thread and answers 202 without calling OpenAI", async () => {
  const threadId = uniqueThreadId("hook");
  const res = await deliver({ body: accessed(threadId) });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ received: true, duplicate: false });
  expect(await lookup(threadId)).not.toBeNull();
  expect((await fake.calls()).total).toBe(0);
});

it("a delivery signed with the old and the new secret passes during rotation", async () => {
  const res = await deliver({ body: accessed(uniqueThreadId("rot")), secrets: [OTHER_SECRET, SECRET] });
  expect(res.status).toBe(202);
});

it("a replayed webhook-id is a 202 no-op", async () => {
  const threadId = uniqueThreadId("replay");
  const id = `msg_replay_${threadId}`;
  expect((await deliver({ id, body: accessed(threadId) })).status).toBe(202);
  const before = await stateSnapshot();
  const again = await deliver({ id, body: accessed(threadId) });
  expect(again.status).toBe(202);
  expect(await again.json()).toEqual({ received: true, duplicate: true });
  expect(await stateSnapshot()).toEqual(before);
});

const fiveMinutesAndABit = 5 * 60 * 1000 + 10_000;
const refused: [string, Parameters<typeof deliver>[0], number, string][] = [
  ["signed with another secret", { body: accessed("thread_x1"), secrets: [OTHER_SECRET] }, 401, "invalid_signature"],
  ["a tampered body", { raw: JSON.stringify(accessed("thread_x2")), signature: "v1,bm90IGEgc2lnbmF0dXJl" }, 401, "invalid_signature"],
  ["no signature", { body: accessed("thread_x3"), signature: "" }, 401, "invalid_signature"],
  ["stale (over 5 minutes old)", { body: accessed("thread_x4"), at: new Date(Date.now() - fiveMinutesAndABit) }, 401, "invalid_signature"],
  ["from the future", { body: accessed("thread_x5"), at: new Date(Date.now() + fiveMinutesAndABit) }, 401, "invalid_signature"],
  ["signed but not JSON", { raw: "thread_x6" }, 400, "invalid_request"],
  ["signed, wrong event type", { body: { type: "thread.deleted", data: { thread_id: "thread_x7" } } }, 400, "invalid_request"],
  ["signed, malformed thread id", { body: accessed("asst_x8") }, 400, "invalid_id"],
  ["signed, no data", { body: { type: "thread.accessed" } }, 400, "invalid_request"],
];

it.each(refused)("%s → refused, nothing changed", async (_, delivery, status, code) => {
  const before = await stateSnapshot();
  const res = await deliver(delivery);
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  expect(await stateSnapshot()).toEqual(before);
  expect((await fake.calls()).total).toBe(0);
});
