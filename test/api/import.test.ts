// POST /v1/threads/import registers ids for the backfill, idempotently.
import { expect, it } from "vitest";
import { api, stateSnapshot } from "../support/ferry";

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `thread_${prefix}${i}`);

it("registers new ids as pending and counts the known ones", async () => {
  const first = await api("/v1/threads/import", { method: "POST", json: { thread_ids: ids("imp", 1000) } });
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ registered: 1000, already_known: 0 });

  const again = await api("/v1/threads/import", { method: "POST", json: { thread_ids: [...ids("imp", 3), "thread_new1", "thread_new1"] } });
  expect(await again.json()).toEqual({ registered: 1, already_known: 3 });

  const res = await api("/v1/threads/lookup", { method: "POST", json: { thread_ids: ["thread_imp0", "thread_new1"] } });
  const { data } = (await res.json()) as { data: { status: string }[] };
  expect(data.map((t) => t.status)).toEqual(["pending", "pending"]);
});

it.each([
  ["1,001 ids", { thread_ids: ids("big", 1001) }, "invalid_request"],
  ["a malformed id among good ones", { thread_ids: ["thread_ok1", "thread ok"] }, "invalid_id"],
  ["no ids", { thread_ids: [] }, "invalid_request"],
])("refuses %s and registers nothing", async (_, json, code) => {
  const before = await stateSnapshot();
  const res = await api("/v1/threads/import", { method: "POST", json });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  expect(await stateSnapshot()).toEqual(before);
});
