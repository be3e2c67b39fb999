// Contract §7.3 for exports: a dry run of an exported thread reads its export from R2, converts it,
// and writes nothing anywhere: no conversation, no D1 change, no queue message, no R2 object.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { Budget } from "../../src/client/budget";
import type { MigrationPreview } from "../../src/migration/preview";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps } from "../../src/handlers/wiring";
import { fake } from "../support/fake";
import { api, stateSnapshot, uniqueThreadId } from "../support/ferry";
import { generated, ndjson, postExport, transcriptLine } from "../support/exports";

const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;

it("previews an exported thread from R2 without writing anything", async () => {
  await fake.reset();
  const [v2, lossy] = [uniqueThreadId("prev"), uniqueThreadId("prev")];
  const { body } = await postExport(ndjson([...generated(v2, 45), transcriptLine(lossy, "user", "hi")]), { env: { MIGRATIONS: silent } });
  await ingestExport(ingestDeps({ ...env, MIGRATIONS: silent }, new Budget(100)), body.id);
  const before = await stateSnapshot();

  const preview = (await (await api(`/v1/threads/${v2}/migrate?dry_run=true`, { method: "POST" })).json()) as MigrationPreview;
  expect(preview).toMatchObject({ object: "migration_preview", thread_id: v2, item_count: 45, writes: 3, complete: true, warnings: [] });
  const transcript = (await (await api(`/v1/threads/${lossy}/migrate?dry_run=true`, { method: "POST" })).json()) as MigrationPreview;
  expect(transcript.warnings.map((w) => w.code)).toEqual(["lossy_export"]);

  expect(await stateSnapshot()).toEqual(before);
  expect((await fake.calls()).total).toBe(0);
});
