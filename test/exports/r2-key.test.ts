// Contract §6.2: an export larger than one request is put into the bucket (`wrangler r2 object
// put`) and registered by its key; it is ingested and read in place, never copied.
import { env } from "cloudflare:test";
import { beforeEach, expect, it } from "vitest";
import { fake } from "../support/fake";
import { api, settled, stateSnapshot, uniqueThreadId } from "../support/ferry";
import { exportRecord, generated, ingested, ndjson } from "../support/exports";
import type { Export } from "../../src/handlers/http/schemas";

beforeEach(() => fake.reset());

const registerKey = async (r2_key: string) => {
  const res = await api("/v1/exports", { method: "POST", json: { r2_key }, headers: { "content-length": String(JSON.stringify({ r2_key }).length) } });
  return { res, body: (await res.json()) as Export };
};

it("an NDJSON object in the bucket is ingested and migrated in place", async () => {
  const [a, b] = [uniqueThreadId("key"), uniqueThreadId("key")];
  const key = `team/exports/${a}.jsonl`;
  await env.EXPORTS.put(key, ndjson([...generated(a, 3), ...generated(b, 2)]));
  const objects = (await stateSnapshot()).objects;

  const { res, body } = await registerKey(key);
  expect(res.status).toBe(202);
  expect(await ingested(body.id)).toMatchObject({ status: "ingested", threads_found: 2, threads_registered: 2 });
  expect((await settled(a)).messages_migrated).toBe(3);
  expect((await settled(b)).messages_migrated).toBe(2);
  const row = await env.DB.prepare("select export_location from threads where thread_id = ?").bind(a).first<{ export_location: string }>();
  expect(JSON.parse(row!.export_location)).toMatchObject({ shape: "messages", key });
  expect((await stateSnapshot()).objects).toEqual(objects); // nothing was copied or written
});

it("a JSON document is recognised by its content type", async () => {
  const threadId = uniqueThreadId("keydoc");
  const key = "team/exports/thread-export";
  await env.EXPORTS.put(key, JSON.stringify(exportRecord(threadId, generated(threadId, 2)), null, 2), { httpMetadata: { contentType: "application/json" } });
  const { body } = await registerKey(key);
  expect(await ingested(body.id)).toMatchObject({ status: "ingested", threads_registered: 1 });
  expect(await settled(threadId)).toMatchObject({ status: "migrated", source: "export", messages_migrated: 2 });
});
