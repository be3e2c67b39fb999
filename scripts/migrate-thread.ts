// Migrating one thread through ferry's HTTP API as an app would: POST …/migrate, and when ferry
// hands it to the queue (202) follow the lookup until it settles. Used by `npm run dev -- --demo`
// and by the e2e tests' seeding (test/e2e/support/), so both drive ferry the same way.
import { setTimeout as sleep } from "node:timers/promises";
import type { ThreadMigration } from "../src/handlers/http/schemas";

const UNSETTLED = new Set<ThreadMigration["status"]>(["pending", "migrating"]);

export interface MigrateOptions {
  /** How long to follow a queued migration; default 60 s. */
  timeoutMs?: number;
  /** Stops following early, e.g. once Ctrl-C was pressed. */
  stopped?: () => boolean;
}

/** The migrate call's HTTP status and the thread as last seen (still `migrating` if the wait ran out). */
export async function migrateThread(base: string, token: string, threadId: string, opts: MigrateOptions = {}): Promise<{ httpStatus: number; thread: ThreadMigration }> {
  const headers = { Authorization: `Bearer ${token}` };
  const res = await fetch(`${base}/v1/threads/${threadId}/migrate`, { method: "POST", headers });
  if (res.status !== 200 && res.status !== 202) throw new Error(`POST /v1/threads/${threadId}/migrate: HTTP ${res.status} ${await res.text()}`);
  let thread = (await res.json()) as ThreadMigration;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (res.status === 202 && UNSETTLED.has(thread.status) && Date.now() < deadline && !opts.stopped?.()) {
    await sleep(250);
    thread = (await (await fetch(`${base}/v1/threads/${threadId}`, { headers })).json()) as ThreadMigration;
  }
  return { httpStatus: res.status, thread };
}
