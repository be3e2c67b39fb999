// What a request costs D1 in the test pool: scripts/d1-cost.ts on the pool's own database.
import { env } from "cloudflare:test";
import * as cost from "../../scripts/d1-cost";

export { fullScans, type Statement } from "../../scripts/d1-cost";

/** A binding (over the pool's D1) that records every statement the Worker runs through it. */
export const recordingD1 = (d1: D1Database = env.DB) => cost.recordingD1(d1);
export const rowsRead = (statements: readonly cost.Statement[]) => cost.rowsRead(env.DB, statements);
export const queryPlans = (statements: readonly cost.Statement[]) => cost.queryPlans(env.DB, statements);
