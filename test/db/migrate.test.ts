// The Worker applies missing D1 migrations itself, in wrangler's own bookkeeping, so a plain
// `wrangler dev` works without `wrangler d1 migrations apply` first.
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { applyMigrations, MIGRATIONS } from "../../src/db/migrate";

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
