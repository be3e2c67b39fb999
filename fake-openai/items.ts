// Items as the Conversations and Responses APIs take them (spec InputItem): messages, function calls
// and function call outputs, with their content parts and annotations, checked with the real API's
// strictness; the files they name; the stored shape (ConversationItem) and how a read renders it
// (`include`). Other item types the spec defines are refused, naming the item.

import { invalid } from "./errors";
import { newId } from "./ids";
import { anyArray, anyObject, arrayOf, asObject, checkShape, enumOf, join, maxLen, missing, mustExist, nonNegInt, nullable, object, opt, req, str, TYPE, union, url, wrongType, type Check, type Field, type Obj } from "./schema";

export type Role = "user" | "assistant" | "system" | "developer";

export interface MessageItem {
  type: "message";
  role: Role;
  content: Obj[];
  phase?: string | null;
}
export interface FunctionCallItem {
  type: "function_call";
  call_id: string;
  name: string;
  arguments: string;
  namespace?: string;
  caller?: Obj | null;
}
export interface FunctionCallOutputItem {
  type: "function_call_output";
  call_id: string;
  /** A string, or input_text / input_image / input_file parts. */
  output: string | Obj[];
  name?: string | null;
  namespace?: string | null;
  caller?: Obj | null;
}
/** An item that passed validation, normalized to the stored shape minus id/status. */
export type NewItem = MessageItem | FunctionCallItem | FunctionCallOutputItem;
export type ConversationItem = NewItem & { id: string; status: "completed" };
/**
 * A stored item as snapshot readers see it. Tool items have no `role` or `content`, typed `never`
 * so readers written when every item was a message still compile; narrow on `type` for the rest.
 */
export type SnapshotItem =
  | (MessageItem & { id: string; status: "completed" })
  | ((FunctionCallItem | FunctionCallOutputItem) & { id: string; status: "completed"; role: never; content: never });

/** Spec IncludeEnum: what a conversation item read (or a response) may add. */
export const INCLUDE_VALUES = [
  "file_search_call.results",
  "web_search_call.results",
  "web_search_call.action.sources",
  "message.input_image.image_url",
  "computer_call_output.output.image_url",
  "code_interpreter_call.outputs",
  "reasoning.encrypted_content",
  "message.output_text.logprobs",
] as const;
const IMAGE_URL = "message.input_image.image_url";

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
const IMAGE_DETAIL = enumOf(["low", "high", "auto", "original"]);
/** Files API ids are at most 64 characters (the real API's limit on input parts). */
const fileId = opt(nullable(maxLen(64)));

