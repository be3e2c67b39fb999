import { minimumCalls as contractMinimum } from "../../src/migration/cost";
// Drives the fake OpenAI server from tests running inside workerd (fetch only).
import { inject } from "vitest";
import type { AssistantObject, AssistantSeed, CallRecord, ConversationSnapshot, FaultRule, ThreadSpec, VectorStoreSnapshot, VectorStoreSpec } from "../../fake-openai";
import type { ConfigPatch } from "../../fake-openai";

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
  reset: () => control("POST", "/reset"),
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
};

/** Route keys as the fake counts them. */
export const ROUTES = {
  thread: "GET /v1/threads/{id}",
  messages: "GET /v1/threads/{id}/messages",
  file: "GET /v1/files/{id}",
  create: "POST /v1/conversations",
  append: "POST /v1/conversations/{id}/items",
  items: "GET /v1/conversations/{id}/items",
} as const;

/** Contract §4.2's minimum for a thread of n messages (all convertible), keyed as the fake counts calls. */
export function minimumCalls(n: number, citedFiles = 0, orphanSafe = false) {
  const min = contractMinimum({ messages: n, citedFiles, orphanSafe });
  return { [ROUTES.thread]: min.threadReads, [ROUTES.messages]: min.messageLists, writes: min.writes, [ROUTES.file]: min.fileReads };
}
