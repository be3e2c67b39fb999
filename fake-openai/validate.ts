// Request validation with the real API's strictness and error wording.
// The point of the fake is that an item ferry builds wrongly is rejected here
// exactly as api.openai.com would reject it, so every check throws an ApiError
// naming the field (`items[3].content[0].type`) and nothing is written.

import { ApiError, invalid, jsonTypeName } from "./errors";

export type Obj = Record<string, unknown>;
export type Metadata = Record<string, string>;
export type Role = "user" | "assistant" | "system" | "developer";

/** An item that passed validation, normalized to the stored shape (minus id/status). */
export interface NewItem {
  role: Role;
  content: Obj[];
  phase?: string | null;
}

export interface ListQuery {
  limit: number;
  order: "asc" | "desc";
  after?: string;
  before?: string;
}

// ---------- tiny schema checker ----------

type Check = (v: unknown, path: string) => unknown;
interface Field {
  required?: boolean;
  check: Check;
}
type Shape = Record<string, Field>;

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const quoteList = (vals: readonly string[]) =>
  vals.length <= 2
    ? vals.map((v) => `'${v}'`).join(" and ")
    : `${vals.slice(0, -1).map((v) => `'${v}'`).join(", ")}, and '${vals[vals.length - 1]}'`;

const missing = (path: string) =>
  invalid(path, `Missing required parameter: '${path}'.`, "missing_required_parameter");
const wrongType = (path: string, expected: string, v: unknown) =>
  invalid(path, `Invalid type for '${path}': expected ${expected}, but got ${jsonTypeName(v)} instead.`, "invalid_type");

function asObject(v: unknown, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw wrongType(path, "an object", v);
  return v as Obj;
}

const str: Check = (v, path) => {
  if (typeof v !== "string") throw wrongType(path, "a string", v);
  return v;
};
const nullable =
  (check: Check): Check =>
  (v, path) =>
    v === null ? null : check(v, path);
const nonNegInt: Check = (v, path) => {
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(path, "an integer", v);
  if (v < 0)
    throw invalid(
      path,
      `Invalid '${path}': integer below minimum value. Expected a value >= 0, but got ${v} instead.`,
      "integer_below_min_value",
    );
  return v;
};
const url: Check = (v, path) => {
  str(v, path);
  try {
    new URL(v as string);
  } catch {
    throw invalid(path, `Invalid '${path}'. Expected a valid URL, but got a value with an invalid format.`, "invalid_value");
  }
  return v;
};
const anyObject: Check = (v, path) => asObject(v, path);
const anyArray: Check = (v, path) => {
  if (!Array.isArray(v)) throw wrongType(path, "an array", v);
  return v;
};
const enumOf =
  (values: readonly string[]): Check =>
  (v, path) => {
    str(v, path);
    if (!values.includes(v as string))
      throw invalid(path, `Invalid value: '${String(v)}'. Supported values are: ${quoteList(values)}.`);
    return v;
  };
const arrayOf =
  (check: Check): Check =>
  (v, path) =>
    (anyArray(v, path) as unknown[]).map((el, i) => check(el, `${path}[${i}]`));

const req = (check: Check): Field => ({ required: true, check });
const opt = (check: Check): Field => ({ check });
const TYPE = req((v) => v); // already checked by the union that dispatched here

/** Rejects unknown keys (the real API does: "Unknown parameter"), checks the rest. */
function checkShape(obj: Obj, path: string, shape: Shape): Obj {
  for (const key of Object.keys(obj))
    if (!(key in shape)) throw invalid(join(path, key), `Unknown parameter: '${join(path, key)}'.`, "unknown_parameter");
  const out: Obj = {};
  for (const [key, field] of Object.entries(shape)) {
    const v = obj[key];
    if (v === undefined) {
      if (field.required) throw missing(join(path, key));
      continue;
    }
    out[key] = field.check(v, join(path, key));
  }
  return out;
}

