import { bodyLimit } from "hono/body-limit";
import { readConfig } from "../../config";
import type { MiddlewareHandler } from "hono";
import { ensureSchema } from "../../db/migrate";
import { type AppEnv, createRouter } from "./app-type";
import { requireToken } from "./auth";
import { ApiError, notFound, onError } from "./errors";
import { assistantRoutes } from "./routes/assistants";
import { backfillRoutes } from "./routes/backfill";
import { mappingRoutes } from "./routes/mapping";
import { reportRoutes } from "./routes/report";
import { statusRoutes } from "./routes/status";
import { threadRoutes } from "./routes/threads";
import { webhookRoutes } from "./routes/webhooks";

const MAX_BODY_BYTES = 1024 * 1024;

export const app = createRouter();

/** Healthy means configured: a refused setting answers 503 naming it (contract §1). */
app.get("/healthz", (c) => {
  readConfig(c.env);
  return c.json({ status: "ok" });
});

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, "invalid_request_error", "body_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
  },
});

/** Only a trusted request may bring an empty database's tables into being. */
const schemaReady: MiddlewareHandler<AppEnv> = async (c, next) => {
  await ensureSchema(c.env.DB);
  await next();
};

app.use("/v1/*", requireToken, schemaReady, limitBody);
app.use("/webhooks/*", limitBody);
app.route("/", mappingRoutes); // before threadRoutes: /v1/threads/export is not a thread id
app.route("/", threadRoutes);
app.route("/", backfillRoutes);
app.route("/", statusRoutes);
app.route("/", reportRoutes);
app.route("/", assistantRoutes);
app.route("/", webhookRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "ferry", version: "1.0.0", description: "Migrates OpenAI Assistants threads to Conversations." },
  security: [{ bearer: [] }],
});

app.notFound(notFound);
app.onError(onError);
