// Seeds the mapping at scale in one statement (scripts/many-threads.ts) and says what it holds.
import { env } from "cloudflare:test";
import { manyThreadsSql } from "../../scripts/many-threads";

/** Empties every thread, then inserts n with ids `<prefix><7 digits>`. */
export async function seedMany(prefix: string, n: number, now = Date.now()): Promise<void> {
  await env.DB.prepare("delete from threads").run();
  const { sql, params } = manyThreadsSql(prefix, n, now);
  await env.DB.prepare(sql).bind(...params).run();
}

/** The id of the i-th seeded thread. */
export const manyId = (prefix: string, i: number) => `${prefix}${String(i).padStart(7, "0")}`;
