// A crash during ingestion (contract §4.1 for exports): the Worker dies at each D1 statement in
// turn; the next delivery resumes from the last committed chunk and the export ends exactly as a
// clean run's: every thread found and registered once, the same rejections. Two deliveries of the
// same chunk commit it once.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { Budget } from "../../src/client/budget";
import { ingestExport } from "../../src/ingest/ingest";
import { ingestDeps } from "../../src/handlers/wiring";
import { diedIn, dyingD1 } from "../support/crash";
import { uniqueThreadId } from "../support/ferry";
import { generated, getExport, ndjson, postExport } from "../support/exports";

const silent = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
const ingestOn = (d1: D1Database, id: string) => ingestExport(ingestDeps({ ...env, DB: d1, MIGRATIONS: silent }, new Budget(1_000)), id);

/** 450 threads (three chunks), one spanning a chunk boundary, and a bad line. */
function anExport(label: string) {
  const ids = Array.from({ length: 450 }, () => uniqueThreadId(label));
  return { ids, file: ndjson([...ids.slice(0, 300).flatMap((id) => generated(id, 2)), "{oops", ...ids.slice(300).flatMap((id) => generated(id, 3))]) };
}

const registered = async (exportId: string) =>
  (await env.DB.prepare("select thread_id from threads where export_id = ? order by thread_id").bind(exportId).all<{ thread_id: string }>()).results.map((r) => r.thread_id);

it("dies at every D1 statement in turn and still ends with each thread registered once", async () => {
  const probe = anExport("probe");
  const clean = dyingD1(env.DB, Number.POSITIVE_INFINITY);
  const { body: first } = await postExport(probe.file, { env: { MIGRATIONS: silent } });
  expect(await ingestOn(clean.db, first.id)).toBe("done");
  const statements = clean.statements();
  const expected = await getExport(first.id);
  expect(expected).toMatchObject({ status: "ingested", threads_found: 450, threads_registered: 450, lines_rejected: 1 });

  for (let dieAt = 1; dieAt <= statements; dieAt++) {
    const { ids, file } = anExport(`die${dieAt}`);
    const { body } = await postExport(file, { env: { MIGRATIONS: silent } });
    expect(await diedIn(ingestOn(dyingD1(env.DB, dieAt).db, body.id)), `died at statement ${dieAt}`).toBe(true);
    expect(await ingestOn(env.DB, body.id)).toBe("done");

    const after = await getExport(body.id);
    expect(after, `died at statement ${dieAt}`).toMatchObject({ status: "ingested", threads_found: 450, threads_registered: 450, already_known: 0, lines_rejected: 1, bytes_ingested: new TextEncoder().encode(file).length });
    expect(after.rejections).toEqual(expected.rejections);
    expect(await registered(body.id)).toEqual([...ids].sort());
  }
});

it("a second delivery of the same chunk commits nothing twice", async () => {
  const { ids, file } = anExport("twice");
  const { body } = await postExport(file, { env: { MIGRATIONS: silent } });
  // Both read the same checkpoint and race through the same chunks; one commit of each chunk wins.
  await Promise.all([ingestOn(env.DB, body.id), ingestOn(env.DB, body.id)]);
  await ingestOn(env.DB, body.id);
  expect(await getExport(body.id)).toMatchObject({ status: "ingested", threads_found: 450, threads_registered: 450, lines_rejected: 1 });
  expect(await registered(body.id)).toEqual([...ids].sort());
});
