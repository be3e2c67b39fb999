// GET /v1/threads: keyset pages in thread id order (≤1000, has_more, last_id), by status and by
// warning code, together or apart; every page matches what D1 holds.
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import type { ThreadMigration } from "../../src/handlers/http/schemas";
import { api } from "../support/ferry";
import { manyId, seedMany } from "../support/many";

const P = "thread_list";
const N = 1_234;
beforeAll(() => seedMany(P, N));

interface Page {
  object: string;
  data: ThreadMigration[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

async function all(query: string, limit: number): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const res = await api(`/v1/threads?${query}&limit=${limit}${after ? `&after=${after}` : ""}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages.push(page);
    after = page.has_more ? page.last_id : null;
  } while (after);
  return { ids: pages.flatMap((p) => p.data.map((t) => t.thread_id)), pages };
}

const truth = async (where: string) =>
  (await env.DB.prepare(`select thread_id from threads ${where} order by thread_id`).all<{ thread_id: string }>()).results.map((r) => r.thread_id);

it("pages through every thread in id order, has_more until the last page, last_id as the cursor", async () => {
  const { ids, pages } = await all("", 500);
  expect(ids).toEqual(Array.from({ length: N }, (_, i) => manyId(P, i)));
  expect(pages.map((p) => [p.data.length, p.has_more])).toEqual([
    [500, true],
    [500, true],
    [234, false],
  ]);
  for (const p of pages) expect(p).toMatchObject({ object: "list", first_id: p.data[0]!.thread_id, last_id: p.data.at(-1)!.thread_id });
  expect(pages[0]!.data[0]).toMatchObject({ object: "thread_migration", status: "migrated", messages_migrated: 40, conversation_id: expect.stringMatching(/^conv_/) });
});

it.each([
  ["status=failed", "where status = 'failed'"],
  ["status=pending", "where status = 'pending'"],
  ["warning=empty_message", "where exists (select 1 from json_each(warnings) where json_extract(value, '$.code') = 'empty_message')"],
  ["warning=assistant_image_replaced&status=migrated", "where status = 'migrated' and exists (select 1 from json_each(warnings) where json_extract(value, '$.code') = 'assistant_image_replaced')"],
  ["warning=assistant_image_replaced&status=failed", "where 0"],
  ["warning=never_seen", "where 0"],
])("%s: the filtered pages hold exactly D1's threads", async (query, where) => {
  const expected = await truth(where);
  const { ids, pages } = await all(query, 37);
  expect(ids).toEqual(expected);
  expect(pages.at(-1)!.has_more).toBe(false);
  if (!expected.length) expect(pages).toEqual([{ object: "list", data: [], first_id: null, last_id: null, has_more: false }]);
});

it("the default page is 100 and the largest 1000; a cursor past the end gives an empty last page", async () => {
  expect(((await (await api("/v1/threads")).json()) as Page).data).toHaveLength(100);
  expect(((await (await api("/v1/threads?limit=1000")).json()) as Page).data).toHaveLength(1000);
  expect(await (await api(`/v1/threads?after=${manyId(P, N)}`)).json()).toEqual({ object: "list", data: [], first_id: null, last_id: null, has_more: false });
});
