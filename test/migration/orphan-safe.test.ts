// ORPHAN_SAFE_CREATE=true (contract §1): conversations are created empty and every item appended,
// so a create that landed unrecorded leaves an orphan that holds none of the user's messages — at
// one write more per thread (§4.2's minimum gains 1).
import { beforeEach, describe, expect, it } from "vitest";
import { fake, minimumCalls, ROUTES } from "../support/fake";
import { api, uniqueThreadId } from "../support/ferry";
import type { ThreadMigration } from "../../src/handlers/http/schemas";

const ORPHAN_SAFE = { ORPHAN_SAFE_CREATE: "true" };

beforeEach(() => fake.reset());

async function migrateSafely(threadId: string) {
  const res = await api(`/v1/threads/${threadId}/migrate`, { method: "POST", env: ORPHAN_SAFE });
  expect(res.status).toBe(200);
  return (await res.json()) as ThreadMigration;
}

const texts = (items: { content: unknown }[]) => items.map((i) => (i.content as { text: string }[])[0]!.text);

describe.each([0, 1, 20, 21, 45])("a thread of %i messages", (n) => {
  it("migrates exactly, with one write more than the minimum", async () => {
    const threadId = await fake.createThread({ id: uniqueThreadId(`safe${n}`), metadata: { team: "a" }, generate: n });
    const result = await migrateSafely(threadId);
    expect(result).toMatchObject({ status: "migrated", messages_migrated: n });
    const conversation = await fake.conversation(result.conversation_id!);
    expect(texts(conversation.items)).toEqual(Array.from({ length: n }, (_, i) => `message ${i + 1}`));
    expect(conversation.metadata).toEqual({ team: "a", assistants_thread_id: threadId });

    const { byRoute } = await fake.calls();
    const min = minimumCalls(n, 0, true);
    expect(byRoute[ROUTES.create]).toBe(1);
    expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(min.writes);
  });
});

it("a create that landed but answered 500 leaves an orphan holding no message", async () => {
  await fake.addFaults({ method: "POST", path: "^/v1/conversations$", status: 500, commit: true });
  const threadId = await fake.createThread({ id: uniqueThreadId("safeorphan"), generate: 30 });
  const result = await migrateSafely(threadId);
  expect(result.status).toBe("migrated");
  expect(result.warnings.map((w) => w.code)).toContain("possible_orphan_conversation");

  const conversations = await fake.conversations();
  expect(conversations).toHaveLength(2);
  const [orphan] = conversations.filter((c) => c.id !== result.conversation_id);
  expect(orphan!.items).toEqual([]);
  const recorded = await fake.conversation(result.conversation_id!);
  expect(texts(recorded.items)).toEqual(Array.from({ length: 30 }, (_, i) => `message ${i + 1}`));
});
