// Contract §4.4: 404/410 from the Assistants API marks the thread source_unavailable, without retry storms.
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { lookup, migrate, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

it("a thread the source no longer has is source_unavailable, with a clear error", async () => {
  const threadId = uniqueThreadId("gone");
  const { res, body } = await migrate(threadId);
  expect(res.status).toBe(200);
  expect(body.status).toBe("source_unavailable");
  expect(body.conversation_id).toBeNull();
  expect(body.error).toMatchObject({ code: "source_unavailable" });
  expect(body.error!.message).toContain("404");
  const { total } = await fake.calls();
  expect(total).toBe(1); // one thread read, no retries, nothing written
  expect(await lookup(threadId)).toMatchObject({ status: "source_unavailable" });
});

it("a shut-down Assistants API (410) is source_unavailable too, and lookups keep working", async () => {
  const migrated = await fake.createThread({ id: uniqueThreadId("before"), generate: 2 });
  expect((await migrate(migrated)).body.status).toBe("migrated");
  const pending = await fake.createThread({ id: uniqueThreadId("after"), generate: 2 });

  await fake.configure({ assistantsGone: 410 });
  const { body } = await migrate(pending);
  expect(body.status).toBe("source_unavailable");
  expect(body.error!.message).toContain("410");
  expect(await lookup(migrated)).toMatchObject({ status: "migrated", messages_migrated: 2 });
});

it("a thread deleted mid-migration keeps what was written and says why it stopped", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("mid"), generate: 150 });
  await fake.addFaults({ method: "GET", path: "^/v1/threads/[^/]+/messages$", status: 404, skip: 1 });
  const { body } = await migrate(threadId);
  expect(body.status).toBe("source_unavailable");
  expect(body.messages_migrated).toBe(100);
  expect((await fake.conversation(body.conversation_id!)).items).toHaveLength(100);
});

it("asking again for a source_unavailable thread tries the source once more", async () => {
  const threadId = uniqueThreadId("back");
  expect((await migrate(threadId)).body.status).toBe("source_unavailable");
  await fake.createThread({ id: threadId, generate: 4 }); // the operator pointed ferry at a host that has it
  const { body } = await migrate(threadId);
  expect(body).toMatchObject({ status: "migrated", messages_migrated: 4, error: null });
});
