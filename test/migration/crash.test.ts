// Contract §4.1, "a crash at any point": the Worker dies at each D1 statement in turn (between a
// write and its checkpoint among them), its lease expires, and another holder finishes the thread.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { Budget } from "../../src/client/budget";
import { migrationDeps } from "../../src/handlers/wiring";
import { migrateThread } from "../../src/migration/engine";
import { diedIn, dyingD1 } from "../support/crash";
import { fake } from "../support/fake";
import { migrate, uniqueThreadId } from "../support/ferry";

const MESSAGES = 45; // a create, two appends: three writes, three checkpoints

beforeEach(() => fake.reset());

const engineOn = (d1: D1Database) => migrationDeps({ ...env, DB: d1 }, new Budget(1_000));

async function expireLease(threadId: string) {
  await env.DB.prepare("update threads set lease_until = 0 where thread_id = ?").bind(threadId).run();
}

it("dies at every D1 statement in turn and still ends with each message once", async () => {
  const clean = dyingD1(env.DB, Number.POSITIVE_INFINITY);
  const probe = await fake.createThread({ id: uniqueThreadId("probe"), generate: MESSAGES });
  expect((await migrateThread(engineOn(clean.db), probe)).kind).toBe("migrated");
  const statements = clean.statements();
  expect(statements).toBeGreaterThanOrEqual(5);

  for (let dieAt = 1; dieAt <= statements; dieAt++) {
    await fake.reset();
    const threadId = await fake.createThread({ id: uniqueThreadId(`die${dieAt}`), generate: MESSAGES });
    const dying = dyingD1(env.DB, dieAt);
    expect(await diedIn(migrateThread(engineOn(dying.db), threadId))).toBe(true);

    await expireLease(threadId);
    const { body } = await migrate(threadId);

    expect(body.status, `died at statement ${dieAt}`).toBe("migrated");
    const recorded = await fake.conversation(body.conversation_id!);
    const texts = recorded.items.map((i) => (i.content as { text: string }[])[0]!.text);
    expect(texts, `died at statement ${dieAt}`).toEqual(Array.from({ length: MESSAGES }, (_, i) => `message ${i + 1}`));
    // Only a create that landed unrecorded can leave a second, orphaned conversation, and it is flagged.
    const orphans = (await fake.conversations()).filter((c) => c.id !== body.conversation_id);
    expect(orphans.length).toBeLessThanOrEqual(1);
    if (orphans.length) expect(body.warnings.map((w) => w.code)).toContain("possible_orphan_conversation");
  }
});

it("a holder that died after an append landed is reconciled with one look at the conversation", async () => {
  // Statements: lease (batch), checkpoint after create, checkpoint after the first append ← dies here.
  const threadId = await fake.createThread({ id: uniqueThreadId("append"), generate: MESSAGES });
  expect(await diedIn(migrateThread(engineOn(dyingD1(env.DB, 3).db), threadId))).toBe(true);
  await expireLease(threadId);
  await fake.clearCalls();

  const { body } = await migrate(threadId);
  expect(body.status).toBe("migrated");
  expect(body.warnings).toEqual([]);
  expect(await fake.conversations()).toHaveLength(1);
  const { byRoute } = await fake.calls();
  expect(byRoute["GET /v1/conversations/{id}/items"]).toBe(1);
  expect(byRoute["POST /v1/conversations/{id}/items"]).toBe(1); // only the last, never-written chunk
});

it("a live lease is never taken over", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("live"), generate: MESSAGES });
  expect(await diedIn(migrateThread(engineOn(dyingD1(env.DB, 3).db), threadId))).toBe(true);
  await fake.clearCalls();
  const { res, body } = await migrate(threadId);
  expect(res.status).toBe(202);
  expect(body.status).toBe("migrating");
  expect((await fake.calls()).total).toBe(0);
});
