import type { Database } from "./client";
import { backfillPausedAt } from "./control";
import { migratedPerHour, readStatusCounts } from "./counts";
import { readCounters } from "./counters";
import { findDiscovery } from "./discovery";
import { latestRun } from "./runs";
import { latestFailure } from "./threads";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Everything GET /v1/status reads from D1: a fixed handful of rows at any number of threads
 * (contract §7.4). `sourceKey` names the source whose thread listing is shown.
 */
export async function readStatusRows(db: Database, now: number, sourceKey: string) {
  const [counts, migratedByHour, run, counters, pausedAt, discovery, failure] = await Promise.all([
    readStatusCounts(db),
    migratedPerHour(db, now - DAY_MS, now),
    latestRun(db),
    readCounters(db),
    backfillPausedAt(db),
    findDiscovery(db, sourceKey),
    latestFailure(db),
  ]);
  return { ...counts, migratedByHour, run, counters, pausedAt, discovery, failure };
}
