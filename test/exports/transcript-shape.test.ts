// Contract §6.2, shape 3: a flat transcript is text only. It migrates into the items a live thread
// of the same text gives, and every such thread carries lossy_export.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { migrate, settled, uniqueThreadId } from "../support/ferry";
import { ingested, itemsOf, ndjson, postExport, transcriptLine } from "../support/exports";

beforeEach(() => fake.reset());

it("transcript lines become the live thread's items, with lossy_export; a line without an id is named by its line", async () => {
  const turns = [
    ["user", "hello"],
    ["assistant", "hi, how can I help?"],
    ["user", ""],
    ["user", "the report, please"],
  ] as const;
  const { body: live } = await migrate(await fake.createThread({ id: uniqueThreadId("live"), messages: turns.map(([role, content]) => ({ role, content })) }));

  const [a, b] = [uniqueThreadId("tr"), uniqueThreadId("tr")];
  const lines = [...turns.map(([role, value], i) => transcriptLine(a, role, value, i === 0 ? "msg_given" : undefined)), transcriptLine(b, "user", "another thread", "msg_given")];
  const { body } = await postExport(ndjson(lines));
  expect(await ingested(body.id)).toMatchObject({ status: "ingested", threads_found: 2, threads_registered: 2, lines_rejected: 0 });

  const t = await settled(a);
  expect(t).toMatchObject({ status: "migrated", source: "export", messages_migrated: 4 });
  expect(itemsOf((await fake.conversation(t.conversation_id!)).items)).toEqual(itemsOf((await fake.conversation(live.conversation_id!)).items));
  expect(t.warnings).toEqual([{ code: "lossy_export", detail: expect.stringContaining("text only") }]);
  // The checkpoint names the last message migrated: a line's own id, or one named by its line number.
  const cursor = async (id: string) => (await env.DB.prepare("select cursor from threads where thread_id = ?").bind(id).first<{ cursor: string }>())!.cursor;
  expect(await cursor(a)).toBe("msg_export_L4");
  expect((await settled(b)).warnings.map((w) => w.code)).toEqual(["lossy_export"]);
  expect(await cursor(b)).toBe("msg_given");
});