const object =
  (shape: Shape, refine?: (o: Obj, path: string) => Obj): Check =>
  (v, path) => {
    const out = checkShape(asObject(v, path), path, shape);
    return refine ? refine(out, path) : out;
  };

/** Dispatches on `type` like the spec's discriminated unions. */
const union =
  (variants: Record<string, Check>): Check =>
  (v, path) => {
    const o = asObject(v, path);
    if (o.type === undefined) throw missing(join(path, "type"));
    const variant = variants[enumOf(Object.keys(variants))(o.type, join(path, "type")) as string];
    return variant!(o, path);
  };

// ---------- content parts (spec: InputContent / OutputMessageContent / Annotation) ----------

const annotation = union({
  file_citation: object({ type: TYPE, file_id: req(str), filename: req(str), index: req(nonNegInt) }),
  file_path: object({ type: TYPE, file_id: req(str), index: req(nonNegInt) }),
  url_citation: object({
    type: TYPE,
    url: req(url),
    title: req(str),
    start_index: req(nonNegInt),
    end_index: req(nonNegInt),
  }),
  container_file_citation: object({
    type: TYPE,
    container_id: req(str),
    file_id: req(str),
    filename: req(str),
    start_index: req(nonNegInt),
    end_index: req(nonNegInt),
  }),
});

const cacheBreakpoint = opt(anyObject);

const inputPart = union({
  input_text: object({ type: TYPE, text: req(str), prompt_cache_breakpoint: cacheBreakpoint }),
  input_image: object(
    {
      type: TYPE,
      image_url: opt(nullable(url)),
      file_id: opt(nullable(str)),
      // The spec lists `detail` as required (the docs say it defaults to auto);
      // we follow the spec, so a converter that forgets it fails here.
      detail: req(enumOf(["low", "high", "auto", "original"])),
      prompt_cache_breakpoint: cacheBreakpoint,
    },
    (o, path) => {
      const sources = [o.image_url, o.file_id].filter((s) => s != null).length;
      if (sources !== 1)
        throw invalid(
          path,
          `Invalid '${path}': exactly one of 'image_url' or 'file_id' must be provided, but got ${sources}.`,
        );
      return { type: "input_image", image_url: o.image_url ?? null, file_id: o.file_id ?? null, detail: o.detail };
    },
  ),
  input_file: object(
    {
      type: TYPE,
      file_id: opt(nullable(str)),
      filename: opt(str),
      file_data: opt(str),
      file_url: opt(url),
      detail: opt(enumOf(["auto", "low", "high"])),
      prompt_cache_breakpoint: cacheBreakpoint,
    },
    (o, path) => {
      if (o.file_id == null && o.file_data === undefined && o.file_url === undefined)
        throw invalid(path, `Invalid '${path}': one of 'file_id', 'file_data' or 'file_url' must be provided.`);
      return o;
    },
  ),
});

const outputPart = union({
  output_text: object(
    { type: TYPE, text: req(str), annotations: req(arrayOf(annotation)), logprobs: opt(anyArray) },
    (o) => ({ ...o, logprobs: o.logprobs ?? [] }), // the API always returns logprobs
  ),
  refusal: object({ type: TYPE, refusal: req(str) }),
});

// ---------- items ----------

const ROLES = ["user", "assistant", "system", "developer"] as const;

function content(role: Role): Check {
  const part = role === "assistant" ? outputPart : inputPart;
  return (v, path) => {
    // A plain string is shorthand the API expands to one text part.
    if (typeof v === "string")
      return role === "assistant"
        ? [{ type: "output_text", text: v, annotations: [], logprobs: [] }]
        : [{ type: "input_text", text: v }];
    if (!Array.isArray(v)) throw wrongType(path, "one of a string or array of objects", v);
    return v.map((p, i) => part(p, `${path}[${i}]`));
  };
}

