import { createRoute } from "@hono/zod-openapi";
import { readConfig } from "../../../config";
import { findDiscovery } from "../../../db/discovery";
import { countAssistantsByStatus } from "../../../db/assistants";
import { createDb } from "../../../db/client";
import { readCounters } from "../../../db/counters";
import { countStoreFilesByStatus } from "../../../db/files";
import { countRunMigrated, latestRun } from "../../../db/runs";
import { countByStatus, countMigratedSince, latestFailure } from "../../../db/threads";
import { project } from "../../../status/projection";
import { sourceKey } from "../../wiring";
import { createRouter } from "../app-type";
import { iso, presentRun } from "../presenters";
import { errors, jsonContent, MigrationStatus } from "../schemas";

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const statusRoute = createRoute({
  method: "get",
  path: "/v1/status",
  operationId: "getStatus",
  summary: "Where the migration stands against the shutdown",
  responses: { 200: jsonContent(MigrationStatus, "Counts, pace and projection"), ...errors.bearer, ...errors.failure, ...errors.config },
});

export const statusRoutes = createRouter().openapi(statusRoute, async (c) => {
  const db = createDb(c.env.DB);
  const now = Date.now();
  const config = readConfig(c.env);
  const shutdownAt = config.shutdownAt.getTime();
  const [threads, migratedLast24h, run, counters, assistants, files, discovery, failure] = await Promise.all([
    countByStatus(db),
    countMigratedSince(db, now - 24 * 60 * 60 * 1000),
    latestRun(db),
    readCounters(db),
    countAssistantsByStatus(db),
    countStoreFilesByStatus(db),
    findDiscovery(db, sourceKey(c.env)),
    latestFailure(db),
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
      source: {
        base_url: config.source.baseUrl,
        auth: config.source.auth,
        api_version: config.source.apiVersion,
        thread_discovery: discovery ? { status: discovery.status, listed: discovery.listed, error: discovery.error, updated_at: iso(discovery.updatedAt)! } : null,
      },
      last_failure: failure ? { thread_id: failure.threadId, status: failure.status, error: failure.error, at: iso(failure.updatedAt)! } : null,
      ...counters,
    },
    200,
  );
});
