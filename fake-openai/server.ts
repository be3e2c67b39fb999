// node:http server with one route table for both the OpenAI-compatible /v1 API
// and the /__control API that tests (running inside workerd, fetch only) use
// to seed data, inject faults and observe calls.

import { setMaxListeners } from "node:events";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { ApiError, invalid, notFound, serverFault } from "./errors";
import { pickFault } from "./faults";
import {
  FakeState,
  type AssistantSeed,
  type ConfigPatch,
  type FileSpec,
  type MessageSpec,
  type ThreadSpec,
  type VectorStoreSpec,
} from "./state";
import {
  checkAddItems,
  checkCreateConversation,
  checkCreateFileBatch,
  checkCreateVectorStore,
  checkFileListQuery,
  checkIngestError,
  checkListQuery,
  checkModifyAssistant,
  parseJson,
  type Obj,
} from "./validate";
import { seedDemo } from "./seed";

export interface FakeOpenAIOptions {
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted bearer keys, default ["sk-test"]. */
  apiKeys?: string[];
  /** Added to every /v1 call. */
  latencyMs?: number;
  seed?: "demo" | "none";
}

export interface FakeOpenAI {
  /** http://HOST:PORT, without /v1. */
  url: string;
  port: number;
  state: FakeState;
  close(): Promise<void>;
}

interface Ctx {
  state: FakeState;
  params: string[];
  query: URLSearchParams;
  body(): Obj;
}
interface Route {
  method: string;
  /** e.g. "/v1/threads/{id}/messages"; also the key of the call counts. */
  template: string;
  re: RegExp;
  handler: (c: Ctx) => unknown;
}

