// What a piece of ferry's code costs D1, for the tests (inside workerd) and the bench (a Node-side
// miniflare D1) alike: a binding that records every statement run through it, each read's query
// plan, and the rows D1 reads for it (meta.rows_read). drizzle reads most rows through raw(),
// which carries no meta, so a recorded read is run again with all() to measure it.

export interface Statement {
  sql: string;
  params: unknown[];
}

export function recordingD1(d1: D1Database): { db: D1Database; statements: Statement[] } {
  const statements: Statement[] = [];
  const texts = new WeakMap<D1PreparedStatement, Statement>(); // for a batch, which runs statements it was handed
  const wrap = (stmt: D1PreparedStatement, sql: string, params: unknown[]): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(s, p) {
        const value = Reflect.get(s, p);
        if (typeof value !== "function") return value;
        if (p === "bind") return (...args: unknown[]) => wrap(value.apply(s, args), sql, args);
        if (p === "run" || p === "all" || p === "first" || p === "raw") return (...args: unknown[]) => (statements.push({ sql, params }), value.apply(s, args));
        return value.bind(s);
      },
    });
    texts.set(proxy, { sql, params });
    return proxy;
  };
  const db = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql, []);
      if (prop === "batch") return (batch: D1PreparedStatement[]) => (statements.push(...batch.map((s) => texts.get(s)!)), target.batch(batch));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, statements };
}

const isRead = (s: Statement) => /^\s*(select|with)\b/i.test(s.sql);

/** The rows D1 reads to run these statements again (reads only: running a read again changes nothing). */
export async function rowsRead(d1: D1Database, statements: readonly Statement[]): Promise<number> {
  let rows = 0;
  for (const s of statements.filter(isRead)) rows += (await d1.prepare(s.sql).bind(...s.params).all()).meta.rows_read;
  return rows;
}

/** Each read's query plan: the lines of EXPLAIN QUERY PLAN. */
export async function queryPlans(d1: D1Database, statements: readonly Statement[]): Promise<{ sql: string; plan: string[] }[]> {
  const plans = [];
  for (const s of statements.filter(isRead)) {
    const { results } = await d1.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.params).all<{ detail: string }>();
    plans.push({ sql: s.sql, plan: results.map((r) => r.detail) });
  }
  return plans;
}

/** The plan steps that read a whole table: "SCAN t" with no index to walk. */
export const fullScans = (plan: readonly string[]) => plan.filter((line) => /^SCAN /.test(line) && !/USING (COVERING )?INDEX|USING (INTEGER )?PRIMARY KEY/.test(line));
