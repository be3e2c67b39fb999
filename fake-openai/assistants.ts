// The Assistants API: assistants (+ the legacy v1 AssistantFiles), their validation, store and
// routes, and the gate every /v1/assistants* and /v1/threads* call passes (beta header, the
// shutdown switch `assistantsGone`, the v1-only routes `v1Files`). Threads live in threads.ts.

import { ApiError, notFound } from "./errors";
import { newId, nowSec } from "./ids";
import { checkListQuery, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Gate, type Route } from "./routes";
import { anyObject, bool, checkBody, enumOf, listOf, maxLen, metadataField, mustExist, nullable, numberIn, object, opt, req, str, TYPE, union, type Check, type Metadata, type Obj, type Shape } from "./schema";
import { V1_MESSAGE_FILES } from "./threads";

export interface ToolResources {
  code_interpreter?: { file_ids?: string[] };
  file_search?: { vector_store_ids?: string[] };
}
export interface AssistantFields {
  model?: string;
  name?: string | null;
  description?: string | null;
  instructions?: string | null;
  tools?: Obj[];
  tool_resources?: ToolResources | null;
  metadata?: Metadata;
  temperature?: number | null;
  top_p?: number | null;
  response_format?: unknown;
  reasoning_effort?: string | null;
}
export interface AssistantSeed extends AssistantFields {
  id?: string;
  /** Legacy v1 field; returned on the v2 object only when seeded. */
  file_ids?: string[];
  /** What `GET /v1/assistants/{id}/files` (assistants=v1) lists. */
  v1_file_ids?: string[];
}

export interface AssistantObject {
  id: string;
  object: "assistant";
  created_at: number;
  name: string | null;
  description: string | null;
  model: string;
  instructions: string | null;
  tools: Obj[];
  tool_resources: ToolResources | null;
  metadata: Metadata;
  temperature: number | null;
  top_p: number | null;
  response_format: unknown;
  reasoning_effort?: string | null;
  /** Legacy v1 field, present only when seeded. */
  file_ids?: string[];
}
export interface AssistantFileObject {
  id: string;
  object: "assistant.file";
  created_at: number;
  assistant_id: string;
}
interface AssistantRecord {
  obj: AssistantObject;
  v1Files: AssistantFileObject[];
}

// ---------- validation (spec: AssistantObject / ModifyAssistantRequest) ----------

const functionObject = object({
  name: req(maxLen(64)),
  description: opt(str),
  parameters: opt(anyObject),
  strict: opt(nullable(bool)),
});
const TOOLS = {
  code_interpreter: object({ type: TYPE }),
  file_search: object({
    type: TYPE,
    file_search: opt(object({ max_num_results: opt(numberIn(1, 50, true)), ranking_options: opt(anyObject) })),
  }),
  function: object({ type: TYPE, function: req(functionObject) }),
};
const v2Tool = union(TOOLS);
/** Seeds (assistants and runs) may carry the v1 `retrieval` tool that old assistants still report. */
export const seedTool = union({ ...TOOLS, retrieval: object({ type: TYPE }) });

const toolResources = object({
  code_interpreter: opt(object({ file_ids: opt(listOf(str, 20)) })),
  file_search: opt(object({ vector_store_ids: opt(listOf(str, 1)) })),
});

const responseFormat: Check = (v, path) =>
  v === "auto"
    ? v
    : union({
        text: object({ type: TYPE }),
        json_object: object({ type: TYPE }),
        json_schema: object({
          type: TYPE,
          json_schema: req(
            object({ name: req(maxLen(64)), description: opt(str), schema: opt(anyObject), strict: opt(nullable(bool)) }),
          ),
        }),
      })(v, path);

const assistantShape = (tool: Check): Shape => ({
  model: opt(str),
  reasoning_effort: opt(nullable(enumOf(["none", "minimal", "low", "medium", "high", "xhigh", "max"]))),
  name: opt(nullable(maxLen(256))),
  description: opt(nullable(maxLen(512))),
  instructions: opt(nullable(maxLen(256_000))),
  tools: opt(listOf(tool, 128)),
  tool_resources: opt(nullable(toolResources)),
  metadata: metadataField,
  temperature: opt(nullable(numberIn(0, 2))),
  top_p: opt(nullable(numberIn(0, 1))),
  response_format: opt(nullable(responseFormat)),
});