function checkItem(v: unknown, path: string, itemExists: (id: string) => boolean): NewItem {
  const raw = asObject(v, path);
  // Only `message` items are supported by the fake (ferry writes nothing else);
  // `type` may be omitted (EasyInputMessage).
  if (raw.type !== undefined) enumOf(["message"])(raw.type, join(path, "type"));
  if (raw.role === undefined) throw missing(join(path, "role"));
  const role = enumOf(ROLES)(raw.role, join(path, "role")) as Role;
  const assistant = role === "assistant";
  const item = checkShape(raw, path, {
    type: opt((x) => x),
    role: TYPE,
    id: opt(str),
    content: req(content(role)),
    // `status` and `phase` only exist on the output-message shape (assistant).
    ...(assistant
      ? {
          status: opt(enumOf(["in_progress", "completed", "incomplete"])),
          phase: opt(nullable(enumOf(["commentary", "final_answer"]))),
        }
      : {}),
  });
  // An output message with `status` must also carry its `id` (spec: OutputMessage requires both).
  if (item.status !== undefined && item.id === undefined) throw missing(join(path, "id"));
  if (item.id !== undefined && !itemExists(item.id as string))
    throw invalid(join(path, "id"), `Item with id '${String(item.id)}' not found.`, null);
  return { role, content: item.content as Obj[], ...(item.phase !== undefined ? { phase: item.phase as string | null } : {}) };
}

/** Array length limits with the real API's wording (checked before the elements). */
function checkLength(v: unknown, path: string, max: number, min = 0): unknown[] {
  const list = anyArray(v, path) as unknown[];
  if (list.length > max)
    throw invalid(
      path,
      `Invalid '${path}': array too long. Expected an array with maximum length ${max}, but got an array with length ${list.length} instead.`,
      "array_above_max_length",
    );
  if (list.length < min)
    throw invalid(
      path,
      list.length === 0
        ? `Invalid '${path}': empty array. Expected an array with minimum length ${min}, but got an empty array instead.`
        : `Invalid '${path}': array too short. Expected an array with minimum length ${min}, but got an array with length ${list.length} instead.`,
      list.length === 0 ? "empty_array" : "array_below_min_length",
    );
  return list;
}

const listOf =
  (check: Check, max: number, min = 0): Check =>
  (v, path) =>
    checkLength(v, path, max, min).map((el, i) => check(el, `${path}[${i}]`));

function checkItems(v: unknown, itemExists: (id: string) => boolean, min: number): NewItem[] {
  return checkLength(v, "items", 20, min).map((item, i) => checkItem(item, `items[${i}]`, itemExists));
}

// ---------- metadata ----------

/** The entries of a key/value map the spec caps at 16 pairs (Metadata, file attributes). */
function pairs(v: unknown, param: string): [string, unknown][] {
  const entries = Object.entries(asObject(v, param));
  if (entries.length > 16)
    throw invalid(
      param,
      `Invalid '${param}': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`,
      "object_above_max_properties",
    );
  return entries;
}

/** Spec Metadata: ≤16 pairs, keys ≤64 chars, string values ≤512 chars. */
export function checkMetadata(v: unknown, param = "metadata"): Metadata {
  if (v === null || v === undefined) return {};
  const entries = pairs(v, param);
  for (const [k, val] of entries) {
    if (k.length > 64)
      throw invalid(
        param,
        `Invalid '${param}': key '${k.slice(0, 20)}…' is too long. Expected a key with maximum length 64, but got a key with length ${k.length} instead.`,
        "string_above_max_length",
      );
    if (typeof val !== "string")
      throw invalid(param, `Invalid type for '${param}.${k}': expected a string, but got ${jsonTypeName(val)} instead.`, "invalid_type");
    if (val.length > 512)
      throw invalid(
        param,
        `Invalid '${param}.${k}': string too long. Expected a string with maximum length 512, but got a string with length ${val.length} instead.`,
        "string_above_max_length",
      );
  }
  return Object.fromEntries(entries) as Metadata;
}

// ---------- request bodies ----------

export function parseJson(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    );
  }
}