const route = (method: string, template: string, handler: (c: Ctx) => unknown): Route => ({
  method,
  template,
  re: new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`),
  handler,
});

const id0 = (c: Ctx) => c.params[0]!;
const id1 = (c: Ctx) => c.params[1]!;

/** The legacy v1 routes: served only with `OpenAI-Beta: assistants=v1` (see checkAssistantsAccess). */
const V1_FILES = "/v1/assistants/{id}/files";
const V1_MESSAGE_FILES = "/v1/threads/{id}/messages/{message_id}/files";

const routes: Route[] = [
  // ----- the OpenAI API ferry calls -----
  route("GET", "/v1/threads/{id}", (c) => c.state.getThread(id0(c))),
  route("GET", "/v1/threads/{id}/messages", (c) =>
    c.state.listMessages(id0(c), checkListQuery(c.query, true), c.query.get("run_id") ?? undefined),
  ),
  route("GET", "/v1/files/{id}", (c) => c.state.getFile(id0(c))),
  route("POST", "/v1/conversations", (c) => {
    const { metadata, items } = checkCreateConversation(c.body(), c.state.itemExists);
    return c.state.createConversation(metadata, items);
  }),
  route("GET", "/v1/conversations/{id}", (c) => c.state.getConversation(id0(c))),
  route("POST", "/v1/conversations/{id}/items", (c) =>
    c.state.addItems(id0(c), checkAddItems(c.body(), c.state.itemExists)),
  ),
  route("GET", "/v1/conversations/{id}/items", (c) => c.state.listItems(id0(c), checkListQuery(c.query, false))),

  // Assistants (v2; beta header checked before routing)
  route("GET", "/v1/assistants", (c) => c.state.listAssistants(checkListQuery(c.query, true))),
  route("GET", "/v1/assistants/{id}", (c) => c.state.getAssistant(id0(c))),
  route("POST", "/v1/assistants/{id}", (c) => {
    c.state.getAssistant(id0(c)); // 404 before 400, like the real API
    return c.state.modifyAssistant(id0(c), checkModifyAssistant(c.body(), c.state));
  }),
  route("GET", V1_FILES, (c) => c.state.listAssistantFiles(id0(c), checkListQuery(c.query, true))),
  route("GET", V1_MESSAGE_FILES, (c) => c.state.listMessageFiles(id0(c), id1(c), checkListQuery(c.query, true))),

  // Vector stores (GA: no beta header needed, unaffected by assistantsGone)
  route("POST", "/v1/vector_stores", (c) => c.state.createVectorStore(checkCreateVectorStore(c.body(), c.state.fileExists))),
  route("GET", "/v1/vector_stores", (c) => c.state.listVectorStores(checkListQuery(c.query, true))),
  route("GET", "/v1/vector_stores/{id}", (c) => c.state.getVectorStore(id0(c))),
  route("DELETE", "/v1/vector_stores/{id}", (c) => c.state.deleteVectorStore(id0(c))),
  route("GET", "/v1/vector_stores/{id}/files", (c) => c.state.listVectorStoreFiles(id0(c), checkFileListQuery(c.query))),
  route("POST", "/v1/vector_stores/{id}/file_batches", (c) => {
    c.state.assertVectorStore(id0(c)); // 404 before 400
    return c.state.createFileBatch(id0(c), checkCreateFileBatch(c.body(), c.state.fileExists));
  }),
  route("GET", "/v1/vector_stores/{id}/file_batches/{batch_id}", (c) => c.state.getFileBatch(id0(c), id1(c))),
  route("GET", "/v1/vector_stores/{id}/file_batches/{batch_id}/files", (c) =>
    c.state.listBatchFiles(id0(c), id1(c), checkFileListQuery(c.query)),
  ),

  // ----- control (no auth, not logged, no faults) -----
  route("POST", "/__control/reset", (c) => {
    c.state.reset({ seed: c.body().seed as "demo" | "none" | undefined });
    return { ok: true };
  }),
  route("GET", "/__control/config", (c) => c.state.config),
  route("POST", "/__control/config", (c) => c.state.configure(c.body() as ConfigPatch)),
  route("GET", "/__control/faults", (c) => ({ rules: c.state.faults.map(({ re: _re, ...rule }) => rule) })),
  route("POST", "/__control/faults", (c) => {
    c.state.addFaults(c.body().rules as never);
    return { rules: c.state.faults.length };
  }),
  route("DELETE", "/__control/faults", (c) => {
    c.state.clearFaults();
    return { ok: true };
  }),
  route("POST", "/__control/threads", (c) => {
    const id = c.state.createThread(c.body() as ThreadSpec);
    return { id };
  }),
  route("DELETE", "/__control/threads/{id}", (c) => {
    if (!c.state.deleteThread(id0(c))) throw notFound(`No thread found with id '${id0(c)}'.`);
    return { id: id0(c), deleted: true };
  }),
  route("POST", "/__control/threads/{id}/messages", (c) => {
    const b = c.body() as { messages?: MessageSpec[]; generate?: number };
    return { ids: c.state.appendMessages(id0(c), b) };
  }),
  route("POST", "/__control/files", (c) => {
    const b = c.body();
    // `{files: FileSpec[]}` seeds many at once (e.g. 2000 for a full file batch).
    if (Array.isArray(b.files)) return { ids: (b.files as FileSpec[]).map((f) => c.state.createFile(f)) };
    return { id: c.state.createFile(b as unknown as FileSpec) };
  }),
  route("POST", "/__control/files/{id}/fail-ingest", (c) => {
    const last_error = checkIngestError(c.body());
    c.state.failFileIngestion(id0(c), last_error);
    return { id: id0(c), last_error };
  }),
  route("DELETE", "/__control/files/{id}/fail-ingest", (c) => ({ id: id0(c), cleared: c.state.clearFileIngestionFailure(id0(c)) })),
  route("POST", "/__control/assistants", (c) => ({ id: c.state.createAssistant(c.body() as AssistantSeed) })),
  route("GET", "/__control/assistants", (c) => ({ data: c.state.assistantSnapshots() })),
  route("POST", "/__control/vector_stores", (c) => ({ id: c.state.seedVectorStore(c.body() as VectorStoreSpec) })),
  route("GET", "/__control/vector_stores", (c) => ({ data: c.state.vectorStoreSnapshots() })),
  route("GET", "/__control/vector_stores/{id}", (c) => {
    const store = c.state.vectorStoreSnapshot(id0(c));
    if (!store) throw notFound(`No vector store found with id '${id0(c)}'.`);
    return store;
  }),
  route("DELETE", "/__control/vector_stores/{id}", (c) => {
    if (!c.state.dropVectorStore(id0(c))) throw notFound(`No vector store found with id '${id0(c)}'.`);
    return { id: id0(c), deleted: true };
  }),
  route("GET", "/__control/calls", (c) => c.state.callLog()),
  route("DELETE", "/__control/calls", (c) => {
    c.state.clearCalls();
    return { ok: true };
  }),
  route("GET", "/__control/conversations", (c) => ({ data: c.state.conversationSnapshots() })),
  route("GET", "/__control/conversations/{id}", (c) => {
    const conv = c.state.conversationSnapshot(id0(c));
    if (!conv) throw notFound(`Conversation with id '${id0(c)}' not found.`);
    return conv;
  }),
];

function match(method: string, path: string): { route: Route; params: string[] } | null {
  for (const r of routes) {
    const m = r.method === method ? r.re.exec(path) : null;
    if (m) return { route: r, params: m.slice(1).map(decodeURIComponent) };
  }
  return null;
}

const ASSISTANTS_PATH = /^\/v1\/(threads|assistants)(\/|$)/;

function checkAuth(req: http.IncomingMessage, keys: string[]): void {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!m)
    throw new ApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the basic auth username and password (i.e. YOUR_KEY as the username), or as the basic auth password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    );
  const key = m[1]!;
  if (!keys.includes(key)) {
    const masked = key.length > 8 ? `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}` : key;
    throw new ApiError(
      401,
      `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      "invalid_request_error",
      null,
      "invalid_api_key",
    );
  }
}

