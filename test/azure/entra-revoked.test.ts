// Contract §6.1: a revoked secret is a clear failure, not a retry storm: Entra is asked once, each
// thread fails with Entra's own description (never the secret), and is tried again a day later.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { findBackfillCandidates } from "../../src/db/threads";
import { AZURE_ROUTES, entra, foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { api, lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

beforeEach(() => fake.reset());

const HOUR = 3_600_000;

it("a revoked secret: each thread failed with Entra's error_description, Entra asked once, nothing re-sent", async () => {
  const app = await registerEntraApp();
  await entra.revoke(app);
  const ids = await Promise.all(Array.from({ length: 10 }, (_, i) => fake.createThread({ id: uniqueThreadId(`rev${i}`), generate: 2 })));

  const inline = await api(`/v1/threads/${ids[0]}/migrate`, { method: "POST", env: foundrySource(app) });
  expect(inline.status).toBe(200);
  const invocations = await drainQueue(ids.slice(1).map((thread_id) => ({ type: "migrate_thread" as const, thread_id })), foundrySource(app));

  for (const id of ids) {
    const t = (await lookup(id))!;
    expect(t.status).toBe("failed");
    expect(t.error).toMatchObject({ code: "entra_refused", message: expect.stringMatching(/^Microsoft Entra refused a token \(invalid_client\): AADSTS7000215: Invalid client secret provided/) });
    expect(t.error!.message).not.toContain(app.secret);
  }
  expect(invocations).toHaveLength(1); // no retry, no hand-over
  expect(invocations[0]!.retryDelays).toEqual([]);
  const { byRoute, total } = await fake.calls();
  expect(byRoute[AZURE_ROUTES.token]).toBe(1);
  expect(total).toBe(1); // the source was never called without a token

  // Tried again by a backfill a day later, not before.
  const db = createDb(env.DB);
  const due = async (at: number) => (await findBackfillCandidates(db, null, at, 1000)).map((r) => r.id).filter((id) => ids.includes(id));
  expect(await due(Date.now() + HOUR)).toEqual([]);
  expect((await due(Date.now() + 25 * HOUR)).sort()).toEqual([...ids].sort());
});
