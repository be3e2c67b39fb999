import { createRoute, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { readConfig } from "../../config";
import type { MiddlewareHandler } from "hono";
import { ensureSchema } from "../../db/migrate";
import { type AppEnv, createRouter } from "./app-type";
import { requireToken } from "./auth";
import { ApiError, notFound, onError } from "./errors";
import { pageRoutes } from "./page/routes";
import { assistantRoutes } from "./routes/assistants";
import { backfillRoutes } from "./routes/backfill";
import { exportRoutes } from "./routes/exports";
import { mappingRoutes } from "./routes/mapping";
import { reportRoutes } from "./routes/report";
import { statusRoutes } from "./routes/status";
import { threadRoutes } from "./routes/threads";
import { webhookRoutes } from "./routes/webhooks";
import { errors, jsonContent, MAX_BODY_BYTES } from "./schemas";

export const app = createRouter();

const healthz = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  summary: "Liveness: answers without touching the database or OpenAI",
  security: [],
  responses: {
    200: jsonContent(z.object({ status: z.literal("ok") }).openapi("Health"), "The Worker is up and its configuration is valid"),
    ...errors.config,
  },
});
/** Healthy means configured: a refused setting answers 503 naming it (contract §1). */
app.openapi(healthz, (c) => {
  readConfig(c.env);
  return c.json({ status: "ok" as const }, 200);
});

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, "invalid_request_error", "body_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  },
});

/** An export upload streams into R2 under its own limit, the platform's request size (routes/exports.ts); every other body is small. */
const limitApiBody: MiddlewareHandler<AppEnv> = (c, next) => (c.req.method === "POST" && c.req.path === "/v1/exports" ? next() : limitBody(c, next));

/** Only a trusted request may bring an empty database's tables into being. */
const schemaReady: MiddlewareHandler<AppEnv> = async (c, next) => {
  await ensureSchema(c.env.DB);
  await next();
};

app.use("/v1/*", requireToken, schemaReady, limitApiBody);
app.use("/webhooks/*", limitBody);
app.route("/", mappingRoutes); // before threadRoutes: /v1/threads/export is not a thread id
app.route("/", threadRoutes);
app.route("/", backfillRoutes);
app.route("/", statusRoutes);
app.route("/", reportRoutes);
app.route("/", assistantRoutes);
app.route("/", exportRoutes);
app.route("/", webhookRoutes);
app.route("/", pageRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "The Worker's `API_TOKEN`" });
app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "ferry",
    version: "1.0.0",
    description: [
      "Migrates OpenAI Assistants threads to Conversations.",
      "",
      "Every error is an `Error` object. A method and path not listed here answer 404 `unknown_route`",
      "(after the bearer check under `/v1/`).",
    ].join("\n"),
  },
  security: [{ bearer: [] }],
});

app.notFound(notFound);
app.onError(onError);
