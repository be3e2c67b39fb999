import { createRoute, z } from "@hono/zod-openapi";
import { createDb, type Database } from "../../../db/client";
import { exportPage, listThreads } from "../../../db/mapping";
import type { ThreadStatus } from "../../../db/schema";
import { createRouter } from "../app-type";
import { appToolResources, presentThread, warningCodes } from "../presenters";
import { errors, ExportQuery, jsonContent, ThreadList, ThreadListQuery } from "../schemas";

/**
 * Rows an export reads a page at a time: what it holds in memory (about a megabyte of lines),
 * whatever the mapping's size. 1,000 pages (D1's queries per invocation on the paid plan) are 5
 * million threads; a larger export is cut there and resumes with `after`.
 */
export const EXPORT_PAGE = 5000;

const listRoute = createRoute({
  method: "get",
  path: "/v1/threads",
  operationId: "listThreads",
  summary: "List ThreadMigrations in thread id order, by status and warning code",
  description: "Keyset pages: pass the page's `last_id` as `after`. Each page reads about as many rows as it returns.",
  request: { query: ThreadListQuery },
  responses: { 200: jsonContent(ThreadList, "One page"), ...errors.badQuery, ...errors.bearer, ...errors.failure },
});

const exportRoute = createRoute({
  method: "get",
  path: "/v1/threads/export",
  operationId: "exportThreads",
  summary: "The whole thread → conversation mapping, streamed",
  description:
    "thread_id, conversation_id, status, messages_migrated, tool_resources and warning codes, one thread a line in thread id order, " +
    `read from D1 ${EXPORT_PAGE} rows at a time into the response, so memory stays the same at any size. CSV: tool_resources is JSON, warning codes are ';'-separated.`,
  request: { query: ExportQuery },
  responses: {
    200: {
      content: { "application/x-ndjson": { schema: z.string() }, "text/csv": { schema: z.string() } },
      description: "One line per thread (CSV with a header)",
    },
    ...errors.badQuery,
    ...errors.bearer,
    ...errors.failure,
  },
});

type ExportRow = Awaited<ReturnType<typeof exportPage>>[number];

const FORMATS = {
  ndjson: {
    contentType: "application/x-ndjson",
    header: "",
    line: (r: ExportRow) =>
      `${JSON.stringify({
        thread_id: r.threadId,
        conversation_id: r.conversationId,
        status: r.status,
        messages_migrated: r.messagesMigrated,
        tool_resources: appToolResources(r),
        warning_codes: warningCodes(r),
      })}\n`,
  },
  csv: {
    contentType: "text/csv; charset=utf-8",
    header: "thread_id,conversation_id,status,messages_migrated,tool_resources,warning_codes\r\n",
    line: (r: ExportRow) => {
      const tools = appToolResources(r);
      return `${[r.threadId, r.conversationId ?? "", r.status, String(r.messagesMigrated), tools ? JSON.stringify(tools) : "", warningCodes(r).join(";")].map(csvField).join(",")}\r\n`;
    },
  },
} as const;

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/**
 * Keyset pages of D1 read as the client reads the body: one page in memory at a time. The first is
 * read before the answer starts, so a database that fails answers 500, not a 200 cut short.
 */
async function exportStream(db: Database, format: keyof typeof FORMATS, status: ThreadStatus | undefined, after: string | null): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const { header, line } = FORMATS[format];
  let rows = await exportPage(db, status, after, EXPORT_PAGE);
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (header) controller.enqueue(encoder.encode(header));
      },
      async pull(controller) {
        if (rows.length) controller.enqueue(encoder.encode(rows.map(line).join("")));
        if (rows.length < EXPORT_PAGE) return controller.close();
        rows = await exportPage(db, status, rows.at(-1)!.threadId, EXPORT_PAGE);
      },
    },
    { highWaterMark: 0 }, // read a page only when the client wants more
  );
}

export const mappingRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { status, warning, after, limit } = c.req.valid("query");
    // One more than asked tells whether another page follows.
    const rows = await listThreads(createDb(c.env.DB), { status, warning }, after ?? null, limit + 1);
    const data = rows.slice(0, limit).map(presentThread);
    return c.json({ object: "list" as const, data, first_id: data[0]?.thread_id ?? null, last_id: data.at(-1)?.thread_id ?? null, has_more: rows.length > limit }, 200);
  })
  .openapi(exportRoute, async (c) => {
    const { format, status, after } = c.req.valid("query");
    const filename = `ferry-threads${status ? `-${status}` : ""}.${format}`;
    return c.body(await exportStream(createDb(c.env.DB), format, status, after ?? null), 200, {
      "content-type": FORMATS[format].contentType,
      "content-disposition": `attachment; filename="${filename}"`,
    });
  });
