import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { readConfig } from "../../../config";
import { createDb } from "../../../db/client";
import { createExport, findExport } from "../../../db/exports";
import type { ExportRow } from "../../../db/schema";
import { exportKeys } from "../../../exports/location";
import { MAX_LINE_BYTES } from "../../../exports/shapes";
import { newExportId } from "../../../ids";
import { migrationsQueue } from "../../../queue/messages";
import { type AppEnv, createRouter } from "../app-type";
import { ApiError } from "../errors";
import { presentExport } from "../presenters";
import { errorResponse, errors, Export, ExportIdParam, ExportRegistration, jsonContent } from "../schemas";

type Format = ExportRow["format"];
const MEDIA_TYPES: Record<string, Format> = { "application/x-ndjson": "ndjson", "application/json": "json" };
/** A JSON body this small may be a registration (`{"r2_key"}`) rather than an export; only such a body is read before it is stored. */
const REGISTRATION_MAX_BYTES = 4096;

const upload = createRoute({
  method: "post",
  path: "/v1/exports",
  operationId: "uploadExport",
  summary: "Upload an export (streamed into R2), or register one already in the bucket; ingestion runs from the queue",
  description:
    "NDJSON (`application/x-ndjson`, one record, thread.message or transcript line a line) or a JSON document (`application/json`: one record or an array), " +
    "up to the platform's request size (EXPORT_UPLOAD_MAX_BYTES, 100 MB by default; a JSON document at most 8 MiB). Larger exports: `wrangler r2 object put` and `{\"r2_key\": …}`.",
  request: {
    body: {
      content: {
        "application/x-ndjson": { schema: z.string().openapi({ format: "binary" }) },
        "application/json": { schema: z.union([ExportRegistration, z.record(z.string(), z.unknown()), z.array(z.unknown())]) },
      },
      required: true,
    },
  },
  responses: {
    202: jsonContent(Export, "Stored; its threads are found and registered in the background"),
    400: errorResponse("An empty body or object (`empty_export`), a path-like `r2_key` (`invalid_r2_key`), a malformed registration (`invalid_request`), an object of unknown format (`unknown_export_format`)"),
    404: errorResponse("The `r2_key` names no object (`r2_object_not_found`)"),
    411: errorResponse("No Content-Length (`length_required`): an upload streams into R2, which needs its size"),
    413: errorResponse("Over EXPORT_UPLOAD_MAX_BYTES, or a JSON document over 8 MiB (`export_too_large`)"),
    415: errorResponse("Neither NDJSON nor JSON (`unsupported_content_type`)"),
    ...errors.bearer,
    ...errors.failure,
    ...errors.config,
  },
});

const getExport = createRoute({
  method: "get",
  path: "/v1/exports/{export_id}",
  operationId: "getExport",
  summary: "An export's ingestion: counts, the first rejections, status",
  request: { params: ExportIdParam },
  responses: {
    200: jsonContent(Export, "The export"),
    404: errorResponse("No such export (`export_not_found`)"),
    ...errors.badId,
    ...errors.bearer,
    ...errors.failure,
  },
});

const invalid = (code: string, message: string, param: string | null = null, status: 400 | 404 | 411 | 413 | 415 = 400) =>
  new ApiError(status, status === 404 ? "not_found_error" : "invalid_request_error", code, message, param);

/**
 * The upload is validated by hand, not by the route's schema: an export body is never parsed here,
 * it streams into R2 as it arrives. Every refusal comes before anything is stored.
 */
