// Conversations and their items, what ferry writes: item validation with the real API's
// strictness (content parts, annotations, the 20-items-a-write limit), the store, the /v1 routes,
// and the /__control snapshots tests read back.

import { invalid, notFound } from "./errors";
import { newId, nowSec } from "./ids";
import { checkListQuery, pageOf, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Route } from "./routes";
import { anyArray, anyObject, arrayOf, asObject, checkBody, checkLength, checkShape, enumOf, join, metadataField, missing, nonNegInt, nullable, object, opt, req, str, TYPE, union, url, wrongType, type Check, type Metadata, type Obj } from "./schema";

export type Role = "user" | "assistant" | "system" | "developer";

/** An item that passed validation, normalized to the stored shape (minus id/status). */
export interface NewItem {
  role: Role;
  content: Obj[];
  phase?: string | null;
}
export interface ConversationItem extends NewItem {
  id: string;
  type: "message";
  status: "completed";
}
export interface ConversationSnapshot {
  id: string;
  created_at: number;
  metadata: Metadata;
  items: ConversationItem[];
}

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
  return checkLength(v, "items", 20, min).map((item, i) => checkItem(item, `items[${i}]`, itemExists));
}

/** POST /v1/conversations (CreateConversationBody). */
export function checkCreateConversation(body: unknown, itemExists: (id: string) => boolean) {
  const o = checkBody(body, {
    metadata: metadataField,
    items: opt((v) => (v === null ? [] : checkItems(v, itemExists, 0))),
  });
  return { metadata: (o.metadata ?? {}) as Metadata, items: (o.items ?? []) as NewItem[] };
}

/** POST /v1/conversations/{id}/items: `items` required, 1..20. */
export function checkAddItems(body: unknown, itemExists: (id: string) => boolean): NewItem[] {
  const o = checkBody(body, { items: req((v) => checkItems(v, itemExists, 1)) });
  return o.items as NewItem[];
}

// ---------- the store ----------

export class ConversationStore {
  private conversations = new Map<string, ConversationSnapshot>();
  private itemIds = new Set<string>();

  itemExists = (id: string): boolean => this.itemIds.has(id);

  create(metadata: Metadata, items: NewItem[]) {
    const conv: ConversationSnapshot = { id: newId("conv_", 48), created_at: nowSec(), metadata, items: [] };
    this.conversations.set(conv.id, conv);
    this.storeItems(conv, items);
    return this.resource(conv.id);
  }

  get(id: string) {
    return this.resource(id);
  }

  addItems(conversationId: string, items: NewItem[]): Page<ConversationItem> {
    return pageOf(this.storeItems(this.conversation(conversationId), items));
  }

  listItems(conversationId: string, q: ListQuery): Page<ConversationItem> {
    return paginate(this.conversation(conversationId).items, q, "item");
  }

  snapshots(): ConversationSnapshot[] {
    return [...this.conversations.values()];
  }
  snapshot(id: string): ConversationSnapshot | undefined {
    return this.conversations.get(id);
  }

  private conversation(id: string): ConversationSnapshot {
    const c = this.conversations.get(id);
    if (!c) throw notFound(`Conversation with id '${id}' not found.`);
    return c;
  }

  private resource(id: string) {
    const c = this.conversation(id);
    return { id: c.id, object: "conversation", created_at: c.created_at, metadata: c.metadata };
  }

  /** Items arrive fully validated, so this cannot fail halfway (all-or-nothing). */
  private storeItems(conv: ConversationSnapshot, items: NewItem[]): ConversationItem[] {
    const created = items.map((it) => ({ id: newId("msg_", 48), type: "message" as const, status: "completed" as const, ...it }));
    for (const it of created) this.itemIds.add(it.id);
    conv.items.push(...created);
    return created;
  }
}

export const conversationRoutes: Route[] = [
  route("POST", "/v1/conversations", (c) => {
    const { metadata, items } = checkCreateConversation(c.body(), c.state.conversations.itemExists);
    return c.state.conversations.create(metadata, items);
  }),
  route("GET", "/v1/conversations/{id}", (c) => c.state.conversations.get(c.params.id)),
  route("POST", "/v1/conversations/{id}/items", (c) =>
    c.state.conversations.addItems(c.params.id, checkAddItems(c.body(), c.state.conversations.itemExists)),
  ),
  route("GET", "/v1/conversations/{id}/items", (c) => c.state.conversations.listItems(c.params.id, checkListQuery(c.query, false))),

  route("GET", "/__control/conversations", (c) => ({ data: c.state.conversations.snapshots() })),
  route("GET", "/__control/conversations/{id}", (c) => {
    const conv = c.state.conversations.snapshot(c.params.id);
    if (!conv) throw notFound(`Conversation with id '${c.params.id}' not found.`);
    return conv;
  }),
];
