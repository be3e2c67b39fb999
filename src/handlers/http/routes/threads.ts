import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "../../../db/client";
import { findThread, findThreads, registerThreads } from "../../../db/threads";
import { migrateThread } from "../../../migration/engine";
import { queueFollowUps } from "../../../migration/follow-ups";
import { previewThread } from "../../../migration/preview";
import { IMPORT_MAX_IDS, LOOKUP_MAX_IDS } from "../../../ids";
import { invocationBudget, migrationDeps, previewDeps, withPacing } from "../../wiring";
import { createRouter } from "../app-type";
import { ApiError } from "../errors";
import { presentThread, unknownThread } from "../presenters";
import { errorResponse, errors, ImportResult, jsonContent, MigrateQuery, MigrationPreview, ThreadIdList, ThreadIdParam, ThreadMigration } from "../schemas";
import { rememberIfSettled, settledAnswer } from "../settled-cache";


const getThread = createRoute({
  method: "get",
  path: "/v1/threads/{thread_id}",
  operationId: "getThread",
  summary: "Look up a thread's migration (never calls OpenAI)",
  request: { params: ThreadIdParam },
  responses: {
    200: jsonContent(ThreadMigration, "The thread's migration"),
    404: errorResponse("ferry has never seen this thread (`thread_not_found`)"),
    ...errors.badId,
    ...errors.bearer,
    ...errors.failure,
  },
});

const migrateRoute = createRoute({
  method: "post",
  path: "/v1/threads/{thread_id}/migrate",
  operationId: "migrateThread",
  summary: "Migrate a thread now (idempotent), or preview its migration with `dry_run=true`",
  request: { params: ThreadIdParam, query: MigrateQuery },
  responses: {
    200: jsonContent(
      z.union([ThreadMigration, MigrationPreview]),
      "Finished within the request (migrated, failed or source_unavailable), or already migrated; with `dry_run=true` the preview",
    ),
    202: {
      ...jsonContent(ThreadMigration, "Continues in the background; ask again after `Retry-After` seconds"),
      headers: z.object({
        "Retry-After": z.number().int().min(0).openapi({ description: "Seconds until it is worth asking again" }),
      }),
    },
    ...errors.badId,
    ...errors.tooLarge, // no body is read, but one is still limited
    ...errors.bearer,
    ...errors.preview,
    ...errors.failure,
    ...errors.config,
  },
});

const lookup = createRoute({
  method: "post",
  path: "/v1/threads/lookup",
  operationId: "lookupThreads",
  summary: "Look up many threads at once",
  request: { body: { content: { "application/json": { schema: ThreadIdList(LOOKUP_MAX_IDS) } }, required: true } },
  responses: {
    200: jsonContent(z.object({ data: z.array(ThreadMigration) }), "One entry per requested id, in order; unknown ids have status `unknown`"),
    ...errors.badJsonBody,
    ...errors.tooLarge,
    ...errors.bearer,
    ...errors.failure,
  },
});

const importRoute = createRoute({
  method: "post",
  path: "/v1/threads/import",
  operationId: "importThreads",
  summary: "Register thread ids for the backfill (idempotent)",
  request: { body: { content: { "application/json": { schema: ThreadIdList(IMPORT_MAX_IDS) } }, required: true } },
  responses: {
    200: jsonContent(ImportResult, "How many ids were new and how many ferry knew"),
    ...errors.badJsonBody,
    ...errors.tooLarge,
    ...errors.bearer,
    ...errors.failure,
  },
});

export const threadRoutes = createRouter()
  .openapi(getThread, async (c) => {
    const { thread_id } = c.req.valid("param");
    const cached = settledAnswer(thread_id);
    if (cached) return c.json(cached, 200);
    const row = await findThread(createDb(c.env.DB), thread_id);
    if (!row) throw new ApiError(404, "not_found_error", "thread_not_found", `ferry has never seen thread ${thread_id}`, "thread_id");
    const answer = presentThread(row);
    rememberIfSettled(row, answer);
    return c.json(answer, 200);
  })
  .openapi(migrateRoute, async (c) => {
    const { thread_id } = c.req.valid("param");
    const known = await findThread(createDb(c.env.DB), thread_id);
    // A request is lazy work: an app is waiting for it, so it is paced in the lazy lane.
    if (c.req.valid("query").dry_run === "true") {
      const preview = await withPacing(c.env, (pacing) => previewThread(previewDeps(c.env, invocationBudget(c.env, "request"), pacing.lane("lazy"), known), thread_id));
      return c.json(preview, 200);
    }
    if (known?.status === "migrated") return c.json(presentThread(known), 200);

    const outcome = await withPacing(c.env, (pacing) => migrateThread(migrationDeps(c.env, invocationBudget(c.env, "request"), pacing.lane("lazy")), thread_id));
    const retryAfter = await queueFollowUps(c.env, thread_id, outcome, "request", true);
    if (retryAfter === null) return c.json(presentThread(outcome.row), 200);
    c.header("Retry-After", String(retryAfter));
    return c.json(presentThread(outcome.row), 202);
  })
  .openapi(lookup, async (c) => {
    const { thread_ids } = c.req.valid("json");
    const rows = new Map((await findThreads(createDb(c.env.DB), thread_ids)).map((r) => [r.threadId, r]));
    const data = thread_ids.map((id) => {
      const row = rows.get(id);
      return row ? presentThread(row) : unknownThread(id);
    });
    return c.json({ data }, 200);
  })
  .openapi(importRoute, async (c) => {
    const ids = [...new Set(c.req.valid("json").thread_ids)];
    const registered = await registerThreads(createDb(c.env.DB), ids);
    return c.json({ registered, already_known: ids.length - registered }, 200);
  });
