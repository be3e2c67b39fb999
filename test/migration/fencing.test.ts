// Contract §4.7, fenced writers: a holder that is still alive but stalled past its lease — in a
// read, in a 429's wait, between a write and its checkpoint — sends and records nothing more,
// while the holder that took over finishes. Each holder has its own clock; moving one past the
// lease is what a stall of a minute looks like to it.
import { env } from "cloudflare:test";
import { beforeEach, expect, it, vi } from "vitest";
import { Budget } from "../../src/client/budget";
import { migrationDeps } from "../../src/handlers/wiring";
import { migrateThread } from "../../src/migration/engine";
import { fake } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";

const LEASE_MS = 60_000;
const APPEND = "^/v1/conversations/[^/]+/items$";

beforeEach(() => fake.reset());

/** A holder whose clock the test moves. */
function holder() {
  const clock = { skew: 0 };
  const deps = { ...migrationDeps(env, new Budget(1_000)), now: () => Date.now() + clock.skew };
  return { clock, run: (threadId: string) => migrateThread(deps, threadId) };
}

/** Waits until the fake has received `n` calls on `route` (a hung call counts on arrival). */
const seen = (route: string, n: number) =>
  vi.waitUntil(async () => ((await fake.calls()).byRoute[route] ?? 0) >= n, { timeout: 10_000, interval: 20 });

async function expectExactlyOnce(threadId: string, n: number) {
  const t = await lookup(threadId);
  expect(t?.status).toBe("migrated");
  const texts = (await fake.conversation(t!.conversation_id!)).items.map((i) => (i.content as { text: string }[])[0]!.text);
  expect(texts).toEqual(Array.from({ length: n }, (_, i) => `message ${i + 1}`));
  expect(await fake.conversations()).toHaveLength(1);
}

it("a holder stalled in a read past its lease writes nothing after the takeover", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("stall"), generate: 150 });
  await fake.addFaults({ method: "GET", path: `^/v1/threads/${threadId}/messages$`, hangMs: 1_000, skip: 1 });
  const a = holder();
  const first = a.run(threadId);
  await seen("GET /v1/threads/{id}/messages", 2); // a wrote page 1 and now hangs on page 2

  a.clock.skew = LEASE_MS + 1_000;
  const b = holder();
  b.clock.skew = LEASE_MS + 1_000;
  expect((await b.run(threadId)).kind).toBe("migrated");
  const appendsBefore = (await fake.calls()).byRoute["POST /v1/conversations/{id}/items"];

  await first; // a's read returns with page 2; its writes are fenced off
  expect((await fake.calls()).byRoute["POST /v1/conversations/{id}/items"]).toBe(appendsBefore);
  await expectExactlyOnce(threadId, 150);
});

it("a holder waiting out a 429 past its lease does not send the write again", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("wait"), generate: 45 });
  await fake.addFaults({ method: "POST", path: APPEND, status: 429, retryAfter: 1 });
  const a = holder();
  const first = a.run(threadId);
  await seen("POST /v1/conversations/{id}/items", 1); // a's first append was refused; a waits 1 s

  a.clock.skew = LEASE_MS + 1_000;
  const b = holder();
  b.clock.skew = LEASE_MS + 1_000;
  expect((await b.run(threadId)).kind).toBe("migrated");
  const appendsBefore = (await fake.calls()).byRoute["POST /v1/conversations/{id}/items"];

  await first;
  expect((await fake.calls()).byRoute["POST /v1/conversations/{id}/items"]).toBe(appendsBefore);
  await expectExactlyOnce(threadId, 45);
});

it("a holder whose lease ran out during a write records no checkpoint; the next holder reconciles", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("late"), generate: 45 });
  await fake.addFaults({ method: "POST", path: APPEND, hangMs: 800 }); // lands, then answers late
  const a = holder();
  const first = a.run(threadId);
  await seen("POST /v1/conversations/{id}/items", 1);
  a.clock.skew = LEASE_MS + 1_000;
  expect((await first).kind).not.toBe("migrated");
  const row = await env.DB.prepare("select cursor, messages_migrated from threads where thread_id = ?").bind(threadId).first<{ messages_migrated: number }>();
  expect(row?.messages_migrated).toBe(20); // the create's checkpoint, not the append's

  const b = holder();
  b.clock.skew = LEASE_MS + 2_000;
  expect((await b.run(threadId)).kind).toBe("migrated");
  await expectExactlyOnce(threadId, 45);
});
