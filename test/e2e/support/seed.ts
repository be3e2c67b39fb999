// Seeding ferry under wrangler dev as an app would: threads created at the fake OpenAI, then
// migrated through ferry's HTTP API (the same calls `npm run dev -- --demo` makes).
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import type { ThreadSpec } from "../../../fake-openai";
import type { ThreadMigration } from "../../../src/handlers/http/schemas";
import { migrateThread } from "../../../scripts/migrate-thread";
import { fake } from "../../support/fake";

/** A thread id no other test (or earlier run against the same state) uses. */
export const uniqueThreadId = (label: string) => `thread_${label}_${randomUUID().replaceAll("-", "")}`.slice(0, 71);

/** ferry's API as the e2e tests call it: its URL, and fetch with the token (`token: null` sends none). */
export function ferryFetch(path: string, init: RequestInit & { json?: unknown; token?: string | null } = {}): Promise<Response> {
  const { json, token = inject("ferryToken"), ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (json !== undefined) headers.set("content-type", "application/json");
  return fetch(`${inject("ferryUrl")}${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
}

/**
 * Creates `count` threads at the fake (each with `spec`, default two messages) and migrates them
 * through ferry; resolves with their ThreadMigrations once each is `migrated`, throws otherwise.
 */
export async function seedMigratedThreads(count: number, spec: ThreadSpec = { generate: 2 }, label = "e2e"): Promise<ThreadMigration[]> {
  const migrated: ThreadMigration[] = [];
  for (let i = 0; i < count; i++) {
    const id = await fake.createThread({ ...spec, id: uniqueThreadId(label) });
    const { thread } = await migrateThread(inject("ferryUrl"), inject("ferryToken"), id);
    if (thread.status !== "migrated") throw new Error(`seeding ${id}: ${thread.status} ${JSON.stringify(thread.error)}`);
    migrated.push(thread);
  }
  return migrated;
}
