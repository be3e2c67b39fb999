// Contract §6.1: a token that stops being accepted mid-backfill (expired or revoked early) is
// renewed once, on the first 401; every call it failed is sent once more, and no thread fails.
import { beforeEach, expect, it } from "vitest";
import { AZURE_ROUTES, entra, foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

beforeEach(() => fake.reset());

const THREADS = 20;
const MESSAGES = 3;

it("tokens expiring mid-backfill: one refresh, every thread migrated once", async () => {
  const app = await registerEntraApp();
  const ids = await Promise.all(Array.from({ length: THREADS }, (_, i) => fake.createThread({ id: uniqueThreadId(`exp${i}`), generate: MESSAGES })));
  // Each thread costs 3 calls (thread, messages, create): the token stops working a third of the way in,
  // while six migrations of one invocation are under way at once.
  await entra.expire(20);
  const invocations = await drainQueue(ids.map((thread_id) => ({ type: "migrate_thread" as const, thread_id })), foundrySource(app));

  const threads = await Promise.all(ids.map(lookup));
  expect(threads.map((t) => t?.status)).toEqual(Array(THREADS).fill("migrated"));
  expect(invocations.flatMap((i) => i.retryDelays)).toEqual([]);
  const { byRoute, calls } = await fake.calls();
  expect(byRoute[AZURE_ROUTES.token]).toBe(2);
  expect(calls.filter((c) => c.status === 401).length).toBeGreaterThan(0); // the expiry was met

  const conversations = await fake.conversations();
  expect(conversations).toHaveLength(THREADS);
  for (const c of conversations) expect(c.items).toHaveLength(MESSAGES);
});
