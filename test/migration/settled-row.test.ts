// At scale (contract §7.4): a migrated thread's row keeps only what lookups and the export answer
// with. The ids kept to resume after a deleted cursor are dropped when it is migrated: they were
// most of a finished row's bytes (bench part 6 measures the rest).
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { fake } from "../support/fake";
import { migrate, uniqueThreadId } from "../support/ferry";

it("a migrated thread's row holds no resume ids", async () => {
  await fake.reset();
  const threadId = await fake.createThread({ id: uniqueThreadId("settled"), generate: 45 });
  expect((await migrate(threadId)).body).toMatchObject({ status: "migrated", messages_migrated: 45 });
  const row = await env.DB.prepare("select recent_message_ids, cursor from threads where thread_id = ?").bind(threadId).first<{ recent_message_ids: string; cursor: string }>();
  expect(row).toMatchObject({ recent_message_ids: "[]", cursor: expect.stringMatching(/^msg_/) });
});
