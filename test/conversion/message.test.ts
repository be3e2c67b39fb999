import type { Annotation } from "openai/resources/beta/threads/messages";
import { describe, expect, it } from "vitest";
import { citedFileIds, convertMessage, type FilenameLookup } from "../../src/conversion/message";
import type { ConversationItem, SourceMessage, SourcePart, WarningCode } from "../../src/conversion/types";

// ---------------------------------------------------------------------------------------------
// Builders for Assistants messages (openai SDK `Message` shapes).
// ---------------------------------------------------------------------------------------------

let nextId = 0;
const message = (role: SourceMessage["role"], content: SourcePart[]): SourceMessage => ({
  id: `msg_${++nextId}`,
  role,
  content,
  attachments: null,
});
const user = (...parts: SourcePart[]) => message("user", parts);
const assistant = (...parts: SourcePart[]) => message("assistant", parts);

const text = (value: string, annotations: Annotation[] = []): SourcePart => ({ type: "text", text: { value, annotations } });
type Detail = "auto" | "low" | "high";
const imageUrl = (url: string, detail?: Detail): SourcePart => ({
  type: "image_url",
  image_url: detail ? { url, detail } : { url },
});
const imageFile = (file_id: string, detail?: Detail): SourcePart => ({
  type: "image_file",
  image_file: detail ? { file_id, detail } : { file_id },
});
const refusal = (value: string): SourcePart => ({ type: "refusal", refusal: value });
/** A part type the SDK does not know (the API may add new ones). */
const unknownPart = (type = "video_url"): SourcePart => ({ type, [type]: { url: "https://x.test/v.mp4" } }) as unknown as SourcePart;

const cite = (file_id: string, start_index: number, end_index = start_index + 12): Annotation => ({
  type: "file_citation",
  file_citation: { file_id },
  start_index,
  end_index,
  text: "【4:0†source】",
});
const filePath = (file_id: string, start_index: number, end_index = start_index + 24): Annotation => ({
  type: "file_path",
  file_path: { file_id },
  start_index,
  end_index,
  text: "sandbox:/mnt/data/out.csv",
});

const FILENAMES: FilenameLookup = new Map([
  ["file-report", "report.pdf"],
  ["file-notes", "notes.md"],
]);

/** [rule, row] pairs, so a test title shows the whole rule (vitest cuts "$rule" at 40 chars). */
const byRule = <T extends { rule: string }>(rows: T[]): [string, T][] => rows.map((row) => [row.rule, row]);

// ---------------------------------------------------------------------------------------------
// One row per rule of contract §3.
// ---------------------------------------------------------------------------------------------

interface Row {
  rule: string;
  source: SourceMessage;
  item: ConversationItem | null;
  /** Warning codes in the order they are raised; each must carry the source message's id. */
  warnings: WarningCode[];
  filenames?: FilenameLookup;
}

