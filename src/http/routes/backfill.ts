import { createRoute, z } from "@hono/zod-openapi";
import { startBackfill } from "../../backfill/backfill";
import { readConfig } from "../../config";
import { createDb } from "../../db/client";
import { readCounters } from "../../db/counters";
import { countRunMigrated, latestRun } from "../../db/runs";
import { countAssistantsByStatus } from "../../db/assistants";
import { countStoreFilesByStatus } from "../../db/files";
import { countByStatus, countMigratedSince, registerThreads } from "../../db/threads";
import { migrationsQueue } from "../../queue/messages";
import { project } from "../../status/projection";
import { createRouter } from "../app-type";
import { errorResponses, jsonContent, ThreadIdList } from "../schemas";
import { iso } from "../thread-migration";

const IMPORT_MAX = 1000;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

const importRoute = createRoute({
  method: "post",
  path: "/v1/threads/import",
  summary: "Register thread ids for the backfill (idempotent)",
  request: { body: { content: { "application/json": { schema: ThreadIdList(IMPORT_MAX) } }, required: true } },
  responses: {
    200: jsonContent(z.object({ registered: z.number().int(), already_known: z.number().int() }), "How many ids were new and how many ferry knew"),
    ...errorResponses,
  },
});

const BackfillRun = z
  .object({
    object: z.literal("backfill_run"),
    id: z.string(),
    trigger: z.enum(["cron", "manual"]),
    started_at: z.string(),
    enqueued: z.number().int(),
    fan_out_done_at: z.string().nullable(),
    drained_at: z.string().nullable(),
  })
  .openapi("BackfillRun");

const backfillRoute = createRoute({
  method: "post",
  path: "/v1/backfill",
  summary: "Start the nightly backfill now",
  responses: { 202: jsonContent(BackfillRun, "The run was started; its threads are enqueued in the background"), ...errorResponses },
});

const Count = z.number().int();
const Status = z
  .object({
    object: z.literal("migration_status"),
    shutdown_at: z.string(),
    seconds_until_shutdown: z.number().int().openapi({ description: "Negative once the shutdown has passed" }),
    threads: z.object({ total: Count, pending: Count, migrating: Count, migrated: Count, failed: Count, source_unavailable: Count }),
    remaining: Count.openapi({ description: "Threads that can still migrate: pending, migrating and failed" }),
    throughput: z.object({
      last_24h: z.object({ threads_migrated: Count, threads_per_hour: z.number() }),
      last_run: z.object({ threads_migrated: Count, threads_per_hour: z.number() }).nullable(),
    }),
    projected_finish_at: z.string().nullable(),
    on_track: z.boolean().openapi({ description: "Whether the projected finish comes before the shutdown" }),
    assistants: z.object({ total: Count, pending: Count, ingesting: Count, synced: Count, failed: Count, source_unavailable: Count }),
    files: z.object({ total: Count, in_progress: Count, completed: Count, failed: Count }).openapi({ description: "Files ferry keeps in assistants' and threads' vector stores" }),
    last_backfill: BackfillRun.nullable(),
    dead_lettered: Count,
    malformed_messages: Count,
  })
  .openapi("MigrationStatus");

const statusRoute = createRoute({
  method: "get",
  path: "/v1/status",
  summary: "Where the migration stands against the shutdown",
  responses: { 200: jsonContent(Status, "Counts, pace and projection"), ...errorResponses },
});

const presentRun = (run: NonNullable<Awaited<ReturnType<typeof latestRun>>>) => ({
  object: "backfill_run" as const,
  id: run.id,
  trigger: run.trigger,
  started_at: iso(run.startedAt)!,
  enqueued: run.enqueued,
  fan_out_done_at: iso(run.fanOutDoneAt),
  drained_at: iso(run.drainedAt),
});

export const backfillRoutes = createRouter()
  .openapi(importRoute, async (c) => {
    const ids = [...new Set(c.req.valid("json").thread_ids)];
    const registered = await registerThreads(createDb(c.env.DB), ids);
    return c.json({ registered, already_known: ids.length - registered }, 200);
  })
  .openapi(backfillRoute, async (c) => {
    const run = await startBackfill(createDb(c.env.DB), migrationsQueue(c.env), "manual", Date.now());
    return c.json(presentRun(run), 202);
  })
  .openapi(statusRoute, async (c) => {
    const db = createDb(c.env.DB);
    const now = Date.now();
    const shutdownAt = readConfig(c.env).shutdownAt.getTime();
    const [threads, migratedLast24h, run, counters, assistants, files] = await Promise.all([
      countByStatus(db),
      countMigratedSince(db, now - 24 * 60 * 60 * 1000),
      latestRun(db),
      readCounters(db),
      countAssistantsByStatus(db),
      countStoreFilesByStatus(db),
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
      },
      200,
    );
  });
