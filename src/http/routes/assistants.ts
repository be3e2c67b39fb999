import { createRoute } from "@hono/zod-openapi";
import { findAssistant } from "../../db/assistants";
import { createDb } from "../../db/client";
import { listStoreFiles } from "../../db/files";
import type { AssistantRow } from "../../db/schema";
import { createRouter } from "../app-type";
import { ApiError } from "../errors";
import { AssistantIdParam, AssistantMigration, errorResponses, jsonContent } from "../schemas";
import { iso } from "../thread-migration";

const getAssistant = createRoute({
  method: "get",
  path: "/v1/assistants/{assistant_id}",
  summary: "An assistant's live vector store, code-interpreter files, file outcomes and prompt spec (never calls OpenAI)",
  request: { params: AssistantIdParam },
  responses: {
    200: jsonContent(AssistantMigration, "The assistant's migration"),
    404: jsonContent(AssistantMigration, "ferry has never seen this assistant (`assistant_not_found`)"),
    ...errorResponses,
  },
});

export const assistantRoutes = createRouter().openapi(getAssistant, async (c) => {
  const { assistant_id } = c.req.valid("param");
  const db = createDb(c.env.DB);
  const row = await findAssistant(db, assistant_id);
  if (!row) throw new ApiError(404, "not_found_error", "assistant_not_found", `ferry has never seen assistant ${assistant_id}`, "assistant_id");
  return c.json(presentAssistant(row, await listStoreFiles(db, assistant_id)), 200);
});

function presentAssistant(row: AssistantRow, files: Awaited<ReturnType<typeof listStoreFiles>>): AssistantMigration {
  const count = (status: string) => files.filter((f) => f.status === status).length;
  return {
    object: "assistant_migration",
    assistant_id: row.assistantId,
    status: row.status,
    vector_store_id: row.vectorStoreId,
    code_interpreter_file_ids: row.codeInterpreterFileIds ?? [],
    file_counts: { in_progress: count("in_progress"), completed: count("completed"), failed: count("failed"), total: files.length },
    failures: files
      .filter((f) => f.status === "failed")
      .map((f) => ({ file_id: f.fileId, code: f.lastError?.code ?? "failed", message: f.lastError?.message ?? "ingestion failed" })),
    prompt_spec: (row.promptSpec as unknown as Record<string, unknown>) ?? null,
    sources: row.sources,
    warnings: row.warnings,
    error: row.error,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
    synced_at: iso(row.syncedAt),
  };
}
