import { createRoute } from "@hono/zod-openapi";
import { readConfig } from "../../../config";
import { countAssistantsByStatus } from "../../../db/assistants";
import { createDb } from "../../../db/client";
import { readCounters } from "../../../db/counters";
import { countStoreFilesByStatus } from "../../../db/files";
import { countRunMigrated, latestRun } from "../../../db/runs";
import { countByStatus, countMigratedSince } from "../../../db/threads";
import { Pacing } from "../../../pacing/permits";
import { project } from "../../../status/projection";
import { createRouter } from "../app-type";
import { presentRun } from "../presenters";
import { errorResponses, jsonContent, MigrationStatus } from "../schemas";

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const statusRoute = createRoute({
  method: "get",
  path: "/v1/status",
  summary: "Where the migration stands against the shutdown",
  responses: { 200: jsonContent(MigrationStatus, "Counts, pace and projection"), ...errorResponses },
});

const presentPacer = (p: Awaited<ReturnType<Pacing["describe"]>>["target"]) =>
  p && { max_rpm: p.maxRpm, current_rpm: p.currentRpm, paused_for_seconds: Math.ceil(p.pausedForMs / 1000), last_minute: p.lastMinute };

export const statusRoutes = createRouter().openapi(statusRoute, async (c) => {
  const db = createDb(c.env.DB);
  const now = Date.now();
  const config = readConfig(c.env);
  const shutdownAt = config.shutdownAt.getTime();
  const [threads, migratedLast24h, run, counters, assistants, files, pacers] = await Promise.all([
    countByStatus(db),
    countMigratedSince(db, now - 24 * 60 * 60 * 1000),
    latestRun(db),
    readCounters(db),
    countAssistantsByStatus(db),
    countStoreFilesByStatus(db),
    new Pacing(c.env, config).describe(),
  ]);
  const lastRun = run ? { startedAt: run.startedAt, drainedAt: run.drainedAt, migrated: await countRunMigrated(db, run.id) } : null;

  return c.json(
    {
      object: "migration_status" as const,
      shutdown_at: new Date(shutdownAt).toISOString(),
      threads: { total: sum(threads), ...threads },
      ...project({ now, shutdownAt, threads, migratedLast24h, lastRun }),
      assistants: { total: sum(assistants), ...assistants },
      files: { total: sum(files), ...files },
      last_backfill: run ? presentRun(run) : null,
      ...counters,
      pacing: { source: presentPacer(pacers.source), target: presentPacer(pacers.target) },
    },
    200,
  );
});
