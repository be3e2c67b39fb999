import { beforeEach, describe, expect, it } from "vitest";
import { expectUsable, fake, minimumCalls, ROUTES } from "../support/fake";
import { migrate, settled, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

describe.each([0, 1, 19, 20, 21, 100, 101, 250, 2000])("a thread of %i messages", (n) => {
  it("migrates every message once, in order, with the fewest calls", async () => {
    const threadId = await fake.createThread({ id: uniqueThreadId(`n${n}`), metadata: { customer: "acme" }, generate: n });

    const first = await migrate(threadId);
    // Past one request's subrequest budget the thread continues through the queue from its checkpoint.
    expect(first.res.status).toBe(n > 300 ? 202 : 200);
    if (first.res.status === 202) expect(Number(first.res.headers.get("retry-after"))).toBeGreaterThan(0);
    const result = first.res.status === 202 ? await settled(threadId, 60_000) : first.body;

    expect(result.status).toBe("migrated");
    expect(result.messages_migrated).toBe(n);
    const conversation = await fake.conversation(result.conversation_id!);
    expect(conversation.items.map(textOf)).toEqual(Array.from({ length: n }, (_, i) => `message ${i + 1}`));
    expect(conversation.items.map((i) => i.role)).toEqual(Array.from({ length: n }, (_, i) => (i % 2 ? "assistant" : "user")));
    expect(conversation.metadata).toEqual({ customer: "acme", assistants_thread_id: threadId });
    expect(await fake.conversations()).toHaveLength(1);

    const { byRoute } = await fake.calls();
    const min = minimumCalls(n);
    expect(byRoute[ROUTES.thread]).toBe(min[ROUTES.thread]);
    expect(byRoute[ROUTES.messages]).toBe(min[ROUTES.messages]);
    expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(min.writes);
    expect(byRoute[ROUTES.create]).toBe(1);
    expect(byRoute[ROUTES.items]).toBeUndefined();
    await expectUsable(result.conversation_id!);
  });
});

function textOf(item: { content: unknown }): string {
  const [part] = item.content as { text?: string }[];
  return part?.text ?? "";
}
