// Conversations and their items, what ferry writes: the create/append bodies (items as items.ts
// checks them, 20 a write, every named file existing), the store, the /v1 routes and the
// /__control snapshots tests read back.

import { notFound } from "./errors";
import { newId, nowSec } from "./ids";
import { checkFileRefs, checkItems, INCLUDE_VALUES, renderItem, storedItem, type ConversationItem, type NewItem, type SnapshotItem } from "./items";
import { checkInclude, checkListQuery, pageOf, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Route } from "./routes";
import type { FakeState } from "./state";
import { checkBody, checkLength, metadataField, opt, req, type Metadata } from "./schema";

interface ConversationRecord {
  id: string;
  created_at: number;
  metadata: Metadata;
  items: ConversationItem[];
}
/** What `/__control/conversations` answers (and `FakeState.conversationSnapshots`). */
export interface ConversationSnapshot extends Omit<ConversationRecord, "items"> {
  items: SnapshotItem[];
}

/** What an item write looks up: ids an item may repeat, files its parts and annotations name. */
export interface ItemLookup {
  itemExists(id: string): boolean;
  fileExists(id: string): boolean;
}

function checkWrite(v: unknown, min: number, lookup: ItemLookup): NewItem[] {
  const items = checkItems(checkLength(v, "items", 20, min), "items", lookup.itemExists);
  checkFileRefs(items, "items", lookup.fileExists);
  return items;
}

/** POST /v1/conversations (CreateConversationBody). */
export function checkCreateConversation(body: unknown, lookup: ItemLookup) {
  const o = checkBody(body, {
    metadata: metadataField,
    items: opt((v) => (v === null ? [] : checkWrite(v, 0, lookup))),
  });
  return { metadata: (o.metadata ?? {}) as Metadata, items: (o.items ?? []) as NewItem[] };
}

/** POST /v1/conversations/{id}/items: `items` required, 1..20. */
export function checkAddItems(body: unknown, lookup: ItemLookup): NewItem[] {
  const o = checkBody(body, { items: req((v) => checkWrite(v, 1, lookup)) });
  return o.items as NewItem[];
}

/** `include` of the item reads and writes (spec IncludeEnum). */
const checkItemsInclude = (q: URLSearchParams) => checkInclude(q, INCLUDE_VALUES);

// ---------- the store ----------

export class ConversationStore {
  private conversations = new Map<string, ConversationRecord>();
  private itemIds = new Set<string>();

  itemExists = (id: string): boolean => this.itemIds.has(id);

  create(metadata: Metadata, items: NewItem[]) {
    const conv: ConversationRecord = { id: newId("conv_", 48), created_at: nowSec(), metadata, items: [] };
    this.conversations.set(conv.id, conv);
    this.storeItems(conv, items);
    return this.resource(conv.id);
  }

  get(id: string) {
    return this.resource(id);
  }

  addItems(conversationId: string, items: NewItem[], include: ReadonlySet<string>): Page<ConversationItem> {
    return pageOf(this.storeItems(this.conversation(conversationId), items).map((it) => renderItem(it, include)));
  }

  listItems(conversationId: string, q: ListQuery, include: ReadonlySet<string>): Page<ConversationItem> {
    const page = paginate(this.conversation(conversationId).items, q, "item");
    return { ...page, data: page.data.map((it) => renderItem(it, include)) };
  }

  /** Every stored item, oldest first (what a response reads as its history); 404 if unknown. */
  history(conversationId: string): readonly ConversationItem[] {
    return this.conversation(conversationId).items;
  }

  /** Appends items already built (a response's input and output keep the ids it answers with). */
  append(conversationId: string, items: ConversationItem[]): void {
    for (const it of items) this.itemIds.add(it.id);
    this.conversation(conversationId).items.push(...items);
  }

  // SnapshotItem only adds `never` fields to tool items: the records as stored are what is answered.
  snapshots(): ConversationSnapshot[] {
    return [...this.conversations.values()] as ConversationSnapshot[];
  }
  snapshot(id: string): ConversationSnapshot | undefined {
    return this.conversations.get(id) as ConversationSnapshot | undefined;
  }

  private conversation(id: string): ConversationRecord {
    const c = this.conversations.get(id);
    if (!c) throw notFound(`Conversation with id '${id}' not found.`);
    return c;
  }

  private resource(id: string) {
    const c = this.conversation(id);
    return { id: c.id, object: "conversation", created_at: c.created_at, metadata: c.metadata };
  }

  /** Items arrive fully validated, so this cannot fail halfway (all-or-nothing). */
  private storeItems(conv: ConversationRecord, items: NewItem[]): ConversationItem[] {
    const created = items.map(storedItem);
    this.append(conv.id, created);
    return created;
  }
}

const itemLookup = (state: FakeState): ItemLookup => ({ itemExists: state.conversations.itemExists, fileExists: state.files.exists });

export const conversationRoutes: Route[] = [
  route("POST", "/v1/conversations", (c) => {
    const { metadata, items } = checkCreateConversation(c.body(), itemLookup(c.state));
    return c.state.conversations.create(metadata, items);
  }),
  route("GET", "/v1/conversations/{id}", (c) => c.state.conversations.get(c.params.id)),
  route("POST", "/v1/conversations/{id}/items", (c) => {
    const include = checkItemsInclude(c.query);
    return c.state.conversations.addItems(c.params.id, checkAddItems(c.body(), itemLookup(c.state)), include);
  }),
  route("GET", "/v1/conversations/{id}/items", (c) =>
    c.state.conversations.listItems(c.params.id, checkListQuery(c.query, false), checkItemsInclude(c.query)),
  ),

  route("GET", "/__control/conversations", (c) => ({ data: c.state.conversations.snapshots() })),
  route("GET", "/__control/conversations/{id}", (c) => {
    const conv = c.state.conversations.snapshot(c.params.id);
    if (!conv) throw notFound(`Conversation with id '${c.params.id}' not found.`);
    return conv;
  }),
];
