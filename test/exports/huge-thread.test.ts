// Contract §4.3 for exports: a 10,000-message exported thread (as v2 message lines, and as one
// shape-1 record line) migrates across queue invocations, each within its budget, page by page
// from R2, at the minimal writes and a page read per page (plus one re-read per hand-over).
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { fake, minimumCalls, ROUTES } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";
import { exportRecord, generated, ndjson, postExport } from "../support/exports";

const MESSAGES = 10_000;
const BUDGET = 300;
const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

beforeEach(() => fake.reset());

/** The EXPORTS bucket, counting the reads made through it. */
function countingBucket() {
  const counts = { gets: 0 };
  const bucket = new Proxy(env.EXPORTS, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "get") return (...args: Parameters<R2Bucket["get"]>) => (counts.gets++, target.get(...args));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { bucket, counts };
}

it.each([
  ["thread.message lines", (id: string) => ndjson(generated(id, MESSAGES))],
  ["one shape-1 record", (id: string) => ndjson([exportRecord(id, generated(id, MESSAGES))])],
])("a 10,000-message thread as %s migrates across invocations within the budget", async (_, build) => {
  const threadId = uniqueThreadId("huge");
  const { body } = await postExport(build(threadId), { env: { MIGRATIONS: silent } });
  const { bucket, counts } = countingBucket();
  const invocations = await drainQueue([{ type: "ingest_export", export_id: body.id }], { QUEUE_SUBREQUEST_BUDGET: String(BUDGET), EXPORTS: bucket });

  const migrating = invocations.filter((i) => i.messages.some((m) => m.type !== "ingest_export"));
  expect(migrating.length).toBeGreaterThanOrEqual(4);
  for (const i of invocations) expect(i.calls).toBeLessThanOrEqual(BUDGET);

  const t = await lookup(threadId);
  expect(t).toMatchObject({ status: "migrated", source: "export", messages_migrated: MESSAGES });
  const items = (await fake.conversation(t!.conversation_id!)).items;
  expect(items.map((i) => (i.content as { text: string }[])[0]!.text)).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message ${i + 1}`));

  const { byRoute, total } = await fake.calls();
  expect((byRoute[ROUTES.create] ?? 0) + (byRoute[ROUTES.append] ?? 0)).toBe(minimumCalls(MESSAGES).writes);
  expect(total).toBe(minimumCalls(MESSAGES).writes); // nothing but the writes reaches OpenAI
  // Ingestion's one read, then a page per page, a re-read of the page each hand-over resumed in, and a record's header.
  const handOvers = migrating.length - 1;
  expect(counts.gets).toBeGreaterThanOrEqual(1 + MESSAGES / 100);
  expect(counts.gets).toBeLessThanOrEqual(1 + MESSAGES / 100 + handOvers + 1);
}, 240_000);
