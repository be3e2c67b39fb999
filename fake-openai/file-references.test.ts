// Files an item names must exist in the fake's file store (README "Decisions"): input images and
// files, file citations and file paths, in messages and in tool outputs.
import { beforeEach, describe, expect, it } from "vitest";
import { api, ctl } from "./http-client";

const text = (annotations: unknown[]) => ({ type: "output_text", text: "See the handbook.", annotations });
const citation = (file_id: string) => ({ type: "file_citation", file_id, filename: "handbook.pdf", index: 3 });

beforeEach(async () => {
  await ctl("POST", "/reset");
  await ctl("POST", "/files", { files: [{ id: "file-known", filename: "handbook.pdf" }] });
});

describe("file references in items", () => {
  it.each([
    ["an image file", { role: "user", content: [{ type: "input_text", text: "x" }, { type: "input_image", file_id: "file-gone", detail: "auto" }] }, "items[1].content[1].file_id"],
    ["an input file", { role: "user", content: [{ type: "input_file", file_id: "file-gone" }] }, "items[1].content[0].file_id"],
    ["a file citation", { role: "assistant", content: [text([]), text([citation("file-known"), citation("file-gone")])] }, "items[1].content[1].annotations[1].file_id"],
    ["a file path", { role: "assistant", content: [text([{ type: "file_path", file_id: "file-gone", index: 0 }])] }, "items[1].content[0].annotations[0].file_id"],
    ["an image in a tool output", { type: "function_call_output", call_id: "c", output: [{ type: "input_image", file_id: "file-gone" }] }, "items[1].output[0].file_id"],
  ])("rejects %s naming no file, on create and append, storing nothing", async (_name, item, param) => {
    const items = [{ role: "user", content: "fine" }, item];
    const expected = { type: "invalid_request_error", param, code: "file_not_found", message: `Invalid '${param}': no file found with id 'file-gone'.` };
    const create = await api("POST", "/conversations", { items });
    expect(create.status).toBe(400);
    expect(create.body.error).toEqual(expected);
    expect((await ctl("GET", "/conversations")).data).toEqual([]);

    const conv = (await api("POST", "/conversations", {})).body.id;
    const add = await api("POST", `/conversations/${conv}/items`, { items });
    expect(add.body.error).toEqual(expected);
    expect((await ctl("GET", `/conversations/${conv}`)).items).toEqual([]);
  });

  it("accepts files that exist; container file citations name container files and are not looked up", async () => {
    const res = await api("POST", "/conversations", {
      items: [
        { role: "user", content: [{ type: "input_image", file_id: "file-known", detail: "low" }] },
        {
          role: "assistant",
          content: [
            text([
              citation("file-known"),
              { type: "container_file_citation", container_id: "cntr_1", file_id: "cfile_1", filename: "out.csv", start_index: 0, end_index: 3 },
            ]),
          ],
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it("caps a file id at 64 characters, as the real API does", async () => {
    const res = await api("POST", "/conversations", { items: [{ role: "user", content: [{ type: "input_image", file_id: "f".repeat(65), detail: "auto" }] }] });
    expect(res.body.error).toMatchObject({ param: "items[0].content[0].file_id", code: "string_above_max_length" });
  });
});
