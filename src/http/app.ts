import { bodyLimit } from "hono/body-limit";
import { createRouter } from "./app-type";
import { requireToken } from "./auth";
import { ApiError, notFound, onError } from "./errors";
import { threadRoutes } from "./routes/threads";

const MAX_BODY_BYTES = 1024 * 1024;

export const app = createRouter();

app.get("/healthz", (c) => c.json({ status: "ok" }));

app.use("/v1/*", requireToken);
app.use(
  "/v1/*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "invalid_request_error", "body_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    },
  }),
);
app.route("/", threadRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "ferry", version: "1.0.0", description: "Migrates OpenAI Assistants threads to Conversations." },
  security: [{ bearer: [] }],
});

app.notFound(notFound);
app.onError(onError);