/** The input parts; only the image's `detail` differs between a message and a tool output. */
const inputParts = (imageDetail: Field) =>
  union({
    input_text: object({ type: TYPE, text: req(str), prompt_cache_breakpoint: cacheBreakpoint }),
    input_image: object(
      { type: TYPE, image_url: opt(nullable(url)), file_id: fileId, detail: imageDetail, prompt_cache_breakpoint: cacheBreakpoint },
      (o, path) => {
        const sources = [o.image_url, o.file_id].filter((s) => s != null).length;
        if (sources !== 1)
          throw invalid(
            path,
            `Invalid '${path}': exactly one of 'image_url' or 'file_id' must be provided, but got ${sources}.`,
          );
        return { type: "input_image", image_url: o.image_url ?? null, file_id: o.file_id ?? null, detail: o.detail ?? "auto" };
      },
    ),
    input_file: object(
      {
        type: TYPE,
        file_id: fileId,
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
// A message's image (InputImageContent) must state `detail`: the spec says so, though the docs say
// it defaults to auto, so a converter that forgets it fails here. A tool output's image
// (InputImageContentParamAutoParam) may leave it out.
const messageInputPart = inputParts(req(IMAGE_DETAIL));
const toolOutputPart = inputParts(opt(nullable(IMAGE_DETAIL)));

const outputPart = union({
  output_text: object(
    { type: TYPE, text: req(str), annotations: req(arrayOf(annotation)), logprobs: opt(anyArray) },
    (o) => ({ ...o, logprobs: o.logprobs ?? [] }), // the API always returns logprobs
  ),
  refusal: object({ type: TYPE, refusal: req(str) }),
});

// ---------- items ----------

const ROLES = ["user", "assistant", "system", "developer"] as const;
const ITEM_TYPES = ["message", "function_call", "function_call_output"] as const;
const ITEM_STATUS = enumOf(["in_progress", "completed", "incomplete"]);
const caller = union({ direct: object({ type: TYPE }), program: object({ type: TYPE, caller_id: req(maxLen(64, 1)) }) });

function content(role: Role): Check {
  const part = role === "assistant" ? outputPart : messageInputPart;
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

const toolOutput: Check = (v, path) => {
  if (typeof v === "string") return maxLen(10_485_760)(v, path);
  if (!Array.isArray(v)) throw wrongType(path, "one of a string or array of objects", v);
  return v.map((p, i) => toolOutputPart(p, `${path}[${i}]`));
};

function checkMessage(raw: Obj, path: string): { item: MessageItem; id: unknown } {
  if (raw.role === undefined) throw missing(join(path, "role"));
  const role = enumOf(ROLES)(raw.role, join(path, "role")) as Role;
  const assistant = role === "assistant";
  const o = checkShape(raw, path, {
    type: opt((x) => x),
    role: TYPE,
    id: opt(str),
    content: req(content(role)),
    // `status` and `phase` only exist on the output-message shape (assistant).
    ...(assistant ? { status: opt(ITEM_STATUS), phase: opt(nullable(enumOf(["commentary", "final_answer"]))) } : {}),
  });
  // An output message with `status` must also carry its `id` (spec: OutputMessage requires both).
  if (o.status !== undefined && o.id === undefined) throw missing(join(path, "id"));
  const item: MessageItem = { type: "message", role, content: o.content as Obj[], ...(o.phase !== undefined ? { phase: o.phase as string | null } : {}) };
  return { item, id: o.id };
}

/** Spec FunctionToolCall; `id` and `status` may come back from an earlier read. */
function checkFunctionCall(raw: Obj, path: string): { item: FunctionCallItem; id: unknown } {
  const { id, status: _status, type: _type, ...fields } = checkShape(raw, path, {
    type: TYPE,
    id: opt(str),
    call_id: req(str),
    name: req(str),
    arguments: req(str),
    namespace: opt(str),
    caller: opt(nullable(caller)),
    status: opt(ITEM_STATUS),
  });
  return { item: { type: "function_call", ...(fields as Omit<FunctionCallItem, "type">) }, id };
}

/**
 * Spec FunctionCallOutputItemParam. Its `call_id` is typed nullable and optional there, but an
 * output without one can pair with no call, so the fake requires it (1..64 characters).
 */
function checkFunctionCallOutput(raw: Obj, path: string): { item: FunctionCallOutputItem; id: unknown } {
  const { id, status: _status, type: _type, ...fields } = checkShape(raw, path, {
    type: TYPE,
    id: opt(nullable(str)),
    call_id: req(maxLen(64, 1)),
    output: req(toolOutput),
    name: opt(nullable(maxLen(128, 1))),
    namespace: opt(nullable(maxLen(64, 1))),
    caller: opt(nullable(caller)),
    status: opt(nullable(ITEM_STATUS)),
  });
  return { item: { type: "function_call_output", ...(fields as Omit<FunctionCallOutputItem, "type">) }, id: id ?? undefined };
}

const CHECKS = { message: checkMessage, function_call: checkFunctionCall, function_call_output: checkFunctionCallOutput };

/**
 * One input item at `path` (`items[3]`, `input[0]`). `type` may be omitted (EasyInputMessage). An
 * `id` must name a stored item; the stored copy still gets a fresh one.
 */
function checkItem(v: unknown, path: string, itemExists: (id: string) => boolean): NewItem {
  const raw = asObject(v, path);
  const type = raw.type === undefined ? "message" : (enumOf(ITEM_TYPES)(raw.type, join(path, "type")) as (typeof ITEM_TYPES)[number]);
  const { item, id } = CHECKS[type](raw, path);
  if (id !== undefined && !itemExists(id as string)) throw invalid(join(path, "id"), `Item with id '${String(id)}' not found.`, null);
  return item;
}

/**
 * Every Files API id the items name must exist: images and files in a message or a tool output,
 * file citations and file paths. Container file citations name container files, not checked.
 */
export function checkFileRefs(items: readonly NewItem[], param: string, fileExists: (id: string) => boolean): void {
  const need = (id: unknown, path: string) => mustExist(id == null ? [] : [id as string], () => path, "file", fileExists, "file_not_found");
  items.forEach((it, i) => {
    const [key, parts] = it.type === "message" ? ["content", it.content] : it.type === "function_call_output" && Array.isArray(it.output) ? ["output", it.output] : ["", []];
    parts.forEach((p, j) => {
      const at = `${param}[${i}].${key}[${j}]`;
      if (p.type === "input_image" || p.type === "input_file") need(p.file_id, `${at}.file_id`);
      if (p.type === "output_text")
        (p.annotations as Obj[]).forEach((a, k) => {
          if (a.type === "file_citation" || a.type === "file_path") need(a.file_id, `${at}.annotations[${k}].file_id`);
        });
    });
  });
}

/** The item as stored: a fresh id (`msg_` / `fc_` + 48 hex, creation-ordered), status completed. */
export function storedItem(item: NewItem): ConversationItem {
  return { id: newId(item.type === "message" ? "msg_" : "fc_", 48), ...item, status: "completed" };
}

/** How a read shows a stored item: a message's image URLs only when `include` asks for them. */
export function renderItem(item: ConversationItem, include: ReadonlySet<string>): ConversationItem {
  if (item.type !== "message" || include.has(IMAGE_URL)) return item;
  return { ...item, content: item.content.map((p) => (p.type === "input_image" ? { ...p, image_url: null } : p)) };
}

/** Each item of `list`, named `param[i]`. */
export const checkItems = (list: unknown[], param: string, itemExists: (id: string) => boolean): NewItem[] =>
  list.map((item, i) => checkItem(item, `${param}[${i}]`, itemExists));
