import { createRoute } from "@hono/zod-openapi";
import { startBackfill } from "../../../backfill/backfill";
import { createDb } from "../../../db/client";
import { pauseBackfill, resumeBackfill } from "../../../db/control";
import { migrationsQueue } from "../../../queue/messages";
import { createRouter } from "../app-type";
import { presentPause, presentRun } from "../presenters";
import { BackfillRun, BackfillState, errors, jsonContent } from "../schemas";

const backfillRoute = createRoute({
  method: "post",
  path: "/v1/backfill",
  operationId: "startBackfill",
  summary: "Start the nightly backfill now",
  responses: {
    202: jsonContent(BackfillRun, "The run was started; its threads are enqueued in the background"),
    ...errors.tooLarge, // no body is read, but one is still limited
    ...errors.bearer,
    ...errors.failure,
  },
});

const pauseRoute = createRoute({
  method: "post",
  path: "/v1/backfill/pause",
  operationId: "pauseBackfill",
  summary: "Pause the backfill's OpenAI traffic (idempotent)",
  description:
    "Backfill work in the queue is put back with a delay and spends no OpenAI call until resumed; lazy migrations, webhooks and lookups go on. Pausing again keeps the first pause's time.",
  responses: { 200: jsonContent(BackfillState, "Paused, and since when"), ...errors.tooLarge, ...errors.bearer, ...errors.failure },
});

const resumeRoute = createRoute({
  method: "post",
  path: "/v1/backfill/resume",
  operationId: "resumeBackfill",
  summary: "Resume the backfill (idempotent)",
  description: "Work put back while paused runs again at its next delivery (within the delay it was put back with).",
  responses: { 200: jsonContent(BackfillState, "Running"), ...errors.tooLarge, ...errors.bearer, ...errors.failure },
});

export const backfillRoutes = createRouter()
  .openapi(backfillRoute, async (c) => {
    const run = await startBackfill(createDb(c.env.DB), migrationsQueue(c.env), "manual", Date.now());
    return c.json(presentRun(run), 202);
  })
  .openapi(pauseRoute, async (c) => {
    const since = await pauseBackfill(createDb(c.env.DB), Date.now());
    return c.json({ object: "backfill_state" as const, ...presentPause(since) }, 200);
  })
  .openapi(resumeRoute, async (c) => {
    await resumeBackfill(createDb(c.env.DB));
    return c.json({ object: "backfill_state" as const, ...presentPause(null) }, 200);
  });
