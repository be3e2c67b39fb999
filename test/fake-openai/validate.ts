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

function checkItems(v: unknown, itemExists: (id: string) => boolean, min: number): NewItem[] {
  const list = anyArray(v, "items") as unknown[];
  if (list.length > 20)
    throw invalid(
      "items",
      `Invalid 'items': array too long. Expected an array with maximum length 20, but got an array with length ${list.length} instead.`,
      "array_above_max_length",
    );
  if (list.length < min)
    throw invalid(
      "items",
      "Invalid 'items': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "empty_array",
    );
  return list.map((item, i) => checkItem(item, `items[${i}]`, itemExists));
}

// ---------- metadata ----------

/** Spec Metadata: ≤16 pairs, keys ≤64 chars, string values ≤512 chars. */
export function checkMetadata(v: unknown, param = "metadata"): Metadata {
  if (v === null || v === undefined) return {};
  const o = asObject(v, param);
  const entries = Object.entries(o);
  if (entries.length > 16)
    throw invalid(
      param,
      `Invalid '${param}': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`,
      "object_above_max_properties",
    );
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
  return { ...(o as Metadata) };
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
