// Every kind of content through the strict fake: what the API would reject never reaches it.
import { beforeEach, expect, it } from "vitest";
import { expectUsable, fake, ROUTES } from "../support/fake";
import { migrate, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

const text = (value: string, annotations: unknown[] = []) => ({ type: "text", text: { value, annotations } });
const cite = (file_id: string, start_index: number) => ({ type: "file_citation", text: "【0†src】", file_citation: { file_id }, start_index, end_index: start_index + 7 });

it("migrates every part type, resolving each cited filename once", async () => {
  const report = await fake.createFile("report.pdf");
  await fake.createFile("image.png", "file-img");
  const threadId = await fake.createThread({
    id: uniqueThreadId("content"),
    metadata: { plan: "pro" },
    messages: [
      { role: "user", content: [text("look at these"), { type: "image_url", image_url: { url: "https://img.test/a.png" } }, { type: "image_file", image_file: { file_id: "file-img", detail: "high" } }] },
      { role: "assistant", content: [text("per the report【0†src】", [cite(report, 14)]), { type: "image_file", image_file: { file_id: "file-chart" } }] },
      { role: "assistant", content: [text("again【0†src】 and gone【0†src】", [cite(report, 5), cite("file-deleted", 21)])] },
      { role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] },
      { role: "user", content: [] },
    ],
  });

  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  expect(body.messages_migrated).toBe(4);
  const items = (await fake.conversation(body.conversation_id!)).items;
  expect(items.map((i) => [i.role, (i.content as { type: string }[]).map((p) => p.type)])).toEqual([
    ["user", ["input_text", "input_image", "input_image"]],
    ["assistant", ["output_text", "output_text"]],
    ["assistant", ["output_text"]],
    ["assistant", ["refusal"]],
  ]);
  expect(items[1]!.content).toMatchObject([
    { annotations: [{ type: "file_citation", file_id: report, filename: "report.pdf", index: 14 }] },
    { text: "[image: file-chart]", annotations: [] },
  ]);
  expect(body.warnings.map((w) => w.code).sort()).toEqual(["assistant_image_replaced", "citation_file_missing", "empty_message"]);

  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.file]).toBe(2); // report.pdf once despite two citations, and the deleted file
  await expectUsable(body.conversation_id!);
});

it("thread metadata the conversation cannot hold is kept by ferry with a warning", async () => {
  const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, `v${i}`]));
  const threadId = await fake.createThread({ id: uniqueThreadId("meta"), metadata, generate: 1 });
  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  expect((await fake.conversation(body.conversation_id!)).metadata).toEqual(metadata);
  expect(body.warnings.map((w) => w.code)).toEqual(["metadata_no_room_for_thread_id"]);
});
