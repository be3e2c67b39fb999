// Contract §6.2, shape 2: raw v2 thread.message lines migrate into exactly the conversation a live
// thread of the same content gives, read from R2 (no Assistants call), at the minimal writes.
import { beforeEach, expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { migrate, settled, uniqueThreadId } from "../support/ferry";
import { ingested, itemsOf, ndjson, postExport, text, v2Message } from "../support/exports";

beforeEach(() => fake.reset());

const cite = (file_id: string, start_index: number) => ({ type: "file_citation", text: "【0†src】", file_citation: { file_id }, start_index, end_index: start_index + 7 });

it("v2 message lines become the same items as the live thread, from R2 and the target only", async () => {
  const report = await fake.createFile("report.pdf");
  const image = await fake.createFile("chart.png");
  const content = [
    { role: "user" as const, content: [text("look at these"), { type: "image_url", image_url: { url: "https://img.test/a.png" } }, { type: "image_file", image_file: { file_id: image, detail: "high" } }] },
    { role: "assistant" as const, content: [text("per the report【0†src】", [cite(report, 14)]), { type: "image_file", image_file: { file_id: "file-chart" } }] },
    { role: "assistant" as const, content: [{ type: "refusal", refusal: "I can't help with that." }] },
    { role: "user" as const, content: [] },
    { role: "user" as const, content: "thanks" },
  ];
  const live = await fake.createThread({ id: uniqueThreadId("live"), messages: content });
  const { body: liveThread } = await migrate(live);
  expect(liveThread.status).toBe("migrated");
  await fake.clearCalls();

  const threadId = uniqueThreadId("v2");
  const { res, body } = await postExport(ndjson(content.map((m, i) => v2Message(threadId, i + 1, m))));
  expect(res.status).toBe(202);
  expect(body).toMatchObject({ object: "export", status: "ingesting" });
  expect(await ingested(body.id)).toMatchObject({ status: "ingested", threads_found: 1, threads_registered: 1, already_known: 0, lines_rejected: 0, rejections: [] });

  const t = await settled(threadId);
  expect(t).toMatchObject({ status: "migrated", source: "export", messages_migrated: liveThread.messages_migrated });
  expect(t.warnings.map((w) => w.code).sort()).toEqual(liveThread.warnings.map((w) => w.code).sort());
  const [exported, original] = [await fake.conversation(t.conversation_id!), await fake.conversation(liveThread.conversation_id!)];
  expect(itemsOf(exported.items)).toEqual(itemsOf(original.items));
  expect(exported.metadata).toEqual({ assistants_thread_id: threadId });

  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.thread]).toBeUndefined();
  expect(byRoute[ROUTES.messages]).toBeUndefined();
  expect(byRoute[ROUTES.create]).toBe(1);
  expect(byRoute[ROUTES.file]).toBe(2); // the cited file for its name, the user's image on the target
});
