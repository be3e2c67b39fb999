// A client generated from GET /openapi.json, used as an app would: openapi-fetch over the types
// openapi-typescript generates (ferry-api.d.ts, kept equal to the document by
// test/node/openapi-document.test.ts). `tsc` checks these calls against the document's types,
// and here they run against the Worker.
import { exports } from "cloudflare:workers";
import createClient from "openapi-fetch";
import { beforeAll, expect, it } from "vitest";
import { fake } from "../support/fake";
import { TOKEN, uniqueThreadId } from "../support/ferry";
import type { paths } from "./ferry-api";

const client = (headers: Record<string, string> = {}) =>
  createClient<paths>({ baseUrl: "http://ferry", fetch: (req) => exports.default.fetch(req), headers });
const ferry = client({ authorization: `Bearer ${TOKEN}` });

beforeAll(() => fake.reset());

it("checks health without a token", async () => {
  const { data } = await client().GET("/healthz");
  expect(data?.status).toBe("ok");
});

it("migrates a thread, then finds it alone and in a batch", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("client"), generate: 2 });
  // The preview shares the route (contract §2), so a client tells the two answers apart by `object`.
  const preview = await ferry.POST("/v1/threads/{thread_id}/migrate", { params: { path: { thread_id: threadId }, query: { dry_run: "true" } } });
  expect(preview.data?.object === "migration_preview" && preview.data.item_count).toBe(2);
  const { data: migrated } = await ferry.POST("/v1/threads/{thread_id}/migrate", { params: { path: { thread_id: threadId } } });
  if (migrated?.object !== "thread_migration") throw new Error("a migration answers a thread_migration");
  expect(migrated.status).toBe("migrated");

  const one = await ferry.GET("/v1/threads/{thread_id}", { params: { path: { thread_id: threadId } } });
  expect(one.data?.conversation_id).toBe(migrated.conversation_id);
  const batch = await ferry.POST("/v1/threads/lookup", { body: { thread_ids: [threadId, uniqueThreadId("unseen")] } });
  expect(batch.data?.data.map((t) => t.status)).toEqual(["migrated", "unknown"]);
});

it("reads a 404 as an Error carrying its code", async () => {
  const { data, error, response } = await ferry.GET("/v1/threads/{thread_id}", { params: { path: { thread_id: uniqueThreadId("unseen") } } });
  expect(response.status).toBe(404);
  expect(data).toBeUndefined();
  // Typed as the document says: an Error, so `error.error.code` compiles only if the 404 is documented as one.
  expect([error?.error.type, error?.error.code, error?.error.param]).toEqual(["not_found_error", "thread_not_found", "thread_id"]);
});
