import { describe, expect, it } from "vitest";
import {
  type AttachedFiles,
  collectAttachments,
  mergeToolResources,
  noAttachedFiles,
  type SourceToolResources,
  type ToolResources,
} from "../../src/conversion/tool-resources";
import type { SourceMessage } from "../../src/conversion/types";

type Attachment = NonNullable<SourceMessage["attachments"]>[number];
type Tool = "code_interpreter" | "file_search";

let nextId = 0;
const message = (attachments: Attachment[] | null): SourceMessage => ({
  id: `msg_${++nextId}`,
  role: "user",
  content: [{ type: "text", text: { value: "see attached", annotations: [] } }],
  attachments,
});
const attach = (file_id: string | undefined, ...tools: Tool[]): Attachment => ({ file_id, tools: tools.map((type) => ({ type })) });
const attached = (file_search: string[], code_interpreter: string[]): AttachedFiles => ({ file_search, code_interpreter });

/** [rule, row] pairs, so a test title shows the whole rule (vitest cuts "$rule" at 40 chars). */
const byRule = <T extends { rule: string }>(rows: T[]): [string, T][] => rows.map((row) => [row.rule, row]);

describe("collectAttachments", () => {
  it.each(
    byRule<{ rule: string; messages: SourceMessage[]; files: AttachedFiles }>([
      { rule: "no messages → nothing", messages: [], files: attached([], []) },
      { rule: "attachments: null → nothing", messages: [message(null)], files: attached([], []) },
      { rule: "attachments: [] → nothing", messages: [message([])], files: attached([], []) },
      {
        rule: "each file goes to the list of its tool",
        messages: [message([attach("file-fs", "file_search"), attach("file-ci", "code_interpreter")])],
        files: attached(["file-fs"], ["file-ci"]),
      },
      {
        rule: "a file attached for both tools goes to both lists",
        messages: [message([attach("file-both", "file_search", "code_interpreter")])],
        files: attached(["file-both"], ["file-both"]),
      },
      {
        rule: "duplicates within and across messages are kept once, in order of first appearance",
        messages: [
          message([attach("file-b", "file_search"), attach("file-a", "file_search"), attach("file-b", "file_search")]),
          message([attach("file-c", "code_interpreter"), attach("file-a", "file_search")]),
          message([attach("file-c", "code_interpreter"), attach("file-d", "code_interpreter")]),
        ],
        files: attached(["file-b", "file-a"], ["file-c", "file-d"]),
      },
      {
        rule: "the same tool listed twice on one attachment adds the file once",
        messages: [message([attach("file-x", "code_interpreter", "code_interpreter")])],
        files: attached([], ["file-x"]),
      },
      {
        rule: "an attachment without file_id is skipped",
        messages: [message([attach(undefined, "file_search"), attach("file-ok", "file_search")])],
        files: attached(["file-ok"], []),
      },
      {
        rule: "an attachment without tools is skipped",
        messages: [message([{ file_id: "file-no-tools" }, attach("file-empty-tools")])],
        files: attached([], []),
      },
    ]),
  )("%s", (_rule, { messages, files }) => {
    expect(collectAttachments(messages, noAttachedFiles())).toEqual(files);
  });

  it("accumulates into `into` across pages without re-adding known files, and returns it", () => {
    const into = noAttachedFiles();
    const page1 = [message([attach("file-1", "file_search"), attach("file-2", "code_interpreter")])];
    const page2 = [message([attach("file-2", "code_interpreter"), attach("file-1", "file_search"), attach("file-3", "file_search")])];
    expect(collectAttachments(page1, into)).toBe(into);
    expect(collectAttachments(page2, into)).toBe(into);
    expect(into).toEqual(attached(["file-1", "file-3"], ["file-2"]));
  });

  it("does not change the messages", () => {
    const messages = [message([attach("file-1", "file_search", "code_interpreter")])];
    const before = structuredClone(messages);
    collectAttachments(messages, noAttachedFiles());
    expect(messages).toStrictEqual(before);
  });

  it("noAttachedFiles gives a fresh, empty value each time", () => {
    const a = noAttachedFiles();
    a.file_search.push("file-1");
    expect(noAttachedFiles()).toEqual(attached([], []));
  });
});