const rows: Row[] = [
  {
    rule: "user text → input_text",
    source: user(text("hello there")),
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "hello there" }] },
    warnings: [],
  },
  {
    rule: "user image_url → input_image with detail defaulting to auto",
    source: user(imageUrl("https://img.test/cat.png")),
    item: {
      type: "message",
      role: "user",
      content: [{ type: "input_image", image_url: "https://img.test/cat.png", detail: "auto" }],
    },
    warnings: [],
  },
  ...(["low", "high", "auto"] as const).map(
    (detail): Row => ({
      rule: `user image_url keeps detail '${detail}'`,
      source: user(imageUrl("https://img.test/dog.png", detail)),
      item: { type: "message", role: "user", content: [{ type: "input_image", image_url: "https://img.test/dog.png", detail }] },
      warnings: [],
    }),
  ),
  {
    rule: "user image_file → input_image{file_id} with detail defaulting to auto",
    source: user(imageFile("file-img1")),
    item: { type: "message", role: "user", content: [{ type: "input_image", file_id: "file-img1", detail: "auto" }] },
    warnings: [],
  },
  ...(["low", "high"] as const).map(
    (detail): Row => ({
      rule: `user image_file keeps detail '${detail}'`,
      source: user(imageFile("file-img2", detail)),
      item: { type: "message", role: "user", content: [{ type: "input_image", file_id: "file-img2", detail }] },
      warnings: [],
    }),
  ),
  {
    rule: "assistant text → output_text with file_citation mapped (filename from the lookup, index = start_index)",
    source: assistant(text("See the report【4:0†source】.", [cite("file-report", 14)])),
    item: {
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "See the report【4:0†source】.",
          annotations: [{ type: "file_citation", file_id: "file-report", filename: "report.pdf", index: 14 }],
        },
      ],
    },
    warnings: [],
  },
  {
    rule: "assistant text → output_text with file_path mapped (index = start_index)",
    source: assistant(text("Download sandbox:/mnt/data/out.csv", [filePath("file-out", 9)])),
    item: {
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "Download sandbox:/mnt/data/out.csv",
          annotations: [{ type: "file_path", file_id: "file-out", index: 9 }],
        },
      ],
    },
    warnings: [],
  },
  {
    rule: "assistant text with several annotations keeps their order",
    source: assistant(text("a【1】 b【2】 c", [cite("file-notes", 1), filePath("file-out", 5), cite("file-report", 9)])),
    item: {
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "a【1】 b【2】 c",
          annotations: [
            { type: "file_citation", file_id: "file-notes", filename: "notes.md", index: 1 },
            { type: "file_path", file_id: "file-out", index: 5 },
            { type: "file_citation", file_id: "file-report", filename: "report.pdf", index: 9 },
          ],
        },
      ],
    },
    warnings: [],
  },
  {
    rule: "assistant text with no annotations → annotations: []",
    source: assistant(text("plain answer")),
    item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "plain answer", annotations: [] }] },
    warnings: [],
  },
  {
    rule: "assistant image_url → output_text '[image: <url>]' + assistant_image_replaced",
    source: assistant(imageUrl("https://img.test/chart.png", "high")),
    item: {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "[image: https://img.test/chart.png]", annotations: [] }],
    },
    warnings: ["assistant_image_replaced"],
  },
  {
    rule: "assistant image_file → output_text '[image: <file_id>]' + assistant_image_replaced",
    source: assistant(imageFile("file-plot")),
    item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "[image: file-plot]", annotations: [] }] },
    warnings: ["assistant_image_replaced"],
  },
  {
    rule: "assistant refusal → refusal",
    source: assistant(refusal("I can't help with that.")),
    item: { type: "message", role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] },
    warnings: [],
  },
  {
    rule: "user refusal → dropped with unsupported_content, the rest is kept",
    source: user(text("before"), refusal("no"), text("after")),
    item: {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "before" },
        { type: "input_text", text: "after" },
      ],
    },
    warnings: ["unsupported_content"],
  },
  {
    rule: "unknown part type on an assistant message → dropped with unsupported_content",
    source: assistant(text("kept"), unknownPart()),
    item: { type: "message", role: "assistant", content: [{ type: "output_text", text: "kept", annotations: [] }] },
    warnings: ["unsupported_content"],
  },
  {
    rule: "user message with empty content → null + empty_message",
    source: user(),
    item: null,
    warnings: ["empty_message"],
  },
  {
    rule: "assistant message with empty content → null + empty_message",
    source: assistant(),
    item: null,
    warnings: ["empty_message"],
  },
  {
    rule: "user message whose only part is a refusal → null + unsupported_content + empty_message",
    source: user(refusal("no")),
    item: null,
    warnings: ["unsupported_content", "empty_message"],
  },
  {
    rule: "user message whose only part is an unknown type → null + unsupported_content + empty_message",
    source: user(unknownPart("audio")),
    item: null,
    warnings: ["unsupported_content", "empty_message"],
  },
  {
    rule: "assistant message whose only part is an unknown type → null + unsupported_content + empty_message",
    source: assistant(unknownPart()),
    item: null,
    warnings: ["unsupported_content", "empty_message"],
  },
  {
    rule: "cited file missing from the lookup → citation dropped, text kept + citation_file_missing",
    source: assistant(text("gone【0】", [cite("file-gone", 4)])),
    item: {
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "gone【0】",
          annotations: [],
        },
      ],
    },
    warnings: ["citation_file_missing"],
  },
  {
    rule: "missing cited file with an empty lookup (no file read was possible)",
    filenames: new Map(),
    source: assistant(text("x【0】", [cite("file-report", 1)])),
    item: {
      type: "message",
      role: "assistant",
      content: [
        {
          type: "output_text",
          text: "x【0】",
          annotations: [],
        },
      ],
    },
    warnings: ["citation_file_missing"],
  },
  {
    rule: "annotation of a type with no conversation form → dropped + unsupported_content, text kept",
    source: assistant(
      text("see【0】", [{ type: "url_citation", start_index: 3, end_index: 6, text: "【0】" } as unknown as Annotation, filePath("file-out", 0)]),
    ),
    item: {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "see【0】", annotations: [{ type: "file_path", file_id: "file-out", index: 0 }] }],
    },
    warnings: ["unsupported_content"],
  },
  {
    rule: "user message with several parts keeps their order",
    source: user(text("one"), imageUrl("https://img.test/2.png"), imageFile("file-3", "low"), text("four")),
    item: {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: "one" },
        { type: "input_image", image_url: "https://img.test/2.png", detail: "auto" },
        { type: "input_image", file_id: "file-3", detail: "low" },
        { type: "input_text", text: "four" },
      ],
    },
    warnings: [],
  },
  {
    rule: "assistant message with several parts keeps their order (images replaced in place)",
    source: assistant(text("one"), imageUrl("https://img.test/2.png"), refusal("three"), imageFile("file-4"), text("five")),
    item: {
      type: "message",
      role: "assistant",
      content: [
        { type: "output_text", text: "one", annotations: [] },
        { type: "output_text", text: "[image: https://img.test/2.png]", annotations: [] },
        { type: "refusal", refusal: "three" },
        { type: "output_text", text: "[image: file-4]", annotations: [] },
        { type: "output_text", text: "five", annotations: [] },
      ],
    },
    warnings: ["assistant_image_replaced", "assistant_image_replaced"],
  },
  {
    rule: "empty text is still a part (not an empty message)",
    source: user(text("")),
    item: { type: "message", role: "user", content: [{ type: "input_text", text: "" }] },
    warnings: [],
  },
];

