// Calls ferry's own HTTP API, as an app would.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect, vi } from "vitest";
import type { AssistantMigration, ThreadMigration } from "../../src/handlers/http/schemas";
import worker from "../../src/index";
import { fake } from "./fake";

export const TOKEN = "test-token";

/** Every message the HTTP API sent to the real MIGRATIONS queue, in order (the binding is wrapped, not replaced). */
const enqueued: unknown[] = [];
const queue = env.MIGRATIONS;
const recordingEnv: Env = {
  ...env,
  MIGRATIONS: {
    send: (body, options) => (enqueued.push(body), queue.send(body, options)),
    sendBatch: (messages, options) => (enqueued.push(...[...messages].map((m) => m.body)), queue.sendBatch(messages, options)),
  } as Queue,
};

/** `env` overrides bindings, vars and secrets for this one request (a fresh env, so the configuration is read anew). */
export type EnvOverrides = Partial<Env> & Record<string, unknown>;

export async function api(path: string, init: RequestInit & { json?: unknown; token?: string | null; env?: EnvOverrides } = {}) {
  const { json, token = TOKEN, env: overrides, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  // The Worker is typed for incoming requests, whose `cf` the platform fills in; tests send none.
  const request = new Request(`http://ferry${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) }) as Request<unknown, IncomingRequestCfProperties>;
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, overrides ? { ...recordingEnv, ...overrides } : recordingEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Messages the HTTP API has enqueued so far in this test file. */
export const enqueuedMessages = (): readonly unknown[] => [...enqueued];

export async function migrate(threadId: string) {
  const res = await api(`/v1/threads/${threadId}/migrate`, { method: "POST" });
  return { res, body: (await res.json()) as ThreadMigration };
}

export async function lookup(threadId: string): Promise<ThreadMigration | null> {
  const res = await api(`/v1/threads/${threadId}`);
  return res.status === 404 ? null : ((await res.json()) as ThreadMigration);
}

/** Waits for the local queue to carry a thread to a final state. */
export async function settled(threadId: string, timeout = 30_000): Promise<ThreadMigration> {
  return vi.waitUntil(
    async () => {
      const t = await lookup(threadId);
      return t && ["migrated", "failed", "source_unavailable"].includes(t.status) ? t : false;
    },
    { timeout, interval: 100 },
  );
}

/**
 * Everything a request could change apart from OpenAI (whose calls tests count): every row of every
 * table in D1 (read from the schema, so a new table is never missed), the messages sent to the
 * queue, and every object in the EXPORTS bucket with its size and etag.
 */
export async function stateSnapshot() {
  const { results: tables } = await env.DB.prepare("select name from sqlite_master where type = 'table' and name not like '\\_cf\\_%' escape '\\' order by name").all<{ name: string }>();
  const rows: Record<string, unknown[]> = {};
  for (const { name } of tables) rows[name] = (await env.DB.prepare(`select * from "${name}" order by 1`).all()).results;
  return { rows, enqueued: enqueued.length, objects: await bucketObjects() };
}

async function bucketObjects(): Promise<string[]> {
  const objects: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.EXPORTS.list({ cursor });
    objects.push(...page.objects.map((o) => `${o.key} ${o.size} ${o.etag}`));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return objects;
}

let n = 0;
/** A thread id unique within the test run. */
export const uniqueThreadId = (label = "t") => `thread_${label}_${Date.now().toString(36)}${(n++).toString(36)}`;

/** Waits for an assistant's files backfill to settle. */
export async function assistantSettled(assistantId: string, timeout = 30_000): Promise<AssistantMigration> {
  return vi.waitUntil(
    async () => {
      const res = await api(`/v1/assistants/${assistantId}`);
      if (res.status !== 200) return false;
      const a = (await res.json()) as AssistantMigration;
      return ["synced", "failed", "source_unavailable"].includes(a.status) ? a : false;
    },
    { timeout, interval: 200 },
  );
}

/** Contract §4.5: the request is refused in the OpenAI error shape, and nothing ferry or OpenAI hold has changed. */
export async function expectRefused(send: () => Promise<Response>, expected: { status: number; code: string; param?: string | null }) {
  const before = await stateSnapshot();
  const res = await send();
  expect(res.status).toBe(expected.status);
  const body = (await res.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error).toMatchObject({ code: expected.code, type: expect.any(String), message: expect.any(String) });
  expect(body.error).toHaveProperty("param", expected.param ?? null);
  expect(await stateSnapshot()).toEqual(before);
  expect((await fake.calls()).total).toBe(0);
}
