// Contract §6.2 at scale: 1,000 threads in one export are ingested chunk by chunk across queue
// invocations (each within its budget), registered once each and migrated; uploading the same
// export again registers nothing new.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { uniqueThreadId } from "../support/ferry";
import { Budget } from "../../src/client/budget";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps } from "../../src/handlers/wiring";
import type { QueueMessage } from "../../src/queue/messages";
import { drainQueue } from "../support/queue";
import { generated, ndjson, postExport, getExport } from "../support/exports";

const THREADS = 1_000;
/** Subrequests an ingestion invocation may spend: a few chunks' worth, so 1,000 threads take several. */
const BUDGET = 20;
const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

it("ingests and migrates 1,000 threads of one export; the same export again registers nothing", async () => {
  await fake.reset();
  const ids = Array.from({ length: THREADS }, () => uniqueThreadId("many"));
  const file = ndjson(ids.flatMap((id) => generated(id, 2)));

  const { body } = await postExport(file, { env: { MIGRATIONS: silent } });
  const { invocations, sent } = await ingestByInvocation(body.id);
  expect(invocations).toBeGreaterThan(1); // it handed over from a checkpoint
  expect(new Set(sent.map((m) => m.type === "migrate_thread" && m.thread_id))).toEqual(new Set(ids));
  await drainQueue(sent, {}, { maxInvocations: 400 });

  expect(await getExport(body.id)).toMatchObject({ status: "ingested", threads_found: THREADS, threads_registered: THREADS, already_known: 0, lines_rejected: 0, bytes_ingested: file.length });
  const migrated = await env.DB.prepare("select count(*) as n, sum(messages_migrated) as m from threads where export_id = ? and status = 'migrated'").bind(body.id).first<{ n: number; m: number }>();
  expect(migrated).toEqual({ n: THREADS, m: 2 * THREADS });
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.create]).toBe(THREADS); // one write per two-message thread, nothing else
  expect(byRoute[ROUTES.messages]).toBeUndefined();
  expect((await fake.conversations()).length).toBe(THREADS);

  await fake.clearCalls();
  const again = await postExport(file, { env: { MIGRATIONS: silent } });
  expect((await ingestByInvocation(again.body.id)).sent).toEqual([]); // no migration was queued
  expect(await getExport(again.body.id)).toMatchObject({ status: "ingested", threads_found: THREADS, threads_registered: 0, already_known: THREADS });
  expect((await fake.calls()).total).toBe(0);
}, 300_000);

/** Runs ingestion one invocation at a time, as the queue would, each within BUDGET; what it enqueued is returned. */
async function ingestByInvocation(exportId: string) {
  const sent: QueueMessage[] = [];
  const queue = { send: async (m: QueueMessage) => void sent.push(m), sendBatch: async (ms: Iterable<{ body: QueueMessage }>) => void sent.push(...[...ms].map((m) => m.body)) };
  let invocations = 0;
  for (;;) {
    invocations++;
    const budget = new Budget(BUDGET);
    if ((await ingestExport(ingestDeps({ ...env, MIGRATIONS: queue as unknown as Queue }, budget), exportId)) === "done") return { invocations, sent };
    expect(invocations).toBeLessThan(100);
  }
}