describe("mergeToolResources", () => {
  it.each(
    byRule<{ rule: string; thread: SourceToolResources | null | undefined; files: AttachedFiles; merged: ToolResources | null }>([
      { rule: "null thread, no attachments → null", thread: null, files: attached([], []), merged: null },
      { rule: "undefined thread, no attachments → null", thread: undefined, files: attached([], []), merged: null },
      { rule: "empty thread resources → null", thread: {}, files: attached([], []), merged: null },
      {
        rule: "empty lists → null",
        thread: { file_search: { vector_store_ids: [] }, code_interpreter: { file_ids: [] } },
        files: attached([], []),
        merged: null,
      },
      {
        rule: "tool entries without their lists (as the Assistants API may report them) → null",
        thread: { file_search: {}, code_interpreter: {} },
        files: attached([], []),
        merged: null,
      },
      {
        rule: "thread vector stores are kept",
        thread: { file_search: { vector_store_ids: ["vs_1", "vs_2"] } },
        files: attached([], []),
        merged: { file_search: { vector_store_ids: ["vs_1", "vs_2"] } },
      },
      {
        rule: "thread code-interpreter files alone",
        thread: { code_interpreter: { file_ids: ["file-1"] } },
        files: attached([], []),
        merged: { code_interpreter: { file_ids: ["file-1"] } },
      },
      {
        rule: "attached code-interpreter files alone",
        thread: null,
        files: attached([], ["file-a", "file-b"]),
        merged: { code_interpreter: { file_ids: ["file-a", "file-b"] } },
      },
      {
        rule: "code-interpreter files are unioned, thread's first, without duplicates",
        thread: { code_interpreter: { file_ids: ["file-1", "file-2", "file-1"] } },
        files: attached([], ["file-2", "file-3", "file-1"]),
        merged: { code_interpreter: { file_ids: ["file-1", "file-2", "file-3"] } },
      },
      {
        rule: "both tools together",
        thread: { file_search: { vector_store_ids: ["vs_1"] }, code_interpreter: { file_ids: ["file-1"] } },
        files: attached(["file-fs"], ["file-2"]),
        merged: { file_search: { vector_store_ids: ["vs_1"] }, code_interpreter: { file_ids: ["file-1", "file-2"] } },
      },
      {
        rule: "a code_interpreter entry without file_ids still takes the attached files",
        thread: { file_search: { vector_store_ids: ["vs_1"] }, code_interpreter: {} },
        files: attached([], ["file-a"]),
        merged: { file_search: { vector_store_ids: ["vs_1"] }, code_interpreter: { file_ids: ["file-a"] } },
      },
      {
        // The Assistants API indexed file_search attachments into the thread's vector store,
        // so they surface through its id, not as loose files.
        rule: "file_search attachments surface through the thread's vector store",
        thread: { file_search: { vector_store_ids: ["vs_thread"] } },
        files: attached(["file-fs1", "file-fs2"], []),
        merged: { file_search: { vector_store_ids: ["vs_thread"] } },
      },
    ]),
  )("%s", (_rule, { thread, files, merged }) => {
    const before = structuredClone({ thread, files });
    expect(mergeToolResources(thread, files)).toStrictEqual(merged);
    expect({ thread, files }).toStrictEqual(before);
  });

  it("never yields empty tool entries", () => {
    const merged = mergeToolResources({ file_search: { vector_store_ids: [] } }, attached([], ["file-1"]));
    expect(merged).toStrictEqual({ code_interpreter: { file_ids: ["file-1"] } });
    expect(merged).not.toHaveProperty("file_search");
  });

  it("end to end: thread resources plus the files a thread's messages attached", () => {
    const messages = [
      message([attach("file-ci1", "code_interpreter")]),
      message(null),
      message([attach("file-ci1", "code_interpreter"), attach("file-ci2", "code_interpreter", "file_search")]),
    ];
    const files = collectAttachments(messages, noAttachedFiles());
    expect(mergeToolResources({ file_search: { vector_store_ids: ["vs_1"] }, code_interpreter: { file_ids: ["file-t"] } }, files)).toStrictEqual({
      file_search: { vector_store_ids: ["vs_1"] },
      code_interpreter: { file_ids: ["file-t", "file-ci1", "file-ci2"] },
    });
  });
});
