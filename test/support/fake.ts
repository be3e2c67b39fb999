import { minimumCalls as contractMinimum, type ThreadShape } from "../../src/migration/cost";
// Drives the fake OpenAI server from tests running inside workerd (fetch only).
import { inject } from "vitest";
import type { AssistantObject, AssistantSeed, CallRecord, ConversationSnapshot, FaultRule, ThreadSpec, VectorStoreSnapshot, VectorStoreSpec } from "../../fake-openai";
import type { ConfigPatch, RunSpec } from "../../fake-openai";

const base = () => inject("fakeOpenAIUrl");

export async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base()}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`fake control ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const fake = {
  /** Empty, or with the demo data of fake-openai/seed.ts. */
  reset: (seed?: "demo") => control("POST", "/reset", seed ? { seed } : {}),
  configure: (patch: ConfigPatch) => control("POST", "/config", patch),
  addFaults: (...rules: FaultRule[]) => control("POST", "/faults", { rules }),
  createThread: async (spec: ThreadSpec) => (await control<{ id: string }>("POST", "/threads", spec)).id,
  deleteThread: (id: string) => control("DELETE", `/threads/${id}`),
  createFile: async (filename: string, id?: string) => (await control<{ id: string }>("POST", "/files", { id, filename })).id,
  calls: () => control<{ total: number; byRoute: Record<string, number>; calls: CallRecord[] }>("GET", "/calls"),
  clearCalls: () => control("DELETE", "/calls"),
  conversations: async () => (await control<{ data: ConversationSnapshot[] }>("GET", "/conversations")).data,
  conversation: (id: string) => control<ConversationSnapshot>("GET", `/conversations/${id}`),
  createFiles: async (ids: string[]) => (await control<{ ids: string[] }>("POST", "/files", { files: ids.map((id) => ({ id, filename: `${id}.pdf` })) })).ids,
  createAssistant: async (seed: AssistantSeed) => (await control<{ id: string }>("POST", "/assistants", seed)).id,
  assistants: async () => (await control<{ data: AssistantObject[] }>("GET", "/assistants")).data,
  seedVectorStore: async (spec: VectorStoreSpec) => (await control<{ id: string }>("POST", "/vector_stores", spec)).id,
  dropVectorStore: (id: string) => control("DELETE", `/vector_stores/${id}`),
  vectorStores: async () => (await control<{ data: VectorStoreSnapshot[] }>("GET", "/vector_stores")).data,
  failIngest: (fileId: string, code: string, message: string) => control("POST", `/files/${fileId}/fail-ingest`, { code, message }),
  createRun: (threadId: string, spec: RunSpec) => control<{ id: string; message_ids: string[] }>("POST", `/threads/${threadId}/runs`, spec),
  /** The run writing an in-progress message finished it. */
  completeMessage: (threadId: string, messageId: string) => control("POST", `/threads/${threadId}/messages/${messageId}/complete`),
  deleteMessage: (threadId: string, messageId: string) => control("DELETE", `/threads/${threadId}/messages/${messageId}`),
  messages: async (threadId: string) => (await openai<{ data: { id: string }[] }>("GET", `/threads/${threadId}/messages?limit=100&order=asc`, undefined, { "OpenAI-Beta": "assistants=v2" })).data,
  /** Continues a conversation as an app would, through `responses.create` (its errors thrown with their message). */
  respond: (body: Record<string, unknown>) => openai<{ id: string; output: { content: { text: string }[] }[] }>("POST", "/responses", body),
};

/** Contract §4.6: the migrated conversation is accepted by responses.create (call it last: the answer joins the conversation). */
export async function expectUsable(conversationId: string, settings: Record<string, unknown> = { model: "gpt-4o" }) {
  const answer = await fake.respond({ ...settings, conversation: conversationId, input: "Please continue." });
  if (!answer.output.length) throw new Error("responses.create gave no output");
}

/** The fake's /v1 API with the test key, as an app calls the real one. */
async function openai<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base()}/v1${path}`, {
    method,
    headers: { authorization: "Bearer sk-test", "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as T & { error?: { message: string } };
  if (!res.ok) throw new Error(`${method} /v1${path}: ${res.status} ${answer.error?.message}`);
  return answer;
}

/** Route keys as the fake counts them. */
export const ROUTES = {
  thread: "GET /v1/threads/{id}",
  messages: "GET /v1/threads/{id}/messages",
  file: "GET /v1/files/{id}",
  create: "POST /v1/conversations",
  append: "POST /v1/conversations/{id}/items",
  items: "GET /v1/conversations/{id}/items",
  steps: "GET /v1/threads/{id}/runs/{run_id}/steps",
  assistant: "GET /v1/assistants/{id}",
} as const;

/** Contract §4.2's minimum for a thread of n messages (all convertible), keyed as the fake counts calls. */
export function minimumCalls(n: number, citedFiles = 0, orphanSafe = false, tools: Pick<ThreadShape, "toolItems" | "stepPages" | "assistantReads"> = {}) {
  const min = contractMinimum({ messages: n, citedFiles, orphanSafe, ...tools });
  return {
    [ROUTES.thread]: min.threadReads,
    [ROUTES.messages]: min.messageLists,
    writes: min.writes,
    [ROUTES.file]: min.fileReads,
    [ROUTES.steps]: min.stepLists,
    [ROUTES.assistant]: min.assistantReads,
  };
}
