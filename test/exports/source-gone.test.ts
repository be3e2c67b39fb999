// Contract §4.4 for exports: an export object removed from the bucket makes its threads
// source_unavailable with a clear error, and their lookups keep answering.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { Budget } from "../../src/client/budget";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps } from "../../src/handlers/wiring";
import { fake } from "../support/fake";
import { lookup, migrate, uniqueThreadId } from "../support/ferry";
import { generated, ndjson, postExport } from "../support/exports";

const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

it("a thread whose export object is gone is source_unavailable, and still looked up", async () => {
  await fake.reset();
  const threadId = uniqueThreadId("gone");
  const { body } = await postExport(ndjson(generated(threadId, 3)), { env: { MIGRATIONS: silent } });
  await ingestExport(ingestDeps({ ...env, MIGRATIONS: silent }, new Budget(100)), body.id);
  await env.EXPORTS.delete(`exports/${body.id}/upload.ndjson`);

  const { body: t } = await migrate(threadId);
  expect(t).toMatchObject({ status: "source_unavailable", source: "export", conversation_id: null, error: { code: "source_unavailable" } });
  expect(t.error!.message).toBe(`export object exports/${body.id}/upload.ndjson is no longer in the EXPORTS bucket`); // R2 is not "the Assistants API"
  expect((await fake.calls()).total).toBe(0);
  expect(await lookup(threadId)).toMatchObject({ status: "source_unavailable" });
});
