import { createRoute } from "@hono/zod-openapi";
import { startBackfill } from "../../../backfill/backfill";
import { createDb } from "../../../db/client";
import { migrationsQueue } from "../../../queue/messages";
import { createRouter } from "../app-type";
import { presentRun } from "../presenters";
import { BackfillRun, errors, jsonContent } from "../schemas";

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

export const backfillRoutes = createRouter().openapi(backfillRoute, async (c) => {
  const run = await startBackfill(createDb(c.env.DB), migrationsQueue(c.env), "manual", Date.now());
  return c.json(presentRun(run), 202);
});
