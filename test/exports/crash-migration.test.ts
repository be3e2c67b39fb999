// A crash during an exported thread's migration (contract §4.1): the Worker dies at each D1
// statement in turn, its lease expires, and another holder finishes from the checkpoint, reading
// on from R2: each message once, in order.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { Budget } from "../../src/client/budget";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps, migrationDeps } from "../../src/handlers/wiring";
import { migrateThread } from "../../src/migration/engine";
import { diedIn, dyingD1 } from "../support/crash";
import { fake } from "../support/fake";
import { migrate, uniqueThreadId } from "../support/ferry";
import { generated, ndjson, postExport } from "../support/exports";

const MESSAGES = 45; // a create, two appends: three writes, three checkpoints
const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

beforeEach(() => fake.reset());

const engineOn = (d1: D1Database) => migrationDeps({ ...env, DB: d1 }, new Budget(1_000));

async function exported(label: string): Promise<string> {
  const threadId = uniqueThreadId(label);
  const { body } = await postExport(ndjson(generated(threadId, MESSAGES)), { env: { MIGRATIONS: silent } });
  await ingestExport(ingestDeps({ ...env, MIGRATIONS: silent }, new Budget(100)), body.id);
  return threadId;
}

it("dies at every D1 statement in turn and still ends with each message once", async () => {
  const clean = dyingD1(env.DB, Number.POSITIVE_INFINITY);
  expect((await migrateThread(engineOn(clean.db), await exported("probe"))).kind).toBe("migrated");
  const statements = clean.statements();
  expect(statements).toBeGreaterThanOrEqual(4);

  for (let dieAt = 1; dieAt <= statements; dieAt++) {
    await fake.reset();
    const threadId = await exported(`die${dieAt}`);
    expect(await diedIn(migrateThread(engineOn(dyingD1(env.DB, dieAt).db), threadId))).toBe(true);
    await env.DB.prepare("update threads set lease_until = 0 where thread_id = ?").bind(threadId).run();

    const { body } = await migrate(threadId);
    expect(body.status, `died at statement ${dieAt}`).toBe("migrated");
    const texts = (await fake.conversation(body.conversation_id!)).items.map((i) => (i.content as { text: string }[])[0]!.text);
    expect(texts, `died at statement ${dieAt}`).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message ${i + 1}`));
    const orphans = (await fake.conversations()).filter((c) => c.id !== body.conversation_id);
    expect(orphans.length).toBeLessThanOrEqual(1);
    if (orphans.length) expect(body.warnings.map((w) => w.code)).toContain("possible_orphan_conversation");
  }
});
