import OpenAI from "openai";
import type { Assistant } from "openai/resources/beta/assistants";
import type { Message } from "openai/resources/beta/threads/messages";
import type { VectorStoreFile } from "openai/resources/vector-stores/files";
import type { ConversationItem as ApiItem } from "openai/resources/conversations/items";
import type { Config } from "../config";
import type { ConversationItem } from "../conversion/types";
import type { SourceToolResources } from "../conversion/tool-resources";
import type { Budget } from "../migration/budget";
import { AmbiguousWrite, classify, RateLimited, Rejected, SourceGone, TransientFailure } from "./errors";

const ATTEMPTS = 3;
/** Longest Retry-After honoured by waiting in place; longer ones go back to the queue with a delay. */
const MAX_INLINE_WAIT_MS = 5_000;

export interface SourceThread {
  metadata: Record<string, unknown> | null;
  toolResources: SourceToolResources | null;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * The one place ferry talks to OpenAI: the Assistants API (source) and Conversations/Files (target).
 * The SDK's own retries are off: reads are retried here, writes never blindly (see AmbiguousWrite).
 */
export class OpenAIGateway {
  private readonly source: OpenAI;
  private readonly target: OpenAI;

  constructor(
    config: Config,
    private readonly budget: Budget,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    const common = { maxRetries: 0, timeout: config.requestTimeoutMs };
    this.source = new OpenAI({ ...common, apiKey: config.assistantsApiKey, baseURL: config.assistantsBaseUrl });
    this.target = new OpenAI({ ...common, apiKey: config.openaiApiKey, baseURL: config.openaiBaseUrl });
  }

  async getThread(threadId: string): Promise<SourceThread> {
    const thread = await this.call("source", () => this.source.beta.threads.retrieve(threadId));
    return { metadata: thread.metadata as Record<string, unknown> | null, toolResources: thread.tool_resources ?? null };
  }

  /** One page of the thread's messages, oldest first, after the `after` message. */
  async listMessages(threadId: string, after: string | null): Promise<Page<Message>> {
    const page = await this.call("source", () =>
      this.source.beta.threads.messages.list(threadId, { order: "asc", limit: 100, ...(after ? { after } : {}) }),
    );
    return { data: page.data, hasMore: page.has_more };
  }

  /** The file's name, or null when the file no longer exists. */
  async getFilename(fileId: string): Promise<string | null> {
    try {
      return (await this.call("read", () => this.target.files.retrieve(fileId))).filename;
    } catch (err) {
      if (err instanceof Rejected && err.gone) return null;
      throw err;
    }
  }

  async createConversation(items: ConversationItem[], metadata: Record<string, string>): Promise<string> {
    const conversation = await this.call("write", () =>
      this.target.conversations.create({ items: items as never, metadata }),
    );
    return conversation.id;
  }

  /** Appends ≤20 items; returns the id of the last one written. */
  async appendItems(conversationId: string, items: ConversationItem[]): Promise<string> {
    const list = await this.call("write", () =>
      this.target.conversations.items.create(conversationId, { items: items as never }),
    );
    return list.last_id;
  }

  /** Items in written order, after `after` (or from the start). */
  async listItems(conversationId: string, after: string | null, limit: number): Promise<ApiItem[]> {
    const page = await this.call("read", () =>
      this.target.conversations.items.list(conversationId, { order: "asc", limit, ...(after ? { after } : {}) }),
    );
    return page.data;
  }

  // ---- Assistants (source) ----

  async listAssistants(after: string | null): Promise<Page<Assistant>> {
    const page = await this.call("source", () => this.source.beta.assistants.list({ order: "asc", limit: 100, ...(after ? { after } : {}) }));
    return { data: page.data, hasMore: page.has_more };
  }

  async getAssistant(assistantId: string): Promise<Assistant> {
    return this.call("source", () => this.source.beta.assistants.retrieve(assistantId));
  }

  /** The v1 AssistantFiles list (`OpenAI-Beta: assistants=v1`), every page. Answers 400/404/410 once v1 is gone. */
  listV1AssistantFiles(assistantId: string): Promise<string[]> {
    return this.v1FileIds(`/assistants/${assistantId}/files`);
  }

  /** The v1 MessageFiles list of one message, every page; like the above once v1 is gone. */
  listV1MessageFiles(threadId: string, messageId: string): Promise<string[]> {
    return this.v1FileIds(`/threads/${threadId}/messages/${messageId}/files`);
  }

  private async v1FileIds(path: string): Promise<string[]> {
    const files = await this.allPages((after) =>
      this.source.get<{ data: { id: string }[]; has_more: boolean }>(path, {
        query: { limit: 100, order: "asc", ...(after ? { after } : {}) },
        headers: { "OpenAI-Beta": "assistants=v1" },
      }),
    );
    return files.map((f) => f.id);
  }