/** POST /v1/conversations (CreateConversationBody). */
export function checkCreateConversation(body: unknown, itemExists: (id: string) => boolean) {
  const o = checkShape(asObject(body, "body"), "", {
    metadata: opt((v) => checkMetadata(v)),
    items: opt((v) => (v === null ? [] : checkItems(v, itemExists, 0))),
  });
  return { metadata: (o.metadata ?? {}) as Metadata, items: (o.items ?? []) as NewItem[] };
}

/** POST /v1/conversations/{id}/items: `items` required, 1..20. */
export function checkAddItems(body: unknown, itemExists: (id: string) => boolean): NewItem[] {
  const o = checkShape(asObject(body, "body"), "", { items: req((v) => checkItems(v, itemExists, 1)) });
  return o.items as NewItem[];
}

/** limit/order/after(/before) as the list endpoints accept them. */
export function checkListQuery(q: URLSearchParams, allowBefore: boolean): ListQuery {
  const limitRaw = q.get("limit");
  let limit = 20;
  if (limitRaw !== null) {
    if (!/^-?\d+$/.test(limitRaw))
      throw invalid("limit", `Invalid 'limit': expected an integer, but got '${limitRaw}' instead.`, "invalid_type");
    limit = Number(limitRaw);
    if (limit < 1)
      throw invalid(
        "limit",
        `Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${limit} instead.`,
        "integer_below_min_value",
      );
    if (limit > 100)
      throw invalid(
        "limit",
        `Invalid 'limit': integer above maximum value. Expected a value <= 100, but got ${limit} instead.`,
        "integer_above_max_value",
      );
  }
  const order = enumOf(["asc", "desc"])(q.get("order") ?? "desc", "order") as "asc" | "desc";
  const after = q.get("after") || undefined;
  const before = allowBefore ? q.get("before") || undefined : undefined;
  return { limit, order, after, before };
}

// ---------- scalars used by assistants and vector stores ----------

const bool: Check = (v, path) => {
  if (typeof v !== "boolean") throw wrongType(path, "a boolean", v);
  return v;
};
const maxLen =
  (max: number): Check =>
  (v, path) => {
    str(v, path);
    const n = (v as string).length;
    if (n > max)
      throw invalid(
        path,
        `Invalid '${path}': string too long. Expected a string with maximum length ${max}, but got a string with length ${n} instead.`,
        "string_above_max_length",
      );
    return v;
  };
/** A number (integer: true → integers only) in [min, max], worded like the real validator. */
const numberIn =
  (min: number, max: number, integer = false): Check =>
  (v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw wrongType(path, integer ? "an integer" : "a number", v);
    if (integer && !Number.isInteger(v)) throw wrongType(path, "an integer", v);
    const kind = Number.isInteger(v) ? "integer" : "decimal";
    if (v < min)
      throw invalid(path, `Invalid '${path}': ${kind} below minimum value. Expected a value >= ${min}, but got ${v} instead.`, `${kind}_below_min_value`);
    if (v > max)
      throw invalid(path, `Invalid '${path}': ${kind} above maximum value. Expected a value <= ${max}, but got ${v} instead.`, `${kind}_above_max_value`);
    return v;
  };

// ---------- assistants (spec: AssistantObject / ModifyAssistantRequest) ----------

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
export interface ToolResources {
  code_interpreter?: { file_ids?: string[] };
  file_search?: { vector_store_ids?: string[] };
}

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
/** Seeds may carry the v1 `retrieval` tool that old assistants still report. */
const seedTool = union({ ...TOOLS, retrieval: object({ type: TYPE }) });

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
  metadata: opt((v) => checkMetadata(v)),
  temperature: opt(nullable(numberIn(0, 2))),
  top_p: opt(nullable(numberIn(0, 1))),
  response_format: opt(nullable(responseFormat)),
});

/** What the modify/seed checks look up (ids that must name live objects). */
export interface Lookup {
  fileExists(id: string): boolean;
  vectorStoreExists(id: string): boolean;
}

