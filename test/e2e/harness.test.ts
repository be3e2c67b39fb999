// The e2e harness itself: ferry under wrangler dev answers with the provided token, and seeding
// leaves migrated threads that its lookup finds with their conversations at the fake.
import { expect, it } from "vitest";
import type { ThreadMigration } from "../../src/handlers/http/schemas";
import { fake } from "../support/fake";
import { ferryFetch, seedMigratedThreads } from "./support/seed";

it("refuses a request without the token", async () => {
  expect((await ferryFetch("/v1/status", { token: null })).status).toBe(401);
});

it("seeds migrated threads that ferry looks up and the fake holds", async () => {
  const [seeded] = await seedMigratedThreads(1, { generate: 3 });
  const found = (await (await ferryFetch(`/v1/threads/${seeded!.thread_id}`)).json()) as ThreadMigration;
  expect([found.status, found.messages_migrated]).toEqual(["migrated", 3]);
  expect((await fake.conversation(found.conversation_id!)).items).toHaveLength(3);
});
