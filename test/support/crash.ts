// A D1 binding that "crashes the Worker": from a chosen statement on, every statement fails,
// as if the invocation had died there. What D1 already committed stays committed.
export class WorkerDied extends Error {
  constructor() {
    super("the Worker died here");
  }
}

/**
 * `diesAt`: the statement number to die at, or the first statement whose SQL matches (a batch
 * counts as one statement and matches nothing).
 */
export function dyingD1(d1: D1Database, diesAt: number | RegExp): { db: D1Database; statements: () => number } {
  let count = 0;
  const check = (sql: string | null) => {
    count++;
    if (typeof diesAt === "number" ? count >= diesAt : sql !== null && diesAt.test(sql)) throw new WorkerDied();
  };
  const db = new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") {
        return (sql: string) => wrapRun(target.prepare(sql), sql);
      }
      if (prop === "batch") return (statements: D1PreparedStatement[]) => (check(null), target.batch(statements));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  // Bound or not, a statement counts when it runs.
  const wrapRun = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(s, p) {
        const value = Reflect.get(s, p);
        if (typeof value !== "function") return value;
        if (p === "bind") return (...args: unknown[]) => wrapRun(value.apply(s, args), sql);
        if (p === "run" || p === "all" || p === "first" || p === "raw") return (...args: unknown[]) => (check(sql), value.apply(s, args));
        return value.bind(s);
      },
    });
  return { db, statements: () => count };
}

/** The run ended by the simulated death (drizzle wraps the error it threw). */
export async function diedIn(run: Promise<unknown>): Promise<boolean> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof WorkerDied) return true;
  return false;
}