function checkResourceIds(tr: ToolResources | null | undefined, lookup: Lookup): void {
  tr?.code_interpreter?.file_ids?.forEach((id, i) => {
    const param = `tool_resources.code_interpreter.file_ids[${i}]`;
    if (!lookup.fileExists(id)) throw invalid(param, `Invalid '${param}': no file found with id '${id}'.`, null);
  });
  tr?.file_search?.vector_store_ids?.forEach((id, i) => {
    const param = `tool_resources.file_search.vector_store_ids[${i}]`;
    if (!lookup.vectorStoreExists(id))
      throw invalid(param, `Invalid '${param}': no vector store found with id '${id}'.`, null);
  });
}

/** POST /v1/assistants/{id} (ModifyAssistantRequest): only v2 tools; referenced files and stores must exist. */
export function checkModifyAssistant(body: unknown, lookup: Lookup): AssistantFields {
  const o = checkShape(asObject(body, "body"), "", assistantShape(v2Tool)) as AssistantFields;
  checkResourceIds(o.tool_resources, lookup);
  return o;
}

export interface AssistantSeed extends AssistantFields {
  id?: string;
  /** Legacy v1 field; returned on the v2 object only when seeded. */
  file_ids?: string[];
  /** What `GET /v1/assistants/{id}/files` (assistants=v1) lists. */
  v1_file_ids?: string[];
}

/** POST /__control/assistants: the v2 shape plus legacy `retrieval` tools, `file_ids` and `v1_file_ids`. Ids are not checked (old data may point at deleted files/stores). */
export function checkAssistantSeed(body: unknown): AssistantSeed {
  return checkShape(asObject(body, "body"), "", {
    ...assistantShape(seedTool),
    id: opt(str),
    file_ids: opt(listOf(str, 10_000)),
    v1_file_ids: opt(listOf(str, 10_000)),
  }) as AssistantSeed;
}

// ---------- vector stores (spec: CreateVectorStoreRequest / CreateVectorStoreFileBatchRequest) ----------

export interface ExpiresAfter {
  anchor: "last_active_at";
  days: number;
}
export type ChunkingStrategy = { type: "auto" } | { type: "static"; static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number } };
export type Attributes = Record<string, string | number | boolean>;
export interface FileToAttach {
  file_id: string;
  chunking_strategy?: ChunkingStrategy;
  attributes?: Attributes | null;
}
export interface NewVectorStore {
  name?: string;
  description?: string;
  metadata: Metadata;
  expires_after?: ExpiresAfter;
  files: FileToAttach[];
}

const expiresAfter = object({ anchor: req(enumOf(["last_active_at"])), days: req(numberIn(1, 365, true)) });

const chunkingStrategy = union({
  auto: object({ type: TYPE }),
  static: object({
    type: TYPE,
    static: req(
      object({ max_chunk_size_tokens: req(numberIn(100, 4096, true)), chunk_overlap_tokens: req(nonNegInt) }, (o, path) => {
        if ((o.chunk_overlap_tokens as number) > (o.max_chunk_size_tokens as number) / 2)
          throw invalid(
            join(path, "chunk_overlap_tokens"),
            `Invalid '${join(path, "chunk_overlap_tokens")}': must not exceed half of 'max_chunk_size_tokens'.`,
          );
        return o;
      }),
    ),
  }),
});

/** VectorStoreFileAttributes: ≤16 pairs, keys ≤64, values string ≤512 | number | boolean. */
const attributes: Check = (v, path) => {
  const entries = pairs(v, path);
  for (const [k, val] of entries) {
    if (k.length > 64) throw invalid(path, `Invalid '${path}': key '${k.slice(0, 20)}…' is too long. Expected a key with maximum length 64.`, "string_above_max_length");
    if (typeof val === "string") maxLen(512)(val, `${path}.${k}`);
    else if (typeof val !== "number" && typeof val !== "boolean")
      throw wrongType(`${path}.${k}`, "a string, number or boolean", val);
  }
  return Object.fromEntries(entries);
};

