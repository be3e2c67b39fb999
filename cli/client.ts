// ferry's HTTP API as the CLI calls it: where it is and the token (flags or FERRY_URL /
// FERRY_TOKEN), and every failure turned into a message that says what to do next.
import type { z } from "@hono/zod-openapi";
import type { ApiErrorSchema } from "../src/handlers/http/schemas";

/** `npm run dev`'s address, so a local try needs only the token. */
export const DEFAULT_URL = "http://127.0.0.1:8787";

/** Exit codes (contract §8): 1 when failures were reported, 2 for a usage error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure the CLI reports in one message and exits on. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

export interface Connection {
  url: string;
  token: string;
}

export interface ConnectionFlags {
  url?: string;
  token?: string;
}

export function connection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const raw = flags.url || env.FERRY_URL || DEFAULT_URL; // an empty variable counts as unset
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`"${raw}" is not a URL: set FERRY_URL (or --url) to ferry's address, e.g. ${DEFAULT_URL}`, EXIT.usage);
  }
  const token = flags.token ?? env.FERRY_TOKEN;
  if (!token) throw new CliError("no API token: set FERRY_TOKEN (or --token) to the API_TOKEN ferry runs with (`npm run dev`'s is dev-token)", EXIT.usage);
  return { url: url.href.replace(/\/$/, ""), token };
}

type ApiError = z.infer<typeof ApiErrorSchema>;

export interface RequestOptions {
  query?: Record<string, string | undefined>;
  json?: unknown;
  body?: ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
}

/** Sends one request; any answer but a 2xx becomes a CliError that explains it. */
export async function send(conn: Connection, method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const url = new URL(conn.url + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${conn.token}`, ...opts.headers };
  if (opts.json !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
      ...(opts.body ? { duplex: "half" } : {}), // a streamed body
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`not reachable at ${conn.url} (${cause?.code ?? cause?.message ?? (err as Error).message}): is \`npm run dev\` running? Otherwise set FERRY_URL (or --url) to where ferry runs.`);
  }
  if (!res.ok) throw await answerError(conn, method, path, res);
  return res;
}

/** A JSON answer of the type its route documents. */
export async function call<T>(conn: Connection, method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  return (await send(conn, method, path, opts)).json() as Promise<T>;
}

async function answerError(conn: Connection, method: string, path: string, res: Response): Promise<CliError> {
  const text = await res.text();
  let error: ApiError["error"] | undefined;
  try {
    error = (JSON.parse(text) as ApiError).error;
  } catch {
    // not ferry's error shape (a proxy's page, say): shown as it came
  }
  const said = error ? `${error.code}: ${error.message}${error.param ? ` (${error.param})` : ""}` : text.slice(0, 200) || res.statusText;
  const at = `${method} ${path} answered ${res.status}`;
  if (res.status === 401) return new CliError(`${at} (${said}): set FERRY_TOKEN (or --token) to the API_TOKEN ferry at ${conn.url} runs with`);
  if (res.status === 429) {
    const after = res.headers.get("retry-after");
    return new CliError(`${at}, rate limited (${said}): try again${after ? ` in ${after} s (Retry-After)` : " later"}`);
  }
  return new CliError(`${at} (${said})`);
}
