// What a resource module hands the server: its routes (the OpenAI-compatible /v1 ones and the
// /__control ones tests seed and observe with) and the gates every /v1 call passes first.

import type { IncomingHttpHeaders } from "node:http";
import type { Obj } from "./schema";
import type { FakeState } from "./state";

/** The `{name}`s of a route template, e.g. "id" | "batch_id". */
type ParamNames<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;

export interface Ctx<P extends string = string> {
  state: FakeState;
  /** By name, so the same handler can be mounted under another layout's prefix. */
  params: Record<P, string>;
  query: URLSearchParams;
  body(): Obj;
  /** The body as sent, for routes that take another encoding than JSON (Entra's form-encoded token requests). */
  raw: string;
}

export interface Route {
  method: string;
  /** e.g. "/v1/threads/{id}/messages"; also the key of the call counts. */
  template: string;
  re: RegExp;
  names: string[];
  handler: (c: Ctx) => unknown;
}

export const route = <T extends string>(method: string, template: T, handler: (c: Ctx<ParamNames<T>>) => unknown): Route => ({
  method,
  template,
  re: new RegExp(`^${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`),
  names: [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!),
  handler: handler as (c: Ctx) => unknown, // the matcher fills every name of the template
});

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** The route a request names, if any (templates never overlap, so order does not matter). */
export function matcher(routes: readonly Route[]): (method: string, path: string) => Match | null {
  return (method, path) => {
    for (const r of routes) {
      const m = r.method === method ? r.re.exec(path) : null;
      if (m) return { route: r, params: Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)])) };
    }
    return null;
  };
}

/** One /v1 call as the gates see it, before any handler runs. */
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The route it matched; null answers 404 once every gate has passed. */
  route: Route | null;
  state: FakeState;
  /** Headers every answer to this call carries (x-request-id); a gate may add its own. */
  responseHeaders: Record<string, string>;
}

/** A check every /v1 call passes in order before routing (auth, API access); throws an ApiError to answer. */
export type Gate = (call: Call) => void;