/** Unknown file ids are rejected up front (400, nothing written); see README "Decisions". */
function checkFilesExist(files: FileToAttach[], path: (i: number) => string, fileExists: (id: string) => boolean): void {
  files.forEach((f, i) => {
    if (!fileExists(f.file_id)) throw invalid(path(i), `Invalid '${path(i)}': no file found with id '${f.file_id}'.`, null);
  });
}

/** POST /v1/vector_stores. `file_ids` ≤ 500 (spec). */
export function checkCreateVectorStore(body: unknown, fileExists: (id: string) => boolean): NewVectorStore {
  const o = checkShape(asObject(body, "body"), "", {
    file_ids: opt(listOf(str, 500)),
    name: opt(str),
    description: opt(maxLen(512)),
    expires_after: opt(expiresAfter),
    chunking_strategy: opt(chunkingStrategy),
    metadata: opt((v) => checkMetadata(v)),
  });
  const strategy = o.chunking_strategy as ChunkingStrategy | undefined;
  const files = ((o.file_ids ?? []) as string[]).map((file_id) => ({ file_id, chunking_strategy: strategy }));
  checkFilesExist(files, (i) => `file_ids[${i}]`, fileExists);
  return {
    name: o.name as string | undefined,
    description: o.description as string | undefined,
    metadata: (o.metadata ?? {}) as Metadata,
    expires_after: o.expires_after as ExpiresAfter | undefined,
    files,
  };
}

/** POST /v1/vector_stores/{id}/file_batches: exactly one of `file_ids` / `files`, each 1..2000. */
export function checkCreateFileBatch(body: unknown, fileExists: (id: string) => boolean): FileToAttach[] {
  const o = checkShape(asObject(body, "body"), "", {
    file_ids: opt(listOf(str, 2000, 1)),
    files: opt(
      listOf(object({ file_id: req(str), chunking_strategy: opt(chunkingStrategy), attributes: opt(nullable(attributes)) }), 2000, 1),
    ),
    chunking_strategy: opt(chunkingStrategy),
    attributes: opt(nullable(attributes)),
  });
  if (o.file_ids !== undefined && o.files !== undefined)
    throw invalid("files", "Invalid 'files': 'file_ids' and 'files' are mutually exclusive; provide only one.");
  if (o.files !== undefined) {
    // The per-file form ignores the global attributes/chunking_strategy (spec).
    const files = o.files as FileToAttach[];
    checkFilesExist(files, (i) => `files[${i}].file_id`, fileExists);
    return files;
  }
  if (o.file_ids === undefined) throw missing("file_ids");
  const files = (o.file_ids as string[]).map((file_id) => ({
    file_id,
    chunking_strategy: o.chunking_strategy as ChunkingStrategy | undefined,
    attributes: o.attributes as Attributes | null | undefined,
  }));
  checkFilesExist(files, (i) => `file_ids[${i}]`, fileExists);
  return files;
}

export type VectorStoreFileStatus = "in_progress" | "completed" | "failed" | "cancelled";
export const FILE_STATUSES: readonly VectorStoreFileStatus[] = ["in_progress", "completed", "failed", "cancelled"];

/** limit/order/after/before plus `filter` (file status) of the vector store file lists. */
export function checkFileListQuery(q: URLSearchParams): ListQuery & { filter?: VectorStoreFileStatus } {
  const filter = q.get("filter");
  return {
    ...checkListQuery(q, true),
    ...(filter !== null ? { filter: enumOf(FILE_STATUSES)(filter, "filter") as VectorStoreFileStatus } : {}),
  };
}

export interface IngestError {
  code: "server_error" | "unsupported_file" | "invalid_file";
  message: string;
}
/** Body of POST /__control/files/{id}/fail-ingest (VectorStoreFileObject.last_error). */
export function checkIngestError(body: unknown): IngestError {
  return checkShape(asObject(body, "body"), "", {
    code: req(enumOf(["server_error", "unsupported_file", "invalid_file"])),
    message: req(str),
  }) as unknown as IngestError;
}