/** What the modify check looks up (ids that must name live objects). */
export interface Lookup {
  fileExists(id: string): boolean;
  vectorStoreExists(id: string): boolean;
}

function checkResourceIds(tr: ToolResources | null | undefined, lookup: Lookup): void {
  mustExist(tr?.code_interpreter?.file_ids, (i) => `tool_resources.code_interpreter.file_ids[${i}]`, "file", lookup.fileExists);
  mustExist(tr?.file_search?.vector_store_ids, (i) => `tool_resources.file_search.vector_store_ids[${i}]`, "vector store", lookup.vectorStoreExists);
}

/** POST /v1/assistants/{id} (ModifyAssistantRequest): only v2 tools; referenced files and stores must exist. */
export function checkModifyAssistant(body: unknown, lookup: Lookup): AssistantFields {
  const o = checkBody(body, assistantShape(v2Tool)) as AssistantFields;
  checkResourceIds(o.tool_resources, lookup);
  return o;
}

/** POST /__control/assistants: the v2 shape plus legacy `retrieval` tools, `file_ids` and `v1_file_ids`. Ids are not checked (old data may point at deleted files/stores). */
export function checkAssistantSeed(body: unknown): AssistantSeed {
  return checkBody(body, {
    ...assistantShape(seedTool),
    id: opt(str),
    file_ids: opt(listOf(str, 10_000)),
    v1_file_ids: opt(listOf(str, 10_000)),
  }) as AssistantSeed;
}

// ---------- the store ----------

export class AssistantStore {
  private assistants = new Map<string, AssistantRecord>();

  /** Seeds an assistant (v2 shape plus legacy `retrieval` tools, `file_ids`, `v1_file_ids`); 409 if the id exists. */
  create(spec: AssistantSeed): string {
    const seed = checkAssistantSeed(spec ?? {});
    const id = seed.id ?? newId("asst_", 24);
    if (this.assistants.has(id)) throw new ApiError(409, `Assistant '${id}' already exists.`, "invalid_request_error", "id");
    const created_at = nowSec();
    const obj: AssistantObject = {
      id,
      object: "assistant",
      created_at,
      name: seed.name ?? null,
      description: seed.description ?? null,
      model: seed.model ?? "gpt-4o",
      instructions: seed.instructions ?? null,
      tools: seed.tools ?? [],
      tool_resources: seed.tool_resources ?? {},
      metadata: seed.metadata ?? {},
      temperature: seed.temperature !== undefined ? seed.temperature : 1,
      top_p: seed.top_p !== undefined ? seed.top_p : 1,
      response_format: seed.response_format !== undefined ? seed.response_format : "auto",
      ...(seed.reasoning_effort !== undefined ? { reasoning_effort: seed.reasoning_effort } : {}),
      ...(seed.file_ids ? { file_ids: [...seed.file_ids] } : {}),
    };
    const v1Files = (seed.v1_file_ids ?? []).map((fid) => ({
      id: fid,
      object: "assistant.file" as const,
      created_at,
      assistant_id: id,
    }));
    this.assistants.set(id, { obj, v1Files });
    return id;
  }

  snapshots(): (AssistantObject & { v1_file_ids: string[] })[] {
    return [...this.assistants.values()].map((a) => ({ ...structuredClone(a.obj), v1_file_ids: a.v1Files.map((f) => f.id) }));
  }

  list(q: ListQuery): Page<AssistantObject> {
    return paginate([...this.assistants.values()].map((a) => a.obj), q, "assistant");
  }

  get(id: string): AssistantObject {
    return this.assistant(id).obj;
  }

  find(id: string): AssistantObject | undefined {
    return this.assistants.get(id)?.obj;
  }

