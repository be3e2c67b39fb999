// The few ferry API calls the bench makes (contract §2), and waiting for a backfill to settle.
import { setTimeout as sleep } from "node:timers/promises";
import type { z } from "zod";
import type { MigrationStatus, ThreadMigration } from "../src/handlers/http/schemas";
import { IMPORT_MAX_IDS, LOOKUP_MAX_IDS } from "../src/ids";
import { API_TOKEN } from "./stack";

type StatusCounts = z.infer<typeof MigrationStatus>["threads"];

/** The first poll that saw this fraction of a backfill's threads settled. */
export interface Milestone {
  fraction: number;
  ms: number;
}

const POLL_MS = 250;

export class FerryApi {
  constructor(readonly url: string) {}

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${API_TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  }

  async importThreads(ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += IMPORT_MAX_IDS) await this.call("POST", "/v1/threads/import", { thread_ids: ids.slice(i, i + IMPORT_MAX_IDS) });
  }

  /** A lazy migration (POST …/migrate): the thread's status when ferry answered (200 done, 202 continuing). */
  async migrate(id: string): Promise<ThreadMigration["status"]> {
    return (await this.call<ThreadMigration>("POST", `/v1/threads/${id}/migrate`)).status;
  }

  startBackfill(): Promise<unknown> {
    return this.call("POST", "/v1/backfill");
  }

  async status(): Promise<StatusCounts> {
    return (await this.call<{ threads: StatusCounts }>("GET", "/v1/status")).threads;
  }

  async lookup(ids: readonly string[]): Promise<ThreadMigration[]> {
    const out: ThreadMigration[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_MAX_IDS) {
      out.push(...(await this.call<{ data: ThreadMigration[] }>("POST", "/v1/threads/lookup", { thread_ids: ids.slice(i, i + LOOKUP_MAX_IDS) })).data);
    }
    return out;
  }

  /**
   * Imports the ids, starts a backfill and polls /v1/status until `ids.length` more threads have
   * settled (migrated, failed or source_unavailable) than before, or the deadline passes;
   * `others` counts threads that started migrating meanwhile by other ways (lazy migrations), which
   * status counts too.
   * Returns the wall time from the import to the poll that saw them all settled, and when the
   * first poll saw half, 90 % and 99 % of them settled (the tail is where retries show).
   */
  async backfill(ids: readonly string[], timeoutMs: number, others: () => number = () => 0): Promise<{ wallMs: number; timedOut: boolean; milestones: Milestone[] }> {
    const before = await this.status();
    const settled = (s: StatusCounts) => s.migrated + s.failed + s.source_unavailable;
    const milestones: Milestone[] = [];
    const pending = [0.5, 0.9, 0.99];
    const started = performance.now();
    await this.importThreads(ids);
    await this.startBackfill();
    for (;;) {
      const now = await this.status();
      const elapsed = performance.now() - started;
      const done = (settled(now) - settled(before) - others()) / ids.length;
      while (pending.length && done >= pending[0]!) milestones.push({ fraction: pending.shift()!, ms: elapsed });
      if (done >= 1) return { wallMs: elapsed, timedOut: false, milestones };
      if (elapsed > timeoutMs) return { wallMs: elapsed, timedOut: true, milestones };
      await sleep(POLL_MS);
    }
  }
}