const V1_DEPRECATED = () =>
  new ApiError(
    400,
    "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'. See the migration guide for more information: https://platform.openai.com/docs/assistants/migration.",
    "invalid_request_error",
    null,
    "invalid_beta",
  );

/**
 * `v1Route`: the request matched a legacy v1-only route (AssistantFiles, MessageFiles).
 * That route exists only for `assistants=v1` (switchable by `v1Files`); under
 * v2 it is an unknown URL, as on the real API where v2 dropped it.
 */
function checkAssistantsAccess(req: http.IncomingMessage, state: FakeState, method: string, path: string, v1Route: boolean): void {
  const gone = state.config.assistantsGone;
  // 404 is what a removed endpoint answers; 410 is the explicit "shut down" variant.
  if (gone === 404) throw notFound(`Invalid URL (${method} ${path})`);
  if (gone === 410)
    throw new ApiError(410, "The Assistants API has been shut down. Please migrate to the Responses API.");
  const betas = String(req.headers["openai-beta"] ?? "")
    .split(",")
    .map((s) => s.trim());
  if (v1Route && betas.includes("assistants=v1")) {
    const v1 = state.config.v1Files;
    if (v1 === "on") return;
    if (v1 === 404) throw notFound(`Invalid URL (${method} ${path})`);
    if (v1 === 410) throw new ApiError(410, "The v1 Assistants API has been shut down. Please use the v2 Assistants API or the Responses API.");
    throw V1_DEPRECATED();
  }
  if (betas.includes("assistants=v2")) {
    if (v1Route) throw notFound(`Invalid URL (${method} ${path})`);
    return;
  }
  if (betas.includes("assistants=v1")) throw V1_DEPRECATED();
  throw new ApiError(
    400,
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
    "invalid_request_error",
    null,
    "invalid_beta",
  );
}

/** Resolves early (never rejects) when the server closes, so hung requests don't block close(). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, state: FakeState, closing: AbortSignal) {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://fake");
  const path = url.pathname;
  const control = path.startsWith("/__control/");
  const found = match(method, path);
  // Every non-control call is logged on arrival, so hung and failed calls count too.
  const call = control ? null : state.logCall(method, path, `${method} ${found ? found.route.template : path}`);
  const requestId = `req_${randomBytes(16).toString("hex")}`;

  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (call) call.status = status;
    if (res.destroyed || closing.aborted) return; // client gave up (timeout) or server closing
    res.writeHead(status, { "content-type": "application/json", "x-request-id": requestId, ...headers });
    res.end(JSON.stringify(body));
  };

  try {
    const raw = await readBody(req);
    let parsed: Obj | undefined;
    const ctx = (params: string[]): Ctx => ({
      state,
      params,
      query: url.searchParams,
      body: () => {
        if (parsed) return parsed;
        const v = parseJson(raw);
        if (typeof v !== "object" || v === null || Array.isArray(v))
          throw invalid(null, "Invalid body: expected a JSON object.", "invalid_type");
        return (parsed = v as Obj);
      },
    });

    if (control) {
      if (!found) throw notFound(`Invalid URL (${method} ${path})`);
      return send(200, found.route.handler(ctx(found.params)));
    }

    await sleep(state.config.latencyMs, closing);
    checkAuth(req, state.config.apiKeys);
    if (ASSISTANTS_PATH.test(path)) checkAssistantsAccess(req, state, method, path, found?.route.template === V1_FILES || found?.route.template === V1_MESSAGE_FILES);
    if (!found) throw notFound(`Invalid URL (${method} ${path})`);

    const fault = pickFault(state.faults, state.config.random, state.rand, method, path);
    const failWith = () => {
      const status = fault!.status!;
      throw serverFault(status, fault!.retryAfter !== undefined ? fault!.retryAfter : status === 429 ? 1 : null);
    };
    if (fault && !fault.commit) {
      await sleep(fault.hangMs, closing);
      if (fault.status) failWith();
    }
    // A request that fails validation is answered with that error even under a
    // commit fault: nothing was written, so there is no "succeeded but failed".
    const result = found.route.handler(ctx(found.params));
    if (fault?.commit) {
      await sleep(fault.hangMs, closing);
      if (fault.status) failWith();
    }
    send(200, result);
  } catch (e) {
    if (e instanceof ApiError) return send(e.status, e.toBody(), e.headers);
    console.error("[fake-openai] unexpected error", e);
    send(500, serverFault(500).toBody());
  }
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const host = opts.host ?? "127.0.0.1";
  const state = new FakeState({ apiKeys: opts.apiKeys ?? ["sk-test"], latencyMs: opts.latencyMs ?? 0 });
  if (opts.seed === "demo") seedDemo(state);
  const closing = new AbortController();
  // Every delayed call listens on this one signal; hundreds can be in flight under load.
  setMaxListeners(0, closing.signal);
  const server = http.createServer((req, res) => void handle(req, res, state, closing.signal));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    state,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
