import type { ResponseCreateParamsNonStreaming } from "openai/resources/responses/responses";
import { describe, expect, it } from "vitest";
import {
  buildPromptSpec,
  CODE_INTERPRETER_MAX_FILES,
  type PromptSpec,
  type PromptSpecInput,
  type ResponsesTool,
  type SourceTool,
} from "../../src/conversion/prompt-spec";
import type { MigrationWarning } from "../../src/conversion/types";

type SourceAssistant = PromptSpecInput["assistant"];
type Format = SourceAssistant["response_format"];

const fileIds = (n: number, prefix = "file-ci") => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** An assistant with no tools and every setting at its most common value; rows override what they test. */
const assistant = (overrides: Partial<SourceAssistant> = {}): SourceAssistant => ({
  model: "gpt-4o",
  instructions: "You are a helpful assistant.",
  tools: [],
  temperature: 1,
  top_p: 1,
  response_format: "auto",
  ...overrides,
});
const withTools = (...tools: SourceTool[]) => assistant({ tools });
const withFormat = (response_format: Format) => assistant({ response_format });

/** The spec of `assistant()` with these fields replaced. */
const spec = (overrides: Partial<PromptSpec> = {}): PromptSpec => ({
  model: "gpt-4o",
  instructions: "You are a helpful assistant.",
  tools: [],
  temperature: 1,
  top_p: 1,
  ...overrides,
});

const fn = {
  full: {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
      strict: true,
    },
  },
} satisfies Record<string, SourceTool>;
const weatherTool: ResponsesTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
  strict: true,
};
const emptyParameters = { type: "object", properties: {}, required: [], additionalProperties: false };
const codeTool = (file_ids: string[]): ResponsesTool => ({ type: "code_interpreter", container: { type: "auto", file_ids } });
const searchTool = (vector_store_ids: string[], extra: Partial<Extract<ResponsesTool, { type: "file_search" }>> = {}): ResponsesTool => ({
  type: "file_search",
  vector_store_ids,
  ...extra,
});
const warning = (code: MigrationWarning["code"], ...parts: string[]) => ({
  code,
  detail: parts.length ? expect.stringMatching(new RegExp(parts.map(escape).join("[^]*"))) : expect.any(String),
});
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Row {
  rule: string;
  assistant: SourceAssistant;
  vectorStoreIds?: string[];
  codeInterpreterFileIds?: string[];
  spec: PromptSpec;
  warnings?: ReturnType<typeof warning>[];
}

/** [rule, row] pairs, so a test title shows the whole rule (vitest cuts "$rule" at 40 chars). */
const byRule = <T extends { rule: string }>(rows: T[]): [string, T][] => rows.map((row) => [row.rule, row]);

