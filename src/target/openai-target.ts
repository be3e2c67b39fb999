import type OpenAI from "openai";
import type { ConversationItem as ApiItem, ConversationItemList } from "openai/resources/conversations/items";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import { type CallCore, cursor } from "../client/call";
import { Rejected } from "../client/errors";
import { betaHeader, type Side } from "../client/sdk";
import type { ConversationItem } from "../conversion/types";
import type { ConversationTarget } from "./types";

/**
 * The SDK types assistant input items with `id`/`status`, which the API issues itself (contract §3);
 * ferry's own item union is what the API accepts, so it is handed over through this one cast.
 */
const asInputItems = (items: ConversationItem[]) => items as unknown as Parameters<OpenAI["conversations"]["items"]["create"]>[1]["items"];

/** The Responses-era API ferry writes to: conversations, files and vector stores (OpenAI, or Azure OpenAI's v1 API). */
export class OpenAITarget implements ConversationTarget {
  private readonly core: CallCore;
  private readonly client: OpenAI;
  /** Vector-store calls carry the host's `OpenAI-Beta` header, or none. */
  private readonly options: OpenAI.RequestOptions;

  constructor(side: Side) {
    this.core = side.core;
    this.client = side.client;
    this.options = betaHeader(side);
  }

  async getFilename(fileId: string): Promise<string | null> {
    return this.ifExists(async () => (await this.core.call("read", () => this.client.files.retrieve(fileId))).filename);
  }

  async fileExists(fileId: string): Promise<boolean> {
    return (await this.getFilename(fileId)) !== null;
  }

  async createConversation(items: ConversationItem[], metadata: Record<string, string>): Promise<string> {
    return (await this.core.call("write", () => this.client.conversations.create({ items: asInputItems(items), metadata }))).id;
  }

  async appendItems(conversationId: string, items: ConversationItem[]): Promise<string> {
    const list: ConversationItemList = await this.core.call("write", () => this.client.conversations.items.create(conversationId, { items: asInputItems(items) }));
    return list.last_id;
  }

  async listItems(conversationId: string, after: string | null, limit: number): Promise<ApiItem[]> {
    // Listings leave image URLs out unless asked (spec: ConversationItemsInclude); reconciliation compares them.
    const include = ["message.input_image.image_url" as const];
    const page = await this.core.call("read", () => this.client.conversations.items.list(conversationId, { order: "asc", limit, include, ...cursor(after) }));
    return page.data;
  }

  // ---- vector stores ----

  /** Whether the store still exists (expired and deleted ones are gone). */
  async vectorStoreAlive(vectorStoreId: string): Promise<boolean> {
    const alive = await this.ifExists(async () => (await this.core.call("read", () => this.client.vectorStores.retrieve(vectorStoreId, this.options))).status !== "expired");
    return alive === true;
  }

  async createVectorStore(name: string, metadata: Record<string, string>): Promise<string> {
    return (await this.core.call("write", () => this.client.vectorStores.create({ name, metadata }, this.options))).id;
  }

  /** Finds a store by a metadata value among those created since `since` (newest first). */
  async findVectorStore(key: string, value: string, since: number): Promise<string | null> {
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const list = await this.core.call("read", () => this.client.vectorStores.list({ order: "desc", limit: 100, ...cursor(after) }, this.options));
      const found = list.data.find((s) => (s.metadata as Record<string, string> | null)?.[key] === value);
      if (found) return found.id;
      const last = list.data.at(-1);
      if (!list.has_more || !last || last.created_at * 1000 < since) return null;
      after = last.id;
    }
    return null;
  }

  /** Every file the store holds, with its ingestion status. */
  listVectorStoreFiles(vectorStoreId: string): Promise<VectorStoreFile[]> {
    return this.core.allPages((after) => this.client.vectorStores.files.list(vectorStoreId, { limit: 100, ...cursor(after) }, this.options));
  }

  /** Attaches up to 2,000 files; attaching a file the store already holds does not duplicate it. */
  async createFileBatch(vectorStoreId: string, fileIds: string[]): Promise<string> {
    return (await this.core.call("write", () => this.client.vectorStores.fileBatches.create(vectorStoreId, { file_ids: fileIds }, this.options))).id;
  }

  getFileBatch(vectorStoreId: string, batchId: string) {
    return this.core.call("read", () => this.client.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }, this.options));
  }

  /** The batch's files that ended `filter` (failed or cancelled), every page. */
  listBatchFiles(vectorStoreId: string, batchId: string, filter: "failed" | "cancelled"): Promise<VectorStoreFile[]> {
    return this.core.allPages((after) =>
      this.client.vectorStores.fileBatches.listFiles(batchId, { vector_store_id: vectorStoreId, filter, limit: 100, ...cursor(after) }, this.options),
    );
  }

  /** The read's answer, or null when the object is gone (404/410). */
  private async ifExists<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (err) {
      if (err instanceof Rejected && err.gone) return null;
      throw err;
    }
  }
}