export const exportRoutes = createRouter().openapi(getExport, async (c) => {
  const { export_id } = c.req.valid("param");
  const row = await findExport(createDb(c.env.DB), export_id);
  if (!row) throw invalid("export_not_found", `ferry has no export ${export_id}`, "export_id", 404);
  return c.json(presentExport(row), 200);
});
exportRoutes.openAPIRegistry.registerPath(upload);
exportRoutes.post(upload.path, async (c) => {
  const format = MEDIA_TYPES[(c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase()];
  if (!format) throw invalid("unsupported_content_type", "an export is application/x-ndjson or application/json", null, 415);
  const length = c.req.header("content-length");
  if (length === undefined || !/^\d+$/.test(length)) throw invalid("length_required", "an upload needs a Content-Length: it streams into R2, which needs its size", null, 411);
  const bytes = Number(length);
  if (bytes === 0) throw invalid("empty_export", "the body is empty");
  checkSize(format, bytes, readConfig(c.env).exportUploadMaxBytes);
  if (format === "json" && bytes <= REGISTRATION_MAX_BYTES) {
    const text = await c.req.text();
    const registration = asRegistration(text);
    if (registration) return register(c, registration);
    return store(c, format, text, new TextEncoder().encode(text).length);
  }
  return store(c, format, c.req.raw.body!, bytes);
});

/** The upload limit (the platform's request size), and for a JSON document the size ferry parses whole. */
function checkSize(format: Format, bytes: number, uploadMax: number): void {
  if (bytes > uploadMax) {
    throw invalid("export_too_large", `uploads are limited to ${uploadMax} bytes (the platform's request size); put larger exports into the EXPORTS bucket with 'wrangler r2 object put' and register them with {"r2_key": …}`, null, 413);
  }
  if (format === "json" && bytes > MAX_LINE_BYTES) {
    throw invalid("export_too_large", `a JSON document is parsed whole, so it may hold at most ${MAX_LINE_BYTES} bytes; send NDJSON (one record a line) instead`, null, 413);
  }
}

/** A JSON object with an `r2_key` field asks to register an object; anything else is an export. */
function asRegistration(text: string): z.infer<typeof ExportRegistration> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null; // an export that is not JSON: ingestion records it as a rejected line
  }
  if (typeof value !== "object" || value === null || !("r2_key" in value)) return null;
  const parsed = ExportRegistration.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.code === "unrecognized_keys" ? (issue.keys[0] ?? null) : "r2_key";
    throw invalid("invalid_request", `${param}: ${issue?.message ?? "invalid"}`, param);
  }
  return parsed.data;
}

async function store(c: Context<AppEnv>, format: Format, body: ReadableStream | string, bytes: number) {
  const id = newExportId();
  const key = exportKeys.upload(id, format);
  await c.env.EXPORTS.put(key, body, { httpMetadata: { contentType: format === "ndjson" ? "application/x-ndjson" : "application/json" } });
  return accept(c, { id, uploadKey: key, format, bytes }, () => c.env.EXPORTS.delete(key));
}

/** An object already in the bucket (larger than one request): checked, then ingested in place. */
async function register(c: Context<AppEnv>, { r2_key: key }: z.infer<typeof ExportRegistration>) {
  if (!safeKey(key)) throw invalid("invalid_r2_key", "r2_key must be a plain object key: no leading '/', no '.' or '..' segments, no empty segments, backslashes or control characters", "r2_key");
  const object = await c.env.EXPORTS.head(key);
  if (!object) throw invalid("r2_object_not_found", `the EXPORTS bucket holds no object ${key}`, "r2_key", 404);
  if (object.size === 0) throw invalid("empty_export", `object ${key} is empty`, "r2_key");
  const format = formatOf(object, key);
  if (!format) throw invalid("unknown_export_format", `cannot tell whether ${key} is NDJSON or JSON: put it with --content-type application/x-ndjson (or application/json), or name it .ndjson/.jsonl/.json`, "r2_key");
  checkSize(format, object.size, Number.POSITIVE_INFINITY);
  return accept(c, { id: newExportId(), uploadKey: key, format, bytes: object.size });
}

/** Records the export and queues its ingestion; an upload whose record could not be made is removed again. */
async function accept(c: Context<AppEnv>, values: Pick<ExportRow, "id" | "uploadKey" | "format" | "bytes">, undo?: () => Promise<void>) {
  const db = createDb(c.env.DB);
  let row: ExportRow;
  try {
    row = await createExport(db, { ...values, linesKey: values.format === "ndjson" ? values.uploadKey : null }, Date.now());
  } catch (err) {
    await undo?.();
    throw err;
  }
  // A send lost here leaves the export `ingesting` without progress; the sweep sends it again.
  await migrationsQueue(c.env).send({ type: "ingest_export", export_id: row.id });
  return c.json(presentExport(row), 202);
}

function formatOf(object: R2Object, key: string): Format | undefined {
  const media = object.httpMetadata?.contentType?.split(";")[0]!.trim().toLowerCase();
  if (media && MEDIA_TYPES[media]) return MEDIA_TYPES[media];
  if (/\.(ndjson|jsonl)$/i.test(key)) return "ndjson";
  if (/\.json$/i.test(key)) return "json";
  return undefined;
}

/** A key that names an object, not a path to walk: nothing absolute, relative or hidden in control characters. */
function safeKey(key: string): boolean {
  if (key.startsWith("/") || key.includes("\\") || /[\u0000-\u001f\u007f]/.test(key)) return false;
  return key.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