const rows: Row[] = [
  // ── no tools, settings carried ─────────────────────────────────────────────
  { rule: "no tools → empty tool list, no text, settings carried", assistant: assistant(), spec: spec() },
  {
    rule: "stores and files without the tools that use them are ignored",
    assistant: assistant(),
    vectorStoreIds: ["vs_1"],
    codeInterpreterFileIds: ["file-1"],
    spec: spec(),
  },
  { rule: "null instructions stay null", assistant: assistant({ instructions: null }), spec: spec({ instructions: null }) },
  {
    rule: "null temperature and top_p stay null",
    assistant: assistant({ temperature: null, top_p: null }),
    spec: spec({ temperature: null, top_p: null }),
  },
  {
    rule: "absent temperature and top_p become null",
    assistant: { model: "gpt-4o", instructions: null, tools: [] },
    spec: spec({ instructions: null, temperature: null, top_p: null }),
  },
  {
    rule: "temperature 0 and top_p 0.1 are carried as given (0 is not null)",
    assistant: assistant({ model: "gpt-4.1-mini", temperature: 0, top_p: 0.1 }),
    spec: spec({ model: "gpt-4.1-mini", temperature: 0, top_p: 0.1 }),
  },

  // ── file_search / retrieval ────────────────────────────────────────────────
  {
    rule: "file_search alone → file_search over the live store",
    assistant: withTools({ type: "file_search" }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"])] }),
  },
  {
    rule: "file_search with empty overrides → no max_num_results, no ranking_options",
    assistant: withTools({ type: "file_search", file_search: {} }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"])] }),
  },
  {
    rule: "file_search max_num_results and ranking_options (auto ranker) are carried",
    assistant: withTools({ type: "file_search", file_search: { max_num_results: 7, ranking_options: { ranker: "auto", score_threshold: 0.4 } } }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"], { max_num_results: 7, ranking_options: { ranker: "auto", score_threshold: 0.4 } })] }),
  },
  {
    rule: "a score_threshold without ranker is carried alone",
    assistant: withTools({ type: "file_search", file_search: { ranking_options: { score_threshold: 0 } } }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"], { ranking_options: { score_threshold: 0 } })] }),
  },
  {
    rule: "the Assistants-only ranker default_2024_08_21 is dropped with a warning; the threshold stays",
    assistant: withTools({ type: "file_search", file_search: { ranking_options: { ranker: "default_2024_08_21", score_threshold: 0.6 } } }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"], { ranking_options: { score_threshold: 0.6 } })] }),
    warnings: [warning("file_search_ranker_replaced", "default_2024_08_21", "'auto'")],
  },
  {
    rule: "legacy v1 retrieval → file_search over the live store",
    assistant: withTools({ type: "retrieval" }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"])] }),
  },
  {
    rule: "retrieval + file_search → one file_search, at retrieval's place, with file_search's settings",
    assistant: withTools({ type: "retrieval" }, fn.full, { type: "file_search", file_search: { max_num_results: 3 } }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"], { max_num_results: 3 }), weatherTool] }),
  },
  {
    rule: "file_search listed twice → one tool",
    assistant: withTools({ type: "file_search" }, { type: "file_search" }),
    vectorStoreIds: ["vs_1"],
    spec: spec({ tools: [searchTool(["vs_1"])] }),
  },
  {
    rule: "repeated store ids are listed once",
    assistant: withTools({ type: "file_search" }),
    vectorStoreIds: ["vs_1", "vs_2", "vs_1"],
    spec: spec({ tools: [searchTool(["vs_1", "vs_2"])] }),
  },
  {
    rule: "file_search without a live store → dropped with a warning",
    assistant: withTools({ type: "file_search", file_search: { max_num_results: 5 } }),
    vectorStoreIds: [],
    spec: spec(),
    warnings: [warning("file_search_without_store", "no live vector store", "dropped")],
  },
  {
    rule: "retrieval + file_search without a live store → dropped with one warning",
    assistant: withTools({ type: "retrieval" }, { type: "file_search" }),
    vectorStoreIds: [],
    spec: spec(),
    warnings: [warning("file_search_without_store")],
  },

  // ── code_interpreter ───────────────────────────────────────────────────────
  {
    rule: "code_interpreter with 0 files → auto container with no files",
    assistant: withTools({ type: "code_interpreter" }),
    codeInterpreterFileIds: [],
    spec: spec({ tools: [codeTool([])] }),
  },
  {
    rule: "code_interpreter with 50 files → all 50, no warning",
    assistant: withTools({ type: "code_interpreter" }),
    codeInterpreterFileIds: fileIds(50),
    spec: spec({ tools: [codeTool(fileIds(50))] }),
  },
  {
    rule: "code_interpreter with 51 files → first 50 and a warning naming the 1 left out",
    assistant: withTools({ type: "code_interpreter" }),
    codeInterpreterFileIds: fileIds(51),
    spec: spec({ tools: [codeTool(fileIds(50))] }),
    warnings: [warning("code_interpreter_files_truncated", "at most 50", "1 of 51", "file-ci51")],
  },
  {
    rule: "code_interpreter with 120 files → first 50 and a warning naming the 70 left out",
    assistant: withTools({ type: "code_interpreter" }),
    codeInterpreterFileIds: fileIds(120),
    spec: spec({ tools: [codeTool(fileIds(50))] }),
    warnings: [warning("code_interpreter_files_truncated", "70 of 120", fileIds(120).slice(50).join(", "))],
  },
  {
    rule: "repeated file ids are kept once, before the 50-file cap is applied",
    assistant: withTools({ type: "code_interpreter" }),
    codeInterpreterFileIds: [...fileIds(50), ...fileIds(10)],
    spec: spec({ tools: [codeTool(fileIds(50))] }),
  },
  {
    rule: "code_interpreter listed twice → one tool",
    assistant: withTools({ type: "code_interpreter" }, { type: "code_interpreter" }),
    codeInterpreterFileIds: ["file-1"],
    spec: spec({ tools: [codeTool(["file-1"])] }),
  },

  // ── function ───────────────────────────────────────────────────────────────
  {
    rule: "function with description, parameters and strict → flattened, all carried",
    assistant: withTools(fn.full),
    spec: spec({ tools: [weatherTool] }),
  },
  {
    rule: "function without description → no description key",
    assistant: withTools({ type: "function", function: { name: "ping", parameters: { type: "object", properties: {} }, strict: false } }),
    spec: spec({ tools: [{ type: "function", name: "ping", parameters: { type: "object", properties: {} }, strict: false }] }),
  },
  {
    rule: "function without strict → strict: false (the Assistants default)",
    assistant: withTools({ type: "function", function: { name: "ping", description: "d", parameters: { type: "object" } } }),
    spec: spec({ tools: [{ type: "function", name: "ping", description: "d", parameters: { type: "object" }, strict: false }] }),
  },
  {
    rule: "function with strict: null → strict: false",
    assistant: withTools({ type: "function", function: { name: "ping", parameters: { type: "object" }, strict: null } }),
    spec: spec({ tools: [{ type: "function", name: "ping", parameters: { type: "object" }, strict: false }] }),
  },
  {
    rule: "function without parameters → an explicit empty parameter list",
    assistant: withTools({ type: "function", function: { name: "now" } }),
    spec: spec({ tools: [{ type: "function", name: "now", parameters: emptyParameters, strict: false }] }),
  },
  {
    rule: "strict function without parameters → the same empty list (valid in strict mode)",
    assistant: withTools({ type: "function", function: { name: "now", strict: true } }),
    spec: spec({ tools: [{ type: "function", name: "now", parameters: emptyParameters, strict: true }] }),
  },
  {
    rule: "several functions keep their order",
    assistant: withTools({ type: "function", function: { name: "b" } }, { type: "function", function: { name: "a" } }),
    spec: spec({
      tools: [
        { type: "function", name: "b", parameters: emptyParameters, strict: false },
        { type: "function", name: "a", parameters: emptyParameters, strict: false },
      ],
    }),
  },

  // ── unknown tools, all tools ───────────────────────────────────────────────
  {
    rule: "an unknown tool type → dropped with an unsupported_content warning",
    assistant: withTools({ type: "browser" } as unknown as SourceTool, fn.full),
    spec: spec({ tools: [weatherTool] }),
    warnings: [warning("unsupported_content", "'browser'", "dropped")],
  },
  {
    rule: "all tools together → each converted, in the assistant's order",
    assistant: withTools(
      { type: "code_interpreter" },
      fn.full,
      { type: "file_search", file_search: { max_num_results: 10 } },
      { type: "function", function: { name: "now" } },
    ),
    vectorStoreIds: ["vs_1"],
    codeInterpreterFileIds: ["file-1", "file-2"],
    spec: spec({
      tools: [
        codeTool(["file-1", "file-2"]),
        weatherTool,
        searchTool(["vs_1"], { max_num_results: 10 }),
        { type: "function", name: "now", parameters: emptyParameters, strict: false },
      ],
    }),
  },
  {
    rule: "all tools together, no store, 51 files, an unknown tool → the rest kept, one warning each",
    assistant: withTools({ type: "retrieval" }, { type: "code_interpreter" }, { type: "web_browser" } as unknown as SourceTool, fn.full),
    vectorStoreIds: [],
    codeInterpreterFileIds: fileIds(51),
    spec: spec({ tools: [codeTool(fileIds(50)), weatherTool] }),
    warnings: [
      warning("file_search_without_store"),
      warning("code_interpreter_files_truncated", "1 of 51"),
      warning("unsupported_content", "'web_browser'"),
    ],
  },

  // ── response_format ────────────────────────────────────────────────────────
  { rule: 'response_format "auto" → no text', assistant: withFormat("auto"), spec: spec() },
  { rule: "response_format null → no text", assistant: withFormat(null), spec: spec() },
  { rule: "response_format absent → no text", assistant: withFormat(undefined), spec: spec() },
  { rule: "text → text.format text", assistant: withFormat({ type: "text" }), spec: spec({ text: { format: { type: "text" } } }) },
  {
    rule: "json_object → text.format json_object",
    assistant: withFormat({ type: "json_object" }),
    spec: spec({ text: { format: { type: "json_object" } } }),
  },
  {
    rule: "json_schema → flattened onto text.format with every field",
    assistant: withFormat({
      type: "json_schema",
      json_schema: {
        name: "answer",
        description: "The answer",
        schema: { type: "object", properties: { a: { type: "number" } }, required: ["a"], additionalProperties: false },
        strict: true,
      },
    }),
    spec: spec({
      text: {
        format: {
          type: "json_schema",
          name: "answer",
          description: "The answer",
          schema: { type: "object", properties: { a: { type: "number" } }, required: ["a"], additionalProperties: false },
          strict: true,
        },
      },
    }),
  },
  {
    rule: "json_schema with only a name → schema {} (Responses requires one), no description or strict keys",
    assistant: withFormat({ type: "json_schema", json_schema: { name: "anything" } }),
    spec: spec({ text: { format: { type: "json_schema", name: "anything", schema: {} } } }),
  },
  {
    rule: "json_schema with strict: null → strict: null carried",
    assistant: withFormat({ type: "json_schema", json_schema: { name: "n", schema: { type: "object" }, strict: null } }),
    spec: spec({ text: { format: { type: "json_schema", name: "n", schema: { type: "object" }, strict: null } } }),
  },
  {
    rule: "an unknown response_format type → no text, with an unsupported_content warning",
    assistant: withFormat({ type: "xml" } as unknown as Format),
    spec: spec(),
    warnings: [warning("unsupported_content", "'xml'")],
  },
];

const build = (row: Row) =>
  buildPromptSpec({
    assistant: row.assistant,
    vectorStoreIds: row.vectorStoreIds ?? [],
    codeInterpreterFileIds: row.codeInterpreterFileIds ?? [],
  });

describe("buildPromptSpec", () => {
  it.each(byRule(rows))("%s", (_rule, row) => {
    const input = { assistant: row.assistant, vectorStoreIds: row.vectorStoreIds, codeInterpreterFileIds: row.codeInterpreterFileIds };
    const before = structuredClone(input);
    const { spec: actual, warnings } = build(row);

    // Field by field, so a failure names the field; then the whole, so no stray key (even undefined) slips by.
    expect(Object.keys(actual).sort()).toEqual(Object.keys(row.spec).sort());
    for (const key of Object.keys(row.spec) as (keyof PromptSpec)[]) expect(actual[key], key).toStrictEqual(row.spec[key]);
    expect(actual).toStrictEqual(row.spec);
    expect(warnings).toEqual(row.warnings ?? []);
    expect(input, "the input is not changed").toStrictEqual(before);
  });

  it("the cap is the Responses limit of 50 files per auto container", () => {
    expect(CODE_INTERPRETER_MAX_FILES).toBe(50);
  });

  it("the spec does not share schemas with the assistant, so editing one cannot change the other", () => {
    const source = assistant({
      tools: [fn.full],
      response_format: { type: "json_schema", json_schema: { name: "n", schema: { type: "object", properties: {} } } },
    });
    const { spec: built } = buildPromptSpec({ assistant: source, vectorStoreIds: [], codeInterpreterFileIds: [] });
    const tool = built.tools[0];
    const format = built.text?.format;
    if (tool?.type !== "function" || format?.type !== "json_schema") throw new Error("unexpected spec shape");
    expect(tool.parameters).not.toBe(fn.full.function.parameters);
    const sourceFormat = source.response_format;
    if (typeof sourceFormat !== "object" || sourceFormat?.type !== "json_schema") throw new Error("unexpected source shape");
    expect(format.schema).not.toBe(sourceFormat.json_schema.schema);
  });

  it("the spec spreads into responses.create as is", () => {
    const { spec: built } = build(rows.find((r) => r.rule.startsWith("all tools together → "))!);
    // Compile-time: fails `tsc` if the spec's shape drifts from ResponseCreateParams.
    const params: ResponseCreateParamsNonStreaming = { ...built, input: "hello" };
    expect(params.tools?.map((t) => t.type)).toEqual(["code_interpreter", "function", "file_search", "function"]);
  });
});
