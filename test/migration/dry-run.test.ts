// Contract §7.3: a dry run makes the reads a migration would make and no write at all — no
// conversation, no D1 row (in any table), no queue message — and says exactly what the migration
// will then write, and at what cost.
import { beforeEach, expect, it } from "vitest";
import type { MigrationPreview } from "../../src/handlers/http/schemas";
import { fake, minimumCalls, ROUTES } from "../support/fake";
import { api, migrate, stateSnapshot, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

async function preview(threadId: string) {
  const res = await api(`/v1/threads/${threadId}/migrate?dry_run=true`, { method: "POST" });
  return { res, body: (await res.json()) as MigrationPreview };
}

/** Everything outside ferry's own state that a migration would change. */
const world = async () => ({ state: await stateSnapshot(), conversations: await fake.conversations() });

it("writes nothing anywhere and predicts the migration's items, writes and calls exactly", async () => {
  const report = await fake.createFile("report.pdf");
  const threadId = await fake.createThread({
    id: uniqueThreadId("dry"),
    metadata: { team: "support" },
    messages: [
      { role: "user", content: [{ type: "text", text: { value: "look", annotations: [] } }, { type: "image_url", image_url: { url: "https://img.test/a.png" } }] },
      { role: "assistant", content: [{ type: "text", text: { value: "see【0】", annotations: [{ type: "file_citation", text: "【0】", start_index: 3, end_index: 6, file_citation: { file_id: report } }] } }] },
      { role: "assistant", content: [{ type: "image_url", image_url: { url: "https://img.test/b.png" } }] },
      ...Array.from({ length: 42 }, (_, i) => ({ role: i % 2 ? ("assistant" as const) : ("user" as const), content: `more ${i}` })),
    ],
  });
  await fake.clearCalls();
  const before = await world();

  const { res, body } = await preview(threadId);
  expect(res.status).toBe(200);
  expect(await world()).toEqual(before);
  const reads = await fake.calls();
  expect(reads.calls.every((c) => c.method === "GET")).toBe(true);
  expect(body).toMatchObject({ object: "migration_preview", thread_id: threadId, item_count: 45, complete: true });
  expect(body.warnings.map((w) => w.code)).toEqual(["assistant_image_replaced"]);

  await fake.clearCalls();
  const migrated = (await migrate(threadId)).body;
  // What the migration wrote is what the preview showed (the API adds ids, statuses and defaults).
  const written = (await fake.conversation(migrated.conversation_id!)).items;
  expect(written).toHaveLength(body.items.length);
  expect(written).toMatchObject(body.items);
  const { total, byRoute } = await fake.calls();
  expect(body.writes).toBe((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0));
  expect(body.writes).toBe(minimumCalls(45).writes);
  expect(body.calls).toBe(total);
  expect(body.calls).toBe(reads.total + body.writes);
});

it("shows only the first 100 items and counts the rest; a thread ferry never saw stays unknown", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("drylong"), generate: 250 });
  const before = await world();
  const { body } = await preview(threadId);
  expect(body.items).toHaveLength(100);
  expect(body).toMatchObject({ item_count: 250, writes: 13, complete: true });
  expect(await world()).toEqual(before);
  expect((await api(`/v1/threads/${threadId}`)).status).toBe(404);
});

it("a thread the source no longer has: 404 source_unavailable, nothing changed", async () => {
  const before = await world();
  const { res, body } = await preview(uniqueThreadId("drygone"));
  expect(res.status).toBe(404);
  expect((body as unknown as { error: { code: string } }).error.code).toBe("source_unavailable");
  expect(await world()).toEqual(before);
});

it("past the request's budget the preview says it is incomplete instead of failing", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("drybig"), generate: 6_000 });
  const { body } = await preview(threadId);
  expect(body.complete).toBe(false);
  expect(body.item_count).toBeGreaterThan(0);
  expect(body.item_count).toBeLessThan(6_000);
});
