// The nightly backfill lists the source's assistants page by page and syncs each one.
import { beforeEach, expect, it, vi } from "vitest";
import { fake } from "../support/fake";
import { api } from "../support/ferry";

beforeEach(() => fake.reset());

it("the backfill discovers every assistant page by page and syncs each", { timeout: 90_000 }, async () => {
  const stamp = Date.now();
  await Promise.all(Array.from({ length: 105 }, (_, i) => fake.createAssistant({ id: `asst_disc${String(i).padStart(3, "0")}_${stamp}`, model: "gpt-4o", tools: [] })));
  expect((await api("/v1/backfill", { method: "POST" })).status).toBe(202);
  const status = await vi.waitUntil(async () => {
    const s = (await (await api("/v1/status")).json()) as { assistants: { synced: number; total: number } };
    return s.assistants.synced >= 105 ? s : false;
  }, { timeout: 60_000, interval: 300 });
  expect(status.assistants.total).toBe(105);
  const lists = (await fake.calls()).calls.filter((c) => c.route === "GET /v1/assistants");
  expect(lists).toHaveLength(2); // 100 + 5
});
