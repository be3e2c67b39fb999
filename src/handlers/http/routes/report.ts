import { createRoute } from "@hono/zod-openapi";
import { createDb } from "../../../db/client";
import { readReport } from "../../../db/mapping";
import { createRouter } from "../app-type";
import { errors, jsonContent, MigrationReport } from "../schemas";

const EXAMPLES = 10;

const reportRoute = createRoute({
  method: "get",
  path: "/v1/report",
  operationId: "getReport",
  summary: "Warnings and errors by code: how many threads carry each, and up to 10 of them",
  description: "From counts kept as threads change: it reads a row per code and its examples, whatever the number of threads.",
  responses: { 200: jsonContent(MigrationReport, "The report"), ...errors.bearer, ...errors.failure },
});

export const reportRoutes = createRouter().openapi(reportRoute, async (c) => {
  const issues = await readReport(createDb(c.env.DB), EXAMPLES);
  const of = (kind: "warning" | "error") => issues.filter((i) => i.kind === kind).map(({ code, threads, examples }) => ({ code, threads, examples }));
  return c.json({ object: "migration_report" as const, warnings: of("warning"), errors: of("error") }, 200);
});
