import { createRoute } from "@hono/zod-openapi";
import { readConfig } from "../../../config";
import { createDb } from "../../../db/client";
import { readStatusRows } from "../../../db/status";
import { Pacing } from "../../../pacing/permits";
import { project } from "../../../status/projection";
import { sourceKey } from "../../wiring";
import { createRouter } from "../app-type";
import { iso, presentPause, presentRun } from "../presenters";
import { errors, jsonContent, MigrationStatus } from "../schemas";

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const statusRoute = createRoute({
  method: "get",
  path: "/v1/status",
  operationId: "getStatus",
  summary: "Where the migration stands against the shutdown",
  description: "Reads a fixed handful of rows at any size (counts are kept as rows change), and asks each paced side's pacer how it stands.",
  responses: { 200: jsonContent(MigrationStatus, "Counts, pace and projection"), ...errors.bearer, ...errors.failure, ...errors.config },
});

const presentPacer = (p: Awaited<ReturnType<Pacing["describe"]>>["target"]) =>
  p && { max_rpm: p.maxRpm, current_rpm: p.currentRpm, paused_for_seconds: Math.ceil(p.pausedForMs / 1000), last_minute: p.lastMinute };

export const statusRoutes = createRouter().openapi(statusRoute, async (c) => {
  const db = createDb(c.env.DB);
  const now = Date.now();
  const config = readConfig(c.env);
  const shutdownAt = config.shutdownAt.getTime();
  const [{ threads, assistants, files, migratedByHour, run, counters, pausedAt, discovery, failure }, pacers] = await Promise.all([
    readStatusRows(db, now, sourceKey(c.env)),
    new Pacing(c.env, config).describe(),
  ]);
  const lastRun = run ? { startedAt: run.startedAt, drainedAt: run.drainedAt, migrated: run.migrated } : null;

  return c.json(
    {
      object: "migration_status" as const,
      shutdown_at: new Date(shutdownAt).toISOString(),
      threads: { total: sum(threads), ...threads },
      ...project({ now, shutdownAt, threads, migratedByHour, lastRun }),
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
      ...presentPause(pausedAt),
      ...counters,
      pacing: { source: presentPacer(pacers.source), target: presentPacer(pacers.target) },
    },
    200,
  );
});
