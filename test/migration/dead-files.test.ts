// One deleted file never fails a write forever (contract §4.1, §4.6): the target refuses an item
// naming a file it does not hold (the fake answers as the strict real API would, a 400 naming the
// part); ferry takes the file out of every item — an image becomes a text pointer, an annotation
// is dropped — and sends the write again.
import { beforeEach, expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { migrate, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

const text = (value: string, annotations: unknown[] = []) => ({ type: "text", text: { value, annotations } });

it("an image of a deleted file becomes a pointer, a path to one loses its annotation, and the writes go through", async () => {
  const threadId = await fake.createThread({
    id: uniqueThreadId("dead"),
    messages: [
      { role: "user", content: [text("see"), { type: "image_file", image_file: { file_id: "file-deleted", detail: "auto" } }] },
      { role: "assistant", content: [text("saved to out.csv", [{ type: "file_path", text: "out.csv", start_index: 9, end_index: 16, file_path: { file_id: "file-gone" } }])] },
      ...Array.from({ length: 20 }, (_, i) => ({ role: "user" as const, content: [text(`more ${i}`), { type: "image_file", image_file: { file_id: "file-deleted" } }] })),
    ],
  });
  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");

  const [first, second, third] = (await fake.conversation(body.conversation_id!)).items;
  expect(first!.content).toMatchObject([{ type: "input_text", text: "see" }, { type: "input_text", text: "[image: file-deleted]" }]);
  expect(second!.content).toMatchObject([{ type: "output_text", text: "saved to out.csv", annotations: [] }]);
  expect(third!.content).toMatchObject([{ type: "input_text", text: "more 0" }, { type: "input_text", text: "[image: file-deleted]" }]);
  expect(new Set(body.warnings.map((w) => w.code))).toEqual(new Set(["file_missing"]));

  // One refused create per dead file, then the writes of the minimum: the second write was cleaned before it was sent.
  const { byRoute, calls } = await fake.calls();
  expect(calls.filter((c) => c.status === 400).map((c) => c.route)).toEqual([ROUTES.create, ROUTES.create]);
  expect(byRoute[ROUTES.create]).toBe(3);
  expect(byRoute[ROUTES.append]).toBe(1);
});
