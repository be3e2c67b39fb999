// fetch helpers for the fake's own tests (they run inside workerd, fetch only).
import { expect, inject } from "vitest";

export const BETA = { "OpenAI-Beta": "assistants=v2" };
export const BETA_V1 = { "OpenAI-Beta": "assistants=v1" };

export interface Res {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await fetch(inject("fakeOpenAIUrl") + path, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A /v1 call with the test key. */
export const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(method, `/v1${path}`, body, { Authorization: "Bearer sk-test", ...headers });

/** A /__control call that must succeed; answers the body. */
export async function ctl(method: string, path: string, body?: unknown): Promise<any> {
  const res = await call(method, `/__control${path}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
