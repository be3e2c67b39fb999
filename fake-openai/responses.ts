// `POST /v1/responses`, as far as a migrated conversation needs it (contract §4.6): the body a
// prompt spec spreads into (model, instructions, tools, temperature, top_p, text), the history
// check the real API makes before answering (every tool output after its call, every call with an
// output), and a canned completed Response that is appended to the conversation as the API does.

import { invalid } from "./errors";
import { newId, nowSec } from "./ids";
import { checkFileRefs, checkItems, storedItem, type ConversationItem, type NewItem } from "./items";
import { route, type Route } from "./routes";
import { anyObject, arrayOf, bool, checkBody, enumOf, listOf, maxLen, metadataField, mustExist, nullable, numberIn, object, opt, req, str, TYPE, union, wrongType, type Check, type Metadata, type Obj } from "./schema";
import type { FakeState } from "./state";

/** What every response answers: the fake runs no model. */
export const CANNED_ANSWER = "This is a canned answer from the fake OpenAI.";

// ---------- the body (spec CreateResponse, the part the fake models) ----------

const CALLERS = enumOf(["direct", "programmatic"]);
const tool = union({
  function: object({
    type: TYPE,
    name: req(maxLen(64)),
    description: opt(nullable(str)),
    parameters: req(nullable(anyObject)),
    strict: req(nullable(bool)),
    defer_loading: opt(bool),
    output_schema: opt(nullable(anyObject)),
    allowed_callers: opt(nullable(arrayOf(CALLERS))),
  }),
  file_search: object({
    type: TYPE,
    vector_store_ids: req(arrayOf(str)),
    max_num_results: opt(numberIn(1, 50, true)),
    ranking_options: opt(
      object({ ranker: opt(enumOf(["auto", "default-2024-11-15"])), score_threshold: opt(numberIn(0, 1)), hybrid_search: opt(anyObject) }),
    ),
    filters: opt(nullable(anyObject)),
  }),
  code_interpreter: object({
    type: TYPE,
    // A string names a container; the fake has none, so only the auto form can be valid.
    container: req((v, path) => {
      if (typeof v === "string") throw invalid(path, `Invalid '${path}': no container found with id '${v}'.`, null);
      return object({
        type: req(enumOf(["auto"])),
        file_ids: opt(listOf(str, 50)),
        memory_limit: opt(nullable(enumOf(["1g", "4g", "16g", "64g"]))),
        network_policy: opt(anyObject),
      })(v, path);
    }),
    allowed_callers: opt(nullable(listOf(CALLERS, Infinity, 1))),
  }),
});

const text = object({
  format: opt(
    union({
      text: object({ type: TYPE }),
      json_object: object({ type: TYPE }),
      json_schema: object({ type: TYPE, name: req(maxLen(64)), description: opt(str), schema: req(anyObject), strict: opt(nullable(bool)) }),
    }),
  ),
  verbosity: opt(nullable(enumOf(["low", "medium", "high"]))),
});

/** `conversation`: its id, or `{id}`. */
const conversationRef: Check = (v, path) => {
  if (typeof v === "string") return v;
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw wrongType(path, "one of a string or an object", v);
  return (object({ id: req(str) })(v, path) as { id: string }).id;
};

interface ResponseBody {
  model: string;
  conversation?: string | null;
  input?: string | unknown[];
  instructions?: string | null;
  tools?: Obj[];
  temperature?: number | null;
  top_p?: number | null;
  text?: { format?: Obj; verbosity?: string | null };
  metadata?: Metadata;
}

function checkBodyShape(body: unknown): ResponseBody {
  return checkBody(body, {
    model: req(str),
    conversation: opt(nullable(conversationRef)),
    input: opt((v, path) => {
      if (typeof v === "string" || Array.isArray(v)) return v;
      throw wrongType(path, "one of a string or array of objects", v);
    }),
    instructions: opt(nullable(str)),
    tools: opt(arrayOf(tool)),
    temperature: opt(nullable(numberIn(0, 2))),
    top_p: opt(nullable(numberIn(0, 1))),
    text: opt(text),
    metadata: metadataField,
  }) as unknown as ResponseBody;
}

/** A string input is one user message. */
function inputItems(input: ResponseBody["input"], itemExists: (id: string) => boolean): NewItem[] {
  if (input === undefined) return [];
  if (typeof input === "string") return [{ type: "message", role: "user", content: [{ type: "input_text", text: input }] }];
  return checkItems(input, "input", itemExists);
}

/** Vector stores and container files the tools name must exist. */
function checkToolRefs(tools: Obj[], state: FakeState): void {
  tools.forEach((t, i) => {
    if (t.type === "file_search") mustExist(t.vector_store_ids as string[], (j) => `tools[${i}].vector_store_ids[${j}]`, "vector store", state.vectorStores.exists);
    if (t.type === "code_interpreter")
      mustExist((t.container as Obj).file_ids as string[] | undefined, (j) => `tools[${i}].container.file_ids[${j}]`, "file", state.files.exists);
  });
}

/**
 * The history the model would read (the conversation's items, then the input) must pair every tool
 * call: an output needs an earlier call with its call_id, a call needs an output. Worded and
 * typed as the real API answers (param `input`, code null).
 */
function checkToolPairs(history: readonly NewItem[]): void {
  const called = new Set<string>();
  const answered = new Set<string>();
  for (const it of history) {
    if (it.type === "function_call") called.add(it.call_id);
    if (it.type !== "function_call_output") continue;
    if (!called.has(it.call_id)) throw invalid("input", `No tool call found for function call output with call_id ${it.call_id}.`, null);
    answered.add(it.call_id);
  }
  for (const it of history)
    if (it.type === "function_call" && !answered.has(it.call_id)) throw invalid("input", `No tool output found for function call ${it.call_id}.`, null);
}

// ---------- the answer (spec Response) ----------

function responseObject(b: ResponseBody, output: ConversationItem, conversation: string | null) {
  const now = nowSec();
  return {
    id: newId("resp_", 48),
    object: "response",
    created_at: now,
    status: "completed",
    completed_at: now,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: b.instructions ?? null,
    max_output_tokens: null,
    max_tool_calls: null,
    model: b.model,
    output: [output],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: b.temperature ?? 1,
    text: { format: b.text?.format ?? { type: "text" }, verbosity: b.text?.verbosity ?? "medium" },
    tool_choice: "auto",
    tools: b.tools ?? [],
    top_logprobs: 0,
    top_p: b.top_p ?? 1,
    truncation: "disabled",
    usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
    metadata: b.metadata ?? {},
    conversation: conversation === null ? null : { id: conversation },
  };
}

/** Validates everything (all-or-nothing), then answers and, with a conversation, appends the input and the answer to it. */
function createResponse(body: unknown, state: FakeState) {
  const b = checkBodyShape(body);
  const input = inputItems(b.input, state.conversations.itemExists);
  checkFileRefs(input, "input", state.files.exists);
  checkToolRefs(b.tools ?? [], state);
  const conversation = b.conversation ?? null;
  const history = conversation === null ? [] : state.conversations.history(conversation);
  checkToolPairs([...history, ...input]);

  const output = storedItem({ type: "message", role: "assistant", content: [{ type: "output_text", text: CANNED_ANSWER, annotations: [], logprobs: [] }] });
  if (conversation !== null) state.conversations.append(conversation, [...input.map(storedItem), output]);
  return responseObject(b, output, conversation);
}

export const responseRoutes: Route[] = [route("POST", "/v1/responses", (c) => createResponse(c.body(), c.state))];
