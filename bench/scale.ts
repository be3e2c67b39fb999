// Part 9, at scale (contract §7.4): status, the list and the report on a local D1 holding 100,000
// and 1,000,000 threads. For each size: a fresh copy of the migrated D1 state seeded in one statement
// (scripts/many-threads.ts) through a Node-side miniflare, the rows D1 reads for each route's own
// queries (D1's meta.rows_read, run through the same functions the routes call), and the routes'
// latency over HTTP from `wrangler dev` on that state. Bytes per thread come from D1's size_after.
import { cpSync, readFileSync } from "node:fs";
import path from "node:path";
import { Miniflare } from "miniflare";
import { type Statement, recordingD1, rowsRead } from "../scripts/d1-cost";
import { manyThreadsSql } from "../scripts/many-threads";
import { createDb, type Database } from "../src/db/client";
import { listThreads, readReport } from "../src/db/mapping";
import { readStatusRows } from "../src/db/status";
import { API_TOKEN, type FerryInstance, type Workspace } from "./stack";

/** Each measured route, and the queries it runs (the route's own code, called directly). */
const ROUTES: { name: string; path: string; reads: (db: Database) => Promise<unknown> }[] = [
  { name: "status", path: "/v1/status", reads: (db) => readStatusRows(db, Date.now(), "bench-source") }, // its discovery row is one keyed read whatever the key
  { name: "list, a page of 1,000", path: "/v1/threads?limit=1000", reads: (db) => listThreads(db, {}, null, 1001) },
  { name: "list by status (failed)", path: "/v1/threads?status=failed&limit=1000", reads: (db) => listThreads(db, { status: "failed" }, null, 1001) },
  { name: "list by warning (empty_message)", path: "/v1/threads?warning=empty_message&limit=1000", reads: (db) => listThreads(db, { warning: "empty_message" }, null, 1001) },
  { name: "report", path: "/v1/report", reads: (db) => readReport(db, 10) },
];

export interface RouteAtScale {
  name: string;
  p50Ms: number;
  p95Ms: number;
  rowsRead: number;
  statements: number;
}

export interface ScaleSize {
  threads: number;
  seedMs: number;
  bytesPerThread: number;
  databaseBytes: number;
  routes: RouteAtScale[];
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Opens the D1 database of a `--persist-to` state directory from Node, as wrangler dev would find it. */
async function openD1(ws: Workspace, stateDir: string) {
  const toml = readFileSync(path.join(ws.appDir, "wrangler.toml"), "utf8");
  const id = /database_id\s*=\s*"([^"]+)"/.exec(toml)![1]!;
  const mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: { DB: id }, d1Persist: path.join(stateDir, "v3", "d1") });
  return { mf, d1: (await mf.getD1Database("DB")) as unknown as D1Database };
}

async function sizeOf(d1: D1Database): Promise<number> {
  return (await d1.prepare("update threads set status = status where 0").run()).meta.size_after;
}

export async function runScale(
  ws: Workspace,
  sizes: readonly number[],
  requests: number,
  start: (name: string, stateDir: string) => Promise<FerryInstance>,
  log: (msg: string) => void,
): Promise<ScaleSize[]> {
  const out: ScaleSize[] = [];
  for (const n of sizes) {
    const stateDir = path.join(ws.dir, `state-scale-${n}`);
    cpSync(ws.templateState, stateDir, { recursive: true });
    const { mf, d1 } = await openD1(ws, stateDir);
    let size: Omit<ScaleSize, "routes">;
    const reads: Omit<RouteAtScale, "p50Ms" | "p95Ms">[] = [];
    try {
      const before = await sizeOf(d1);
      const { sql, params } = manyThreadsSql("thread_scale", n, Date.now());
      const t0 = performance.now();
      const seeded = await d1.prepare(sql).bind(...params).run();
      size = { threads: n, seedMs: performance.now() - t0, databaseBytes: seeded.meta.size_after, bytesPerThread: (seeded.meta.size_after - before) / n };
      log(`scale: ${n.toLocaleString("en-US")} threads seeded in ${(size.seedMs / 1000).toFixed(1)} s, ${size.bytesPerThread.toFixed(0)} bytes each`);
      for (const route of ROUTES) {
        const { db, statements } = recordingD1(d1);
        await route.reads(createDb(db));
        reads.push({ name: route.name, rowsRead: await rowsRead(d1, statements as Statement[]), statements: statements.length });
      }
    } finally {
      await mf.dispose();
    }
    const ferry = await start(`scale-${n}`, stateDir);
    try {
      const routes: RouteAtScale[] = [];
      for (const route of ROUTES) {
        const times: number[] = [];
        for (let i = 0; i < requests + 3; i++) {
          const t = performance.now();
          const res = await fetch(`${ferry.url}${route.path}`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
          if (!res.ok) throw new Error(`${route.path} answered ${res.status}`);
          await res.arrayBuffer();
          if (i >= 3) times.push(performance.now() - t); // the first ones warm the isolate
        }
        times.sort((a, b) => a - b);
        routes.push({ ...reads.find((r) => r.name === route.name)!, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95) });
      }
      out.push({ ...size, routes });
    } finally {
      await ferry.stop();
    }
  }
  return out;
}