  /** Fields given replace the stored ones; `tool_resources` per tool (null clears it to {}); `metadata` wholesale. */
  modify(id: string, patch: AssistantFields): AssistantObject {
    const a = this.assistant(id);
    const { tool_resources, metadata, ...rest } = patch;
    Object.assign(a.obj, rest);
    if (tool_resources === null) a.obj.tool_resources = {};
    else if (tool_resources) {
      const tr: ToolResources = { ...a.obj.tool_resources };
      if (tool_resources.code_interpreter) tr.code_interpreter = { file_ids: tool_resources.code_interpreter.file_ids ?? [] };
      if (tool_resources.file_search) tr.file_search = { vector_store_ids: tool_resources.file_search.vector_store_ids ?? [] };
      a.obj.tool_resources = tr;
    }
    if (metadata !== undefined) a.obj.metadata = metadata;
    return a.obj;
  }

  /** The v1 AssistantFiles list (OpenAI-Beta: assistants=v1). */
  listFiles(id: string, q: ListQuery): Page<AssistantFileObject> {
    return paginate(this.assistant(id).v1Files, q, "assistant file");
  }

  private assistant(id: string): AssistantRecord {
    const a = this.assistants.get(id);
    if (!a) throw notFound(`No assistant found with id '${id}'.`);
    return a;
  }
}

// ---------- routes ----------

/** Served only with `OpenAI-Beta: assistants=v1` (see assistantsGate). */
const V1_FILES = "/v1/assistants/{id}/files";

export const assistantRoutes: Route[] = [
  route("GET", "/v1/assistants", (c) => c.state.assistants.list(checkListQuery(c.query, true))),
  route("GET", "/v1/assistants/{id}", (c) => c.state.assistants.get(c.params.id)),
  route("POST", "/v1/assistants/{id}", (c) => {
    c.state.assistants.get(c.params.id); // 404 before 400, like the real API
    const lookup = { fileExists: c.state.files.exists, vectorStoreExists: c.state.vectorStores.exists };
    return c.state.assistants.modify(c.params.id, checkModifyAssistant(c.body(), lookup));
  }),
  route("GET", V1_FILES, (c) => c.state.assistants.listFiles(c.params.id, checkListQuery(c.query, true))),

  route("POST", "/__control/assistants", (c) => ({ id: c.state.assistants.create(c.body() as AssistantSeed) })),
  route("GET", "/__control/assistants", (c) => ({ data: c.state.assistants.snapshots() })),
];

// ---------- the gate ----------

const ASSISTANTS_PATH = /^\/v1\/(threads|assistants)(\/|$)/;
/** The legacy routes v2 dropped: AssistantFiles and MessageFiles. */
export const V1_ONLY = new Set([V1_FILES, V1_MESSAGE_FILES]);

const V1_DEPRECATED = () =>
  new ApiError(
    400,
    "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'. See the migration guide for more information: https://platform.openai.com/docs/assistants/migration.",
    "invalid_request_error",
    null,
    "invalid_beta",
  );

/**
 * A v1-only route exists only for `assistants=v1` (switchable by `v1Files`); under v2 it is an
 * unknown URL, as on the real API where v2 dropped it. Vector stores are GA: not gated here.
 */
export const assistantsGate: Gate = ({ method, path, headers, route: r, state }) => {
  if (!ASSISTANTS_PATH.test(path)) return;
  const v1Route = !!r && V1_ONLY.has(r.template);
  const gone = state.config.assistantsGone;
  // 404 is what a removed endpoint answers; 410 is the explicit "shut down" variant.
  if (gone === 404) throw notFound(`Invalid URL (${method} ${path})`);
  if (gone === 410)
    throw new ApiError(410, "The Assistants API has been shut down. Please migrate to the Responses API.");
  const betas = String(headers["openai-beta"] ?? "")
    .split(",")
    .map((s) => s.trim());
  if (v1Route && betas.includes("assistants=v1")) {
    const v1 = state.config.v1Files;
    if (v1 === "on") return;
    if (v1 === 404) throw notFound(`Invalid URL (${method} ${path})`);
    if (v1 === 410) throw new ApiError(410, "The v1 Assistants API has been shut down. Please use the v2 Assistants API or the Responses API.");
    throw V1_DEPRECATED();
  }
  if (betas.includes("assistants=v2")) {
    if (v1Route) throw notFound(`Invalid URL (${method} ${path})`);
    return;
  }
  if (betas.includes("assistants=v1")) throw V1_DEPRECATED();
  throw new ApiError(
    400,
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
    "invalid_request_error",
    null,
    "invalid_beta",
  );
};
