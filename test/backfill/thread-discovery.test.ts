// Contract §6.1: where the source lists threads (Foundry), the backfill registers every one itself,
// page by page over the queue. 250 threads over 3 pages, the Worker dying twice on page 2 (before
// the cursor moved, and after it moved but before the next page was sent): the listing resumes,
// and nothing is registered, enqueued or migrated twice.
import { createScheduledController, env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { discoverThreads } from "../../src/backfill/thread-discovery";
import { Budget } from "../../src/client/budget";
import { createDb } from "../../src/db/client";
import { createRun } from "../../src/db/runs";
import { onSchedule, SWEEP } from "../../src/handlers/scheduled";
import { discoveryDeps } from "../../src/handlers/wiring";
import type { MigrationsQueue, QueueMessage } from "../../src/queue/messages";
import { AZURE_ROUTES, foundrySource, registerEntraApp } from "../support/azure";
import { diedIn, dyingD1, WorkerDied } from "../support/crash";
import { fake } from "../support/fake";
import { api, lookup } from "../support/ferry";
import { drainQueue } from "../support/queue";

beforeEach(() => fake.reset());

const THREADS = 250;

/** A queue that keeps what it is sent; `dying` makes its sends fail, as a Worker that died there would. */
function recordingQueue() {
  const sent: QueueMessage[] = [];
  let dying = false;
  const queue = {
    send: async (body: QueueMessage) => {
      if (dying) throw new WorkerDied();
      sent.push(body);
    },
    sendBatch: async (messages: Iterable<{ body: QueueMessage }>) => void sent.push(...[...messages].map((m) => m.body)),
  } as unknown as MigrationsQueue;
  return { queue, sent, dieOnSend: (d: boolean) => (dying = d) };
}

it("250 threads over 3 pages, a crash on page 2 twice: resumes, nothing twice", { timeout: 120_000 }, async () => {
  const app = await registerEntraApp();
  const source = foundrySource(app);
  const ids = Array.from({ length: THREADS }, (_, i) => `thread_disc${String(i).padStart(3, "0")}${Date.now().toString(36)}`);
  for (let i = 0; i < ids.length; i += 50) await Promise.all(ids.slice(i, i + 50).map((id) => fake.createThread({ id, generate: 2 })));
  const run = await createRun(createDb(env.DB), "manual", Date.now());
  const worker = (d1: D1Database = env.DB) => discoveryDeps({ ...env, ...source, DB: d1 } as Env, new Budget(900));
  const { queue, sent, dieOnSend } = recordingQueue();
  const pages = () => sent.filter((m): m is Extract<QueueMessage, { type: "discover_threads" }> => m.type === "discover_threads");

  // Page 1.
  await discoverThreads(worker(), queue, { type: "discover_threads", run_id: run.id });
  expect(pages()).toHaveLength(1);
  const page2 = pages()[0]!;

  // Page 2 dies as it moves the cursor; its message is delivered again.
  expect(await diedIn(discoverThreads(worker(dyingD1(env.DB, /^insert into "thread_discovery"/).db), queue, page2))).toBe(true);
  // The redelivery does the page again, moves the cursor, and dies sending page 3…
  dieOnSend(true);
  expect(await diedIn(discoverThreads(worker(), queue, page2))).toBe(true);
  dieOnSend(false);
  // …so its next redelivery finds the page done and sends nothing: the listing stalls…
  await discoverThreads(worker(), queue, page2);
  expect(pages()).toHaveLength(1);
  // …until the sweep sends the next page again.
  const later = Date.now() + 31 * 60_000;
  await onSchedule(createScheduledController({ cron: SWEEP, scheduledTime: later }), { ...env, ...source, MIGRATIONS: queue } as Env);
  expect(pages()).toHaveLength(2);
  await discoverThreads(worker(), queue, pages()[1]!);
  expect(pages()).toHaveLength(2); // page 3 was the last

  const lists = (await fake.calls()).byRoute[AZURE_ROUTES.threads];
  expect(lists).toBe(4); // pages 1 and 3 once, page 2 twice (its first try died before it counted)
  const migrations = sent.filter((m) => m.type === "migrate_thread").map((m) => m.thread_id);
  expect(migrations.length).toBe(THREADS);
  expect(new Set(migrations)).toEqual(new Set(ids));
  const registered = await env.DB.prepare(`select count(*) as n from threads where thread_id like 'thread_disc%' and queued_run_id = ?`).bind(run.id).first<{ n: number }>();
  expect(registered?.n).toBe(THREADS);
  const status = (await (await api("/v1/status", { env: source })).json()) as { source: { thread_discovery: unknown } };
  expect(status.source.thread_discovery).toMatchObject({ status: "listed", listed: THREADS, error: null });

  // Every discovered thread migrates once, through the same Foundry source.
  await drainQueue(migrations.map((thread_id) => ({ type: "migrate_thread" as const, thread_id })), source);
  const threads = await Promise.all(ids.map(lookup));
  expect(threads.every((t) => t?.status === "migrated")).toBe(true);
  const conversations = await fake.conversations();
  expect(conversations).toHaveLength(THREADS);
  expect(new Set(conversations.map((c) => c.metadata.assistants_thread_id))).toEqual(new Set(ids));

  // The next night's run lists only what is newer than the last thread seen.
  const newer = await fake.createThread({ id: `thread_disc_newer${Date.now().toString(36)}`, generate: 1 });
  await fake.clearCalls();
  await discoverThreads(worker(), queue, { type: "discover_threads", run_id: run.id });
  expect((await fake.calls()).byRoute[AZURE_ROUTES.threads]).toBe(1);
  expect(sent.filter((m) => m.type === "migrate_thread").map((m) => m.thread_id).slice(THREADS)).toEqual([newer]);
});
