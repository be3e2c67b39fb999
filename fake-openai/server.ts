// The node:http server: composes every resource module's routes into one table and runs each
// request through the pipeline (README "Request pipeline"). A new resource or API layout is a
// module that exports routes (and gates, if it decides who may call it), registered below.

import { setMaxListeners } from "node:events";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { assistantRoutes, assistantsGate } from "./assistants";
import { bearerAuth } from "./auth";
import { azureGate, azureRoutes } from "./azure";
import { controlRoutes } from "./control";
import { conversationRoutes } from "./conversations";
import { entraRoutes } from "./entra";
import { ApiError, invalid, notFound, serverFault } from "./errors";
import { pickFault } from "./faults";
import { fileRoutes } from "./files";
import { ingestionRoutes } from "./ingestion";
import { rateLimitGate } from "./rate-limit";
import { matcher, type Call, type Ctx, type Gate } from "./routes";
import type { Obj } from "./schema";
import { seedDemo } from "./seed";
import { responseRoutes } from "./responses";
import { runRoutes } from "./runs";
import { FakeState } from "./state";
import { openaiThreadListRoutes } from "./thread-list";
import { threadRoutes } from "./threads";
import { vectorStoreRoutes } from "./vector-stores";

/** OpenAI's layout (/v1) and every module's /__control routes. */
const openaiRoutes = [
  ...threadRoutes,
  ...runRoutes,
  ...assistantRoutes,
  ...fileRoutes,
  ...conversationRoutes,
  ...responseRoutes,
  ...vectorStoreRoutes,
  ...ingestionRoutes,
  ...controlRoutes,
  ...openaiThreadListRoutes,
];

/** Every route the fake serves: OpenAI's, the same again under Azure's layouts, and Entra's token endpoint. */
const match = matcher([...openaiRoutes, ...azureRoutes(openaiRoutes), ...entraRoutes]);

/** OpenAI's gates (its rate limit included) guard OpenAI's layout (`/v1/…`); the Azure layouts and Entra's token endpoint have their own rules. */
const openaiLayout = (gate: Gate): Gate => (call) => (call.path.startsWith("/v1/") ? gate(call) : undefined);

/** Checks every non-control call passes, in this order, before an unknown route answers 404. */
const GATES: Gate[] = [openaiLayout(bearerAuth), openaiLayout(rateLimitGate), openaiLayout(assistantsGate), azureGate];

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

function parseJson(raw: string): unknown {
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(
      400,
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
    );
  }
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
  const logged = control ? null : state.calls.log(method, path, `${method} ${found ? found.route.template : path}`);
  const call: Call = {
    method,
    path,
    query: url.searchParams,
    headers: req.headers,
    route: found?.route ?? null,
    state,
    responseHeaders: { "x-request-id": `req_${randomBytes(16).toString("hex")}` },
  };

  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (logged) logged.status = status;
    if (res.destroyed || closing.aborted) return; // client gave up (timeout) or server closing
    res.writeHead(status, { "content-type": "application/json", ...call.responseHeaders, ...headers });
    res.end(JSON.stringify(body));
  };

  try {
    const raw = await readBody(req);
    let parsed: Obj | undefined;
    const ctx = (params: Record<string, string>): Ctx => ({
      state,
      params,
      query: url.searchParams,
      raw,
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
    for (const gate of GATES) gate(call);
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