  async updateAssistantToolResources(assistantId: string, toolResources: Assistant["tool_resources"]): Promise<void> {
    await this.call("write", () => this.source.beta.assistants.update(assistantId, { tool_resources: toolResources }));
  }

  // ---- Vector stores and files (target) ----

  async fileExists(fileId: string): Promise<boolean> {
    return (await this.getFilename(fileId)) !== null;
  }

  /** Whether the store still exists (expired and deleted ones are gone). */
  async vectorStoreAlive(vectorStoreId: string): Promise<boolean> {
    try {
      const store = await this.call("read", () => this.target.vectorStores.retrieve(vectorStoreId));
      return store.status !== "expired";
    } catch (err) {
      if (err instanceof Rejected && err.gone) return false;
      throw err;
    }
  }

  async createVectorStore(name: string, metadata: Record<string, string>): Promise<string> {
    return (await this.call("write", () => this.target.vectorStores.create({ name, metadata }))).id;
  }

  /** Finds a store by a metadata value among those created since `since` (newest first). */
  async findVectorStore(key: string, value: string, since: number): Promise<string | null> {
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const list = await this.call("read", () => this.target.vectorStores.list({ order: "desc", limit: 100, ...(after ? { after } : {}) }));
      const found = list.data.find((s) => (s.metadata as Record<string, string> | null)?.[key] === value);
      if (found) return found.id;
      const last = list.data.at(-1);
      if (!list.has_more || !last || last.created_at * 1000 < since) return null;
      after = last.id;
    }
    return null;
  }

  /** Every file the store holds, with its ingestion status. */
  async listVectorStoreFiles(vectorStoreId: string): Promise<VectorStoreFile[]> {
    return this.allPages((after) => this.target.vectorStores.files.list(vectorStoreId, { limit: 100, ...(after ? { after } : {}) }));
  }

  /** Attaches up to 2,000 files; attaching a file the store already holds does not duplicate it. */
  async createFileBatch(vectorStoreId: string, fileIds: string[]): Promise<string> {
    return (await this.call("write", () => this.target.vectorStores.fileBatches.create(vectorStoreId, { file_ids: fileIds }))).id;
  }

  async getFileBatch(vectorStoreId: string, batchId: string) {
    return this.call("read", () => this.target.vectorStores.fileBatches.retrieve(batchId, { vector_store_id: vectorStoreId }));
  }

  async listFailedBatchFiles(vectorStoreId: string, batchId: string): Promise<VectorStoreFile[]> {
    return this.allPages((after) =>
      this.target.vectorStores.fileBatches.listFiles(batchId, { vector_store_id: vectorStoreId, filter: "failed", limit: 100, ...(after ? { after } : {}) }),
    );
  }

  private async allPages<T extends { id: string }>(list: (after: string | null) => PromiseLike<{ data: T[]; has_more: boolean }>): Promise<T[]> {
    const all: T[] = [];
    let after: string | null = null;
    do {
      const page = await this.call("read", async () => list(after));
      all.push(...page.data);
      after = page.has_more ? (page.data.at(-1)?.id ?? null) : null;
    } while (after);
    return all;
  }

  private async call<T>(mode: "source" | "read" | "write", send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.budget.spend();
      try {
        return await send();
      } catch (err) {
        const failure = classify(err);
        if (failure.kind === "rejected") {
          const status = failure.status ?? 400;
          if (mode === "source" && (status === 404 || status === 410)) throw new SourceGone(failure.message, status);
          throw new Rejected(failure.message, status, failure.code, failure.param);
        }
        const more = attempt < ATTEMPTS && this.budget.canAfford(1);
        if (failure.kind === "rate_limited") {
          // A 429 applied nothing, so even a write is safe to send again once the wait is over.
          const waitMs = (failure.retryAfter ?? 1) * 1000;
          if (more && waitMs <= MAX_INLINE_WAIT_MS && waitMs < this.budget.timeLeft) {
            await this.sleep(waitMs);
            continue;
          }
          throw new RateLimited(failure.retryAfter ?? 1);
        }
        if (mode === "write") throw new AmbiguousWrite(failure.message, failure.status);
        if (!more) throw new TransientFailure(failure.message, failure.status);
        await this.sleep(backoffMs(attempt));
      }
    }
  }
}

/** Exponential backoff with full jitter. */
export function backoffMs(attempt: number, baseMs = 250): number {
  return Math.round(Math.random() * baseMs * 2 ** (attempt - 1));
}
