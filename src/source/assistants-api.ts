import type OpenAI from "openai";
import type { Assistant } from "openai/resources/beta/assistants";
import type { Thread } from "openai/resources/beta/threads/threads";
import type { Message } from "openai/resources/beta/threads/messages";
import { type CallCore, cursor, type RefusalRule } from "../client/call";
import { SourceGone, SourceRejected } from "../client/errors";
import { betaHeader, type Side } from "../client/sdk";
import type { RunStep } from "openai/resources/beta/threads/runs/steps";
import type { Page, SourceThread, ThreadSource } from "./types";

/**
 * What ferry knows of assistants' tools, kept in D1 so each assistant is read once: undefined when
 * never read, null when the assistant could not be read (deleted).
 */
export interface AssistantToolsCache {
  get(assistantId: string): Promise<string[] | null | undefined>;
  set(assistantId: string, tools: string[] | null): Promise<void>;
}

/** The source's refusals: 404/410 mean the thread (or the whole API) is gone (contract §4.4); any other is named as the source's. */
const sourceRefusal: RefusalRule = (r) => (r.status === 404 || r.status === 410 ? new SourceGone(r.message, r.status) : new SourceRejected(r.message, r.status, r.code, r.param));

/** The v1 lists are gone too when the host refuses the v1 beta (400 `invalid_beta`, as OpenAI answers since v1's end). */
const v1Refusal: RefusalRule = (r) => (r.status === 400 && r.code === "invalid_beta" ? new SourceGone(r.message, r.status) : sourceRefusal(r));

/**
 * Assistant tool reads under way in this isolate, by host and assistant: the threads an invocation
 * migrates at once share one read instead of each making it before any has kept the answer.
 */
const toolReads = new Map<string, Promise<string[] | null>>();

/** What ferry keeps of an assistant's tools: their types. */
export const toolTypesOf = (assistant: Assistant): string[] => assistant.tools.map((t) => t.type as string);

/**
 * A live Assistants-v2-compatible API: OpenAI, Azure AI Foundry classic agents, Azure OpenAI —
 * threads, messages, assistants, and the legacy v1 file lists.
 */
export class AssistantsApi implements ThreadSource {
  private readonly tools = new Map<string, string[] | null>();
  private readonly core: CallCore;
  private readonly client: OpenAI;
  /** Per-call options: the host's `OpenAI-Beta` header, or none. */
  private readonly options: OpenAI.RequestOptions;

  constructor(
    private readonly side: Side,
    private readonly toolsCache: AssistantToolsCache,
  ) {
    this.core = side.core;
    this.client = side.client;
    this.options = betaHeader(side);
  }

  async getThread(threadId: string): Promise<SourceThread> {
    const thread = await this.read(() => this.client.beta.threads.retrieve(threadId, this.options));
    return { metadata: thread.metadata as Record<string, unknown> | null, toolResources: thread.tool_resources ?? null };
  }

  /**
   * One page of the source's threads, oldest first. Foundry and Azure OpenAI list them; OpenAI
   * refuses the list to secret keys (401 `missing_scope`, "must be made with a session key"), and
   * the SDK has no method for it.
   */
  async listThreads(after: string | null): Promise<Page<Thread>> {
    const page = await this.read(() =>
      this.client.get<{ data: Thread[]; has_more: boolean }>("/threads", { ...this.options, query: { order: "asc", limit: 100, ...cursor(after) } }),
    );
    return { data: page.data, hasMore: page.has_more };
  }

  async listMessages(threadId: string, after: string | null): Promise<Page<Message>> {
    const page = await this.read(() => this.client.beta.threads.messages.list(threadId, { order: "asc", limit: 100, ...cursor(after) }, this.options));
    return { data: page.data, hasMore: page.has_more };
  }

  async listRunSteps(threadId: string, runId: string, after: string | null): Promise<Page<RunStep>> {
    const page = await this.read(() => this.client.beta.threads.runs.steps.list(runId, { thread_id: threadId, order: "asc", limit: 100, ...cursor(after) }, this.options));
    return { data: page.data, hasMore: page.has_more };
  }

  /**
   * A live API tells a run's tools only by reading the run, one call each; its assistant's tools are
   * read once per assistant and kept. A run with no assistant, or one whose assistant is gone, may
   * have had tools: its steps are listed.
   */
  async runHadTools(_threadId: string, _runId: string, assistantId: string | null): Promise<boolean> {
    if (!assistantId) return true;
    let tools = this.tools.has(assistantId) ? this.tools.get(assistantId) : await this.toolsCache.get(assistantId);
    if (tools === undefined) tools = await this.readTools(assistantId);
    this.tools.set(assistantId, tools);
    return tools === null || tools.length > 0;
  }

  /** Reads an assistant's tools and keeps them in D1, or joins the read another thread has under way (its failure is not ours: then we read). */
  private readTools(assistantId: string): Promise<string[] | null> {
    const key = `${this.client.baseURL} ${assistantId}`;
    const shared = toolReads.get(key);
    if (shared) return shared.catch(() => this.readTools(assistantId));
    const read = this.getAssistant(assistantId)
      .then(
        toolTypesOf,
        (err: unknown) => {
          if (err instanceof SourceGone) return null;
          throw err;
        },
      )
      .then(async (tools) => {
        await this.toolsCache.set(assistantId, tools);
        return tools;
      })
      .finally(() => toolReads.delete(key));
    toolReads.set(key, read);
    return read;
  }

  async listAssistants(after: string | null): Promise<Page<Assistant>> {
    const page = await this.read(() => this.client.beta.assistants.list({ order: "asc", limit: 100, ...cursor(after) }, this.options));
    return { data: page.data, hasMore: page.has_more };
  }

  getAssistant(assistantId: string): Promise<Assistant> {
    return this.read(() => this.client.beta.assistants.retrieve(assistantId, this.options));
  }

  async updateAssistantToolResources(assistantId: string, toolResources: Assistant["tool_resources"]): Promise<void> {
    await this.core.call("write", () => this.client.beta.assistants.update(assistantId, { tool_resources: toolResources }, this.options), sourceRefusal);
  }

  /** The v1 AssistantFiles list (`OpenAI-Beta: assistants=v1`), every page; `SourceGone` once v1 is gone. */
  listV1AssistantFiles(assistantId: string): Promise<string[]> {
    return this.v1FileIds(`/assistants/${assistantId}/files`);
  }

  /** The v1 MessageFiles list of one message, every page; likewise. */
  listV1MessageFiles(threadId: string, messageId: string): Promise<string[]> {
    return this.v1FileIds(`/threads/${threadId}/messages/${messageId}/files`);
  }

  private async v1FileIds(path: string): Promise<string[]> {
    const files = await this.core.allPages(
      (after) =>
        this.client.get<{ data: { id: string }[]; has_more: boolean }>(path, {
          query: { limit: 100, order: "asc", ...cursor(after) },
          ...betaHeader(this.side, "assistants=v1"),
        }),
      v1Refusal,
    );
    return files.map((f) => f.id);
  }

  private read<T>(send: () => Promise<T>): Promise<T> {
    return this.core.call("read", send, sourceRefusal);
  }
}