describe("convertMessage — contract §3, one row per rule", () => {
  it.each(byRule(rows))("%s", (_rule, { source, item, warnings, filenames }) => {
    const before = structuredClone(source);
    const result = convertMessage(source, filenames ?? FILENAMES);

    expect(result.item).toStrictEqual(item);
    expect(result.warnings.map((w) => w.code)).toEqual(warnings);
    for (const w of result.warnings) {
      expect(w.message_id).toBe(source.id);
      expect(w.detail).toEqual(expect.any(String));
      expect(w.detail.length).toBeGreaterThan(0);
    }
    // The source message is read, never changed.
    expect(source).toStrictEqual(before);
  });
});

describe("convertMessage — invariants over every row", () => {
  const converted = rows.map((row) => ({ row, rule: row.rule, item: convertMessage(row.source, row.filenames ?? FILENAMES).item }));

  it.each(byRule(converted.filter((c) => c.item?.role === "assistant")))("assistant item carries no id/status: %s", (_rule, { item }) => {
    expect(Object.keys(item!).sort()).toEqual(["content", "role", "type"]);
    expect(item).not.toHaveProperty("id");
    expect(item).not.toHaveProperty("status");
  });

  it.each(byRule(converted.filter((c) => c.item !== null)))("item role matches the source role: %s", (_rule, { row, item }) => {
    expect(item!.type).toBe("message");
    expect(item!.role).toBe(row.source.role);
  });

  it.each(byRule(converted.filter((c) => c.item?.role === "user")))("user item holds only input_* parts: %s", (_rule, { item }) => {
    for (const part of item!.content) expect(["input_text", "input_image"]).toContain(part.type);
  });

  it.each(byRule(converted.filter((c) => c.item?.role === "assistant")))(
    "assistant item holds only output_text/refusal parts: %s",
    (_rule, { item }) => {
      for (const part of item!.content) expect(["output_text", "refusal"]).toContain(part.type);
    },
  );

  it("covers both roles and null items", () => {
    expect(converted.some((c) => c.item?.role === "user")).toBe(true);
    expect(converted.some((c) => c.item?.role === "assistant")).toBe(true);
    expect(converted.some((c) => c.item === null)).toBe(true);
  });
});

