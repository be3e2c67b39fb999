import { createRoute } from "@hono/zod-openapi";
import { findAssistant } from "../../../db/assistants";
import { createDb } from "../../../db/client";
import { listStoreFiles } from "../../../db/files";
import { createRouter } from "../app-type";
import { ApiError } from "../errors";
import { AssistantIdParam, AssistantMigration, errorResponse, errors, jsonContent } from "../schemas";
import { presentAssistant } from "../presenters";

const getAssistant = createRoute({
  method: "get",
  path: "/v1/assistants/{assistant_id}",
  operationId: "getAssistant",
  summary: "An assistant's live vector store, code-interpreter files, file outcomes and prompt spec (never calls OpenAI)",
  request: { params: AssistantIdParam },
  responses: {
    200: jsonContent(AssistantMigration, "The assistant's migration"),
    404: errorResponse("ferry has never seen this assistant (`assistant_not_found`)"),
    ...errors.badId,
    ...errors.bearer,
    ...errors.failure,
  },
});

export const assistantRoutes = createRouter().openapi(getAssistant, async (c) => {
  const { assistant_id } = c.req.valid("param");
  const db = createDb(c.env.DB);
  const row = await findAssistant(db, assistant_id);
  if (!row) throw new ApiError(404, "not_found_error", "assistant_not_found", `ferry has never seen assistant ${assistant_id}`, "assistant_id");
  return c.json(presentAssistant(row, await listStoreFiles(db, assistant_id)), 200);
});
