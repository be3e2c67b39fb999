// Contract §4.1 under OpenAI failures: a write that landed but answered 500, one that did not land,
// a hang past the timeout, and rate limits. The conversation must hold every message exactly once.
import { beforeEach, expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { migrate, settled, uniqueThreadId } from "../support/ferry";

const APPEND = "^/v1/conversations/[^/]+/items$";
const CREATE = "^/v1/conversations$";

beforeEach(() => fake.reset());

async function migrateAndCheck(n: number) {
  const threadId = await fake.createThread({ id: uniqueThreadId("f"), generate: n });
  const first = await migrate(threadId);
  const result = first.res.status === 202 ? await settled(threadId) : first.body;
  expect(result.status).toBe("migrated");
  const conversation = await fake.conversation(result.conversation_id!);
  const texts = conversation.items.map((i) => (i.content as { text: string }[])[0]!.text);
  expect(texts).toEqual(Array.from({ length: n }, (_, i) => `message ${i + 1}`));
  expect(result.messages_migrated).toBe(n);
  return { result, first };
}

it("an append that landed but answered 500 is reconciled, not repeated", async () => {
  await fake.addFaults({ method: "POST", path: APPEND, status: 500, commit: true, skip: 1 });
  await migrateAndCheck(75);
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.items]).toBe(1); // one look at the conversation after the ambiguous answer
  expect(byRoute[ROUTES.append]).toBe(3); // the ambiguous write was not sent again
});

it("an append of images that landed but answered 500 is recognised by its image URLs, not repeated", async () => {
  // Item listings leave image URLs out unless asked (spec: include message.input_image.image_url).
  const threadId = await fake.createThread({
    id: uniqueThreadId("img"),
    messages: Array.from({ length: 30 }, (_, i) => ({
      role: "user" as const,
      content: [{ type: "image_url", image_url: { url: `https://img.test/${i}.png`, detail: "low" } }],
    })),
  });
  await fake.addFaults({ method: "POST", path: APPEND, status: 500, commit: true });
  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  const items = (await fake.conversation(body.conversation_id!)).items;
  expect(items.map((i) => (i.content as { image_url: string }[])[0]!.image_url)).toEqual(Array.from({ length: 30 }, (_, i) => `https://img.test/${i}.png`));
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.items]).toBe(1);
  expect(byRoute[ROUTES.append]).toBe(1);
});

it("an append that failed without landing is sent again after checking", async () => {
  await fake.addFaults({ method: "POST", path: APPEND, status: 503 });
  await migrateAndCheck(45);
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.items]).toBe(1);
  expect(byRoute[ROUTES.append]).toBe(3);
});

it("an append that hangs past the timeout and lands is not duplicated", async () => {
  await fake.addFaults({ method: "POST", path: APPEND, commit: true, hangMs: 3_000 });
  await migrateAndCheck(41);
});

it("the first items after a create are reconciled without item ids", async () => {
  // The append right after the create is ambiguous; the create returned no item ids to list after.
  await fake.addFaults({ method: "POST", path: APPEND, status: 500, commit: true });
  await migrateAndCheck(40);
});

it("a create that landed but answered 500 leaves the recorded conversation exact and says so", async () => {
  await fake.addFaults({ method: "POST", path: CREATE, status: 500, commit: true });
  const { result } = await migrateAndCheck(30);
  // No API finds a conversation by anything but its id, so the landed one cannot be reused.
  expect(result.warnings.map((w) => w.code)).toContain("possible_orphan_conversation");
  const conversations = await fake.conversations();
  expect(conversations.filter((c) => c.id === result.conversation_id)).toHaveLength(1);
  expect(conversations).toHaveLength(2);
});

it("429 with Retry-After is waited out and the migration succeeds", async () => {
  await fake.addFaults({ method: "POST", path: APPEND, status: 429, retryAfter: 1, times: 2 });
  await fake.addFaults({ method: "GET", path: "^/v1/threads/[^/]+/messages$", status: 429, retryAfter: 1 });
  const { first } = await migrateAndCheck(60);
  expect(first.res.status).toBe(200);
  const { calls } = await fake.calls();
  expect(calls.filter((c) => c.status === 429)).toHaveLength(3);
});

it("a Retry-After too long to wait in a request hands the thread to the queue with that delay", async () => {
  await fake.addFaults({ method: "POST", path: APPEND, status: 429, retryAfter: 6 });
  const { first } = await migrateAndCheck(30);
  expect(first.res.status).toBe(202);
  expect(first.res.headers.get("retry-after")).toBe("6");
  expect(first.body.status).toBe("migrating");
});

it("repeated 5xx on reads end the request with the progress kept, and the queue finishes later", async () => {
  await fake.addFaults({ method: "GET", path: "^/v1/threads/[^/]+/messages$", status: 502, times: 3, skip: 1 });
  const { first } = await migrateAndCheck(150);
  expect(first.res.status).toBe(202);
  expect(first.body.messages_migrated).toBe(100);
}, 60_000);
