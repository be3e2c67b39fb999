// The Worker applies missing D1 migrations itself, in wrangler's own bookkeeping, so a plain
// `wrangler dev` works without `wrangler d1 migrations apply` first.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";
import { dyingD1 } from "../support/crash";
import { accessed, deliver } from "../support/webhook";
import { api, TOKEN } from "../support/ferry";

const tables = async () =>
  (await env.DB.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by name").all<{ name: string }>()).results.map((r) => r.name);

it("embeds every migration in migrations/, in order", () => {
  expect(MIGRATIONS.map(([name]) => name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
});

it("builds an empty database, records it like wrangler does, and is a no-op after", async () => {
  const before = await tables();
  for (const t of before) await env.DB.prepare(`drop table "${t}"`).run();
  expect(await tables()).toEqual([]);

  await Promise.all([applyMigrations(env.DB), applyMigrations(env.DB)]); // two isolates racing
  expect(await tables()).toEqual(before);
  const recorded = await env.DB.prepare("select name from d1_migrations order by id").all<{ name: string }>();
  expect(recorded.results.map((r) => r.name)).toEqual(MIGRATIONS.map(([name]) => name));

  await applyMigrations(env.DB);
  expect((await env.DB.prepare("select count(*) as n from d1_migrations").first<{ n: number }>())!.n).toBe(MIGRATIONS.length);
});

it("only a trusted request touches the database: a stranger's creates no table", async () => {
  // A binding this isolate has never prepared, as on an empty database's first request.
  const untouched = dyingD1(env.DB, Number.POSITIVE_INFINITY);
  expect((await api("/v1/threads/thread_x", { token: "wrong", env: { DB: untouched.db } })).status).toBe(401);
  expect((await api("/v1/status", { token: null, env: { DB: untouched.db } })).status).toBe(401);
  expect((await deliver({ body: accessed("thread_x"), signature: "v1,bm90IGEgc2lnbmF0dXJl", env: { DB: untouched.db } })).status).toBe(401);
  expect((await api("/healthz", { token: null, env: { DB: untouched.db } })).status).toBe(200);
  expect(untouched.statements()).toBe(0);

  expect((await api("/v1/threads/thread_x", { token: TOKEN, env: { DB: untouched.db } })).status).toBe(404);
  expect(untouched.statements()).toBeGreaterThan(0);
});