describe("convertMessage — warning details", () => {
  it("assistant_image_replaced says what replaced the image", () => {
    const source = assistant(imageUrl("https://img.test/a.png"));
    const [w] = convertMessage(source, FILENAMES).warnings;
    expect(w).toMatchObject({ code: "assistant_image_replaced", message_id: source.id });
    expect(w!.detail).toContain("[image: https://img.test/a.png]");
  });

  it("citation_file_missing names the missing file", () => {
    const [w] = convertMessage(assistant(text("x", [cite("file-zzz", 0)])), FILENAMES).warnings;
    expect(w!.detail).toContain("file-zzz");
  });

  it("unsupported_content names the dropped part type", () => {
    const [w] = convertMessage(user(refusal("no")), FILENAMES).warnings;
    expect(w!.detail).toContain("refusal");
  });

  it("one citation_file_missing per missing citation, none for found ones", () => {
    const source = assistant(text("a b c", [cite("file-x", 0), cite("file-report", 2), cite("file-y", 4)]));
    const missing = convertMessage(source, FILENAMES).warnings.filter((w) => w.code === "citation_file_missing");
    expect(missing.map((w) => w.detail)).toEqual([expect.stringContaining("file-x"), expect.stringContaining("file-y")]);
  });
});

// ---------------------------------------------------------------------------------------------
// citedFileIds: the files whose names the conversion needs (one file read each, contract §4.2).
// ---------------------------------------------------------------------------------------------

describe("citedFileIds", () => {
  it.each(
    byRule<{ rule: string; messages: SourceMessage[]; ids: string[] }>([
      { rule: "no messages → []", messages: [], ids: [] },
      { rule: "no annotations → []", messages: [assistant(text("a")), user(text("b"))], ids: [] },
      {
        rule: "file_path annotations are not citations",
        messages: [assistant(text("a", [filePath("file-p", 0)]))],
        ids: [],
      },
      {
        rule: "distinct ids in order of first appearance, across parts and messages",
        messages: [
          assistant(text("a", [cite("file-b", 0), cite("file-a", 1)]), text("b", [cite("file-b", 0)])),
          assistant(imageFile("file-img"), text("c", [cite("file-c", 0), cite("file-a", 1)])),
        ],
        ids: ["file-b", "file-a", "file-c"],
      },
      {
        rule: "user messages are ignored",
        messages: [
          user({ type: "text", text: { value: "u", annotations: [cite("file-user", 0)] } }),
          assistant(text("a", [cite("file-asst", 0)])),
        ],
        ids: ["file-asst"],
      },
      {
        rule: "non-text parts are ignored",
        messages: [assistant(imageFile("file-img"), refusal("no"), unknownPart())],
        ids: [],
      },
    ]),
  )("%s", (_rule, { messages, ids }) => {
    expect(citedFileIds(messages)).toEqual(ids);
  });

  it("after looking up every cited id, no citation_file_missing is raised", () => {
    const messages = [assistant(text("a", [cite("file-1", 0), cite("file-2", 1)])), assistant(text("b", [cite("file-1", 0)]))];
    const lookup = new Map(citedFileIds(messages).map((id) => [id, `${id}.txt`]));
    const warnings = messages.flatMap((m) => convertMessage(m, lookup).warnings);
    expect(warnings).toEqual([]);
  });
});
