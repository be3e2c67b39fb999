import type { Assistant, AssistantTool, FileSearchTool as SourceFileSearchTool } from "openai/resources/beta/assistants";
import type { FileSearchTool, FunctionTool, ResponseFormatTextConfig, Tool } from "openai/resources/responses/responses";
import type { FunctionDefinition } from "openai/resources/shared";
import type { MigrationWarning } from "./types";

/** Files a Responses `container: {type: "auto"}` may hold (spec: AutoCodeInterpreterToolParam.file_ids maxItems 50). */
export const CODE_INTERPRETER_MAX_FILES = 50;

/** Assistants v1's name for file search; v1 assistants still report it. */
export interface LegacyRetrievalTool {
  type: "retrieval";
}
export type SourceTool = AssistantTool | LegacyRetrievalTool;

/** The tools a prompt spec can hold: the Responses counterparts of the Assistants tools. */
export type ResponsesTool = FunctionTool | FileSearchTool | Tool.CodeInterpreter;

export interface PromptSpecInput {
  assistant: Pick<Assistant, "model" | "instructions" | "temperature" | "top_p" | "response_format"> & {
    tools: readonly SourceTool[];
  };
  /** The live vector stores for file_search (the backfill keeps at most one per assistant). */
  vectorStoreIds: readonly string[];
  /** All of the assistant's code-interpreter files, in the order they should be kept. */
  codeInterpreterFileIds: readonly string[];
}

/** Contract §5: an assistant's settings, ready to spread into `responses.create`. */
export interface PromptSpec {
  model: string;
  instructions: string | null;
  tools: ResponsesTool[];
  temperature: number | null;
  top_p: number | null;
  /** Absent when the assistant left the format to the model ("auto" or unset). */
  text?: { format: ResponseFormatTextConfig };
}

type Warn = (code: MigrationWarning["code"], detail: string) => void;

export function buildPromptSpec(input: PromptSpecInput): { spec: PromptSpec; warnings: MigrationWarning[] } {
  const { assistant } = input;
  const warnings: MigrationWarning[] = [];
  const warn: Warn = (code, detail) => warnings.push({ code, detail });

  // Settings come from the file_search tool; a v1 retrieval tool has none.
  const searchSettings = assistant.tools.find((t): t is SourceFileSearchTool => t.type === "file_search")?.file_search;
  let searchSeen = false;
  let codeSeen = false;
  const tools: ResponsesTool[] = [];
  for (const tool of assistant.tools) {
    switch (tool.type) {
      case "retrieval":
      case "file_search": {
        // retrieval and file_search search the same store; Responses gets one tool, where the first stood.
        if (searchSeen) break;
        searchSeen = true;
        const search = fileSearchTool(input.vectorStoreIds, searchSettings, warn);
        if (search) tools.push(search);
        break;
      }
      case "code_interpreter":
        if (codeSeen) break;
        codeSeen = true;
        tools.push(codeInterpreterTool(input.codeInterpreterFileIds, warn));
        break;
      case "function":
        tools.push(functionTool(tool.function));
        break;
      default: {
        // The API may grow tool types the SDK types do not know; keep them visible, not fatal.
        const type = (tool as { type?: unknown }).type;
        warn("unsupported_content", `the assistant's '${String(type)}' tool has no Responses equivalent; it was dropped`);
      }
    }
  }

  const spec: PromptSpec = {
    model: assistant.model,
    instructions: assistant.instructions,
    tools,
    // The SDK types these optional; a spec states them, null meaning "the API's default".
    temperature: assistant.temperature ?? null,
    top_p: assistant.top_p ?? null,
  };
  const format = textFormat(assistant.response_format, warn);
  if (format) spec.text = { format };
  return { spec, warnings };
}

function fileSearchTool(
  storeIds: readonly string[],
  settings: SourceFileSearchTool.FileSearch | undefined,
  warn: Warn,
): FileSearchTool | null {
  const vector_store_ids = [...new Set(storeIds)];
  if (!vector_store_ids.length) {
    // Responses requires vector_store_ids; a file_search tool with none would fail every response.
    warn("file_search_without_store", "the assistant has file_search but no live vector store; the tool was dropped");
    return null;
  }
  const tool: FileSearchTool = { type: "file_search", vector_store_ids };
  if (settings?.max_num_results !== undefined) tool.max_num_results = settings.max_num_results;
  const ranking = settings?.ranking_options && rankingOptions(settings.ranking_options, warn);
  if (ranking) tool.ranking_options = ranking;
  return tool;
}

/** Rankers differ between the APIs (Assistants: default_2024_08_21, Responses: default-2024-11-15); only "auto" is shared. */
function rankingOptions(
  source: SourceFileSearchTool.FileSearch.RankingOptions,
  warn: Warn,
): FileSearchTool.RankingOptions | null {
  const options: FileSearchTool.RankingOptions = {};
  if (source.ranker === "auto") options.ranker = "auto";
  else if (source.ranker !== undefined) {
    warn("file_search_ranker_replaced", `the Responses API has no '${source.ranker}' ranker; file_search uses its default ('auto')`);
  }
  if (source.score_threshold !== undefined) options.score_threshold = source.score_threshold;
  return Object.keys(options).length ? options : null;
}

function codeInterpreterTool(fileIds: readonly string[], warn: Warn): Tool.CodeInterpreter {
  // Duplicates would only spend the container's 50 places.
  const unique = [...new Set(fileIds)];
  const file_ids = unique.slice(0, CODE_INTERPRETER_MAX_FILES);
  const left = unique.slice(CODE_INTERPRETER_MAX_FILES);
  if (left.length) {
    warn(
      "code_interpreter_files_truncated",
      `a code_interpreter container holds at most ${CODE_INTERPRETER_MAX_FILES} files; ` +
        `${left.length} of ${unique.length} were left out: ${left.join(", ")}`,
    );
  }
  return { type: "code_interpreter", container: { type: "auto", file_ids } };
}

function functionTool(fn: FunctionDefinition): FunctionTool {
  return {
    type: "function",
    name: fn.name,
    ...(fn.description != null ? { description: fn.description } : {}),
    // Responses requires the key. Assistants documents an omitted schema as "an empty parameter list";
    // Responses accepts null but does not say what it means, so say it explicitly, in a form strict mode accepts.
    parameters: fn.parameters ? structuredClone(fn.parameters) : { type: "object", properties: {}, required: [], additionalProperties: false },
    // Responses requires the key too; false is the Assistants default for an unset strict.
    strict: fn.strict ?? false,
  };
}

/** Assistants nests a JSON schema under `json_schema`; Responses wants it flat on `text.format`. */
function textFormat(source: PromptSpecInput["assistant"]["response_format"], warn: Warn): ResponseFormatTextConfig | null {
  if (source == null || source === "auto") return null;
  switch (source.type) {
    case "text":
      return { type: "text" };
    case "json_object":
      return { type: "json_object" };
    case "json_schema": {
      const { name, description, schema, strict } = source.json_schema;
      return {
        type: "json_schema",
        name,
        ...(description !== undefined ? { description } : {}),
        // Responses requires a schema; Assistants allowed none, which constrained nothing, as {} does.
        schema: schema ? structuredClone(schema) : {},
        ...(strict !== undefined ? { strict } : {}),
      };
    }
    default: {
      const type = (source as { type?: unknown }).type;
      warn("unsupported_content", `the response format '${String(type)}' has no Responses equivalent; the model's default is used`);
      return null;
    }
  }
}
