// Calls ferry's own HTTP API, as an app would.
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { vi } from "vitest";
import type { AssistantMigration, ThreadMigration } from "../../src/handlers/http/schemas";

export const TOKEN = "test-token";

export function api(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}) {
  const { json, token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  return exports.default.fetch(`http://ferry${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
}

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

/** Every row of every table in D1, for "nothing changed" checks. */
export async function dbSnapshot() {
  const tables = ["threads", "backfill_runs", "webhook_deliveries", "counters"];
  return Promise.all(tables.map(async (t) => (await env.DB.prepare(`select * from ${t} order by 1`).all()).results));
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
