import { z } from "@hono/zod-openapi";
import { ASSISTANT_ID, EXPORT_ID, THREAD_ID } from "../../ids";
import { AUTH_MODES } from "../../config";
import { ASSISTANT_STATUSES, BACKFILL_TRIGGERS, DISCOVERY_STATUSES, EXPORT_STATUSES, FILES_STATUSES, THREAD_SOURCES, THREAD_STATUSES } from "../../db/schema";
import { ERROR_TYPES } from "./errors";

/** Marks a validation issue as a malformed id, answered as 400 invalid_id (contract §2). */
export const INVALID_ID = "invalid_id";

export const ThreadId = z
  .string()
  .regex(THREAD_ID, INVALID_ID)
  .openapi({ example: "thread_abc123", description: "An Assistants thread id: `^thread_[A-Za-z0-9_-]{1,64}$`" });

export const ThreadIdParam = z.object({
  thread_id: ThreadId.openapi({ param: { name: "thread_id", in: "path" } }),
});

export const AssistantIdParam = z.object({
  assistant_id: z
    .string()
    .regex(ASSISTANT_ID, INVALID_ID)
    .openapi({ param: { name: "assistant_id", in: "path" }, example: "asst_abc123", description: "`^asst_[A-Za-z0-9_-]{1,64}$`" }),
});

export const ThreadIdList = (max: number) =>
  z.object({ thread_ids: z.array(ThreadId).min(1).max(max) }).strict();

const Timestamp = z.string().nullable().openapi({ example: "2026-11-21T10:00:00.000Z" });

export const ApiErrorSchema = z
  .object({
    error: z.object({
      type: z.enum(ERROR_TYPES),
      code: z.string().openapi({ description: "Stable and machine-readable; each response names the codes it carries" }),
      message: z.string(),
      param: z.string().nullable().openapi({ description: "The offending parameter or body field, when there is one" }),
    }),
  })
  .openapi("Error");

/** An error ferry recorded on an object: what answered and what it said. */
const StoredError = z.object({ code: z.string(), message: z.string() });

export const Warning = z
  .object({ code: z.string(), message_id: z.string().optional(), detail: z.string() })
  .openapi("MigrationWarning");

export const ToolResources = z
  .object({
    file_search: z.object({ vector_store_ids: z.array(z.string()) }).optional(),
    code_interpreter: z.object({ file_ids: z.array(z.string()) }).optional(),
  })
  .nullable()
  .openapi("ToolResources", { description: "Pass these to responses.create tools for this conversation." });

export const ThreadMigration = z
  .object({
    object: z.literal("thread_migration"),
    thread_id: z.string(),
    conversation_id: z.string().nullable(),
    status: z.enum([...THREAD_STATUSES, "unknown"]),
    source: z.enum(THREAD_SOURCES).nullable().openapi({ description: "Where the thread is read from: a live API or an uploaded export (null while unknown)" }),
    messages_migrated: z.number().int(),
    tool_resources: ToolResources,
    warnings: z.array(Warning),
    metadata_overflow: z.record(z.string(), z.string()).nullable().openapi({ description: "Thread metadata the conversation could not hold." }),
    files_status: z
      .enum(FILES_STATUSES)
      .nullable()
      .openapi({ description: "null until the thread's stores and files were checked; then `tool_resources` names only live ones" }),
    error: StoredError.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    migrated_at: Timestamp,
  })
  .openapi("ThreadMigration");
export type ThreadMigration = z.infer<typeof ThreadMigration>;

/** Warning codes as ferry writes them (snake_case), the list's `warning` filter. */
const WarningCode = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, "a warning code in snake_case, e.g. assistant_image_replaced");

const queryParam = (name: string) => ({ param: { name, in: "query" as const } });

export const ThreadListQuery = z
  .object({
    status: z.enum(THREAD_STATUSES).optional().openapi(queryParam("status")),
    warning: WarningCode.optional().openapi({ ...queryParam("warning"), description: "Only threads whose warnings include this code" }),
    after: ThreadId.optional().openapi({ ...queryParam("after"), description: "The `last_id` of the previous page" }),
    limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ ...queryParam("limit"), description: "1 to 1000, default 100" }),
  })
  .strict();

export const ThreadList = z
  .object({
    object: z.literal("list"),
    data: z.array(ThreadMigration),
    first_id: z.string().nullable(),
    last_id: z.string().nullable().openapi({ description: "Pass as `after` for the next page" }),
    has_more: z.boolean(),
  })
  .openapi("ThreadMigrationList");

export const ExportQuery = z
  .object({
    format: z.enum(["csv", "ndjson"]).default("ndjson").openapi(queryParam("format")),
    status: z.enum(THREAD_STATUSES).optional().openapi(queryParam("status")),
    after: ThreadId.optional().openapi({ ...queryParam("after"), description: "Resume after this thread id (an export that was cut off)" }),
  })
  .strict();

const IssueCode = z.object({
  code: z.string(),
  threads: z.number().int().openapi({ description: "Threads that carry it now" }),
  examples: z.array(z.string()).openapi({ description: "Up to 10 of them, by thread id" }),
});

export const MigrationReport = z
  .object({ object: z.literal("migration_report"), warnings: z.array(IssueCode), errors: z.array(IssueCode) })
  .openapi("MigrationReport", { description: "Warnings and errors by code, most frequent first" });

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const MAX_BODY_BYTES = 1024 * 1024;

export const errorResponse = (description: string) => jsonContent(ApiErrorSchema, description);

/** Error answers several routes share; a route lists only those it can really give. */
export const errors = {
  badId: { 400: errorResponse("Malformed id (`invalid_id`)") },
  badQuery: { 400: errorResponse("A query parameter the schema refuses (`invalid_request`, `invalid_id` for `after`); `param` names it") },
  badJsonBody: {
    400: errorResponse("Malformed JSON (`invalid_request`), or a body the schema refuses (`invalid_request`, `invalid_id`); `param` names the field"),
    415: errorResponse("A body sent as anything but `application/json` (`invalid_request`)"),
  },
  tooLarge: { 413: errorResponse(`A body over ${MAX_BODY_BYTES} bytes (\`body_too_large\`)`) },
  bearer: { 401: errorResponse("Missing or wrong `Authorization: Bearer` token (`invalid_api_token`)") },
  failure: { 500: errorResponse("ferry failed to handle the request, e.g. its database did (`internal_error`); nothing about the cause is shown") },
  config: { 503: errorResponse("A setting is refused (`config_invalid`); `param` names the variable(s) to fix") },
  /** A dry run reads the source and the target within the request, so their failures reach the caller. */
  preview: {
    404: errorResponse("Dry run: the source no longer has the thread (`source_unavailable`)"),
    429: {
      ...errorResponse("Dry run: rate limited by the source or the target (`rate_limited`); ask again after `Retry-After` seconds"),
      headers: z.object({ "Retry-After": z.number().int().min(0).openapi({ description: "Seconds to wait" }) }),
    },
    502: errorResponse("Dry run: the source or the target failed (`openai_unavailable`)"),
  },
};

const FileCounts = z.object({ in_progress: z.number().int(), completed: z.number().int(), failed: z.number().int(), total: z.number().int() });

export const AssistantMigration = z
  .object({
    object: z.literal("assistant_migration"),
    assistant_id: z.string(),
    status: z.enum(ASSISTANT_STATUSES),
    vector_store_id: z.string().nullable(),
    code_interpreter_file_ids: z.array(z.string()),
    file_counts: FileCounts,
    failures: z.array(z.object({ file_id: z.string(), code: z.string(), message: z.string() })),
    prompt_spec: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: "model, instructions, tools, temperature, top_p and text.format, ready to spread into responses.create" }),
    sources: z.record(z.string(), z.string()).nullable().openapi({ description: "What each source of the assistant's files answered" }),
    warnings: z.array(Warning),
    error: StoredError.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    synced_at: Timestamp,
  })
  .openapi("AssistantMigration");
export type AssistantMigration = z.infer<typeof AssistantMigration>;

export const MigrateQuery = z.object({
  dry_run: z
    .enum(["true", "false"])
    .optional()
    .openapi({ param: { name: "dry_run", in: "query" }, description: "`true`: preview the migration (contract §7.3) and write nothing anywhere" }),
});

export const MigrationPreview = z
  .object({
    object: z.literal("migration_preview"),
    thread_id: z.string(),
    items: z.array(z.record(z.string(), z.unknown())).openapi({ description: "The first 100 conversation items a migration would write, in order" }),
    item_count: z.number().int(),
    writes: z.number().int().openapi({ description: "Conversation writes a migration would make" }),
    calls: z.number().int().openapi({ description: "API calls a migration would make: this preview's reads plus the writes" }),
    warnings: z.array(Warning),
    complete: z.boolean().openapi({ description: "false when the preview stopped early (its budget ran out, or a message is still in progress): the counts are lower bounds" }),
  })
  .openapi("MigrationPreview");
export type MigrationPreview = z.infer<typeof MigrationPreview>;

export const ImportResult = z
  .object({ registered: z.number().int(), already_known: z.number().int() })
  .openapi("ImportResult", { description: "How many ids were new and how many ferry knew" });

export const BackfillRun = z
  .object({
    object: z.literal("backfill_run"),
    id: z.string(),
    trigger: z.enum(BACKFILL_TRIGGERS),
    started_at: z.string(),
    enqueued: z.number().int(),
    fan_out_done_at: z.string().nullable(),
    drained_at: z.string().nullable(),
    error: StoredError.nullable().openapi({ description: "Why its fan-out or a listing of the source failed (the next run starts over)" }),
  })
  .openapi("BackfillRun");
export type BackfillRun = z.infer<typeof BackfillRun>;

const Count = z.number().int();

const BackfillPause = z.object({
  paused: z.boolean().openapi({ description: "The backfill's OpenAI traffic is paused (contract §7.2); lazy migrations, webhooks and lookups go on" }),
  paused_since: Timestamp.openapi({ description: "When it was paused; null while it runs" }),
});

export const BackfillState = z.object({ object: z.literal("backfill_state"), ...BackfillPause.shape }).openapi("BackfillState");

const PacerState = z
  .object({
    max_rpm: Count,
    current_rpm: Count.openapi({ description: "The rate permits go out at now: halved by a 429, then climbing back to max_rpm" }),
    paused_for_seconds: z.number().openapi({ description: "How long a 429's Retry-After still holds every permit back" }),
    last_minute: z.object({ lazy: Count, backfill: Count }).openapi({ description: "Permits granted in the last minute, by lane" }),
  })
  .nullable()
  .openapi("PacerState", { description: "null: the side is unpaced (its *_MAX_RPM is unset)" });

export const MigrationStatus = z
  .object({
    object: z.literal("migration_status"),
    shutdown_at: z.string(),
    seconds_until_shutdown: z.number().int().openapi({ description: "Negative once the shutdown has passed" }),
    threads: z.object({ total: Count, pending: Count, migrating: Count, migrated: Count, failed: Count, source_unavailable: Count }),
    remaining: Count.openapi({ description: "Threads that can still migrate: pending, migrating and failed" }),
    throughput: z.object({
      last_24h: z.object({
        threads_migrated: Count,
        threads_per_hour: z.number(),
        by_hour: z
          .array(z.object({ hour: z.string().openapi({ description: "The hour's start" }), threads_migrated: Count }))
          .openapi({ description: "Threads migrated in each hour of the window, oldest first; the last is the hour under way" }),
      }),
      last_run: z.object({ threads_migrated: Count, threads_per_hour: z.number() }).nullable(),
    }),
    projected_finish_at: z.string().nullable(),
    on_track: z.boolean().openapi({ description: "Whether the projected finish comes before the shutdown" }),
    assistants: z.object({ total: Count, pending: Count, ingesting: Count, synced: Count, failed: Count, source_unavailable: Count }),
    files: z.object({ total: Count, in_progress: Count, completed: Count, failed: Count }).openapi({ description: "Files ferry keeps in assistants' and threads' vector stores" }),
    last_backfill: BackfillRun.nullable(),
    source: z
      .object({
        base_url: z.string(),
        auth: z.enum(AUTH_MODES),
        api_version: z.string().nullable(),
        thread_discovery: z
          .object({
            status: z.enum(DISCOVERY_STATUSES),
            listed: Count.openapi({ description: "Threads its listings have listed (and registered), each once" }),
            error: StoredError.nullable().openapi({ description: "Why the source refused to list (status `refused`: it is not asked again)" }),
            updated_at: z.string(),
          })
          .nullable()
          .openapi({ description: "The backfill's listing of the source's threads; null until one ran" }),
      })
      .openapi({ description: "Where threads are read from; its shutdown is `shutdown_at`" }),
    last_failure: z
      .object({ thread_id: z.string(), status: z.enum(THREAD_STATUSES), error: StoredError.nullable(), at: z.string() })
      .nullable()
      .openapi({ description: "The newest failed or source_unavailable thread and why: a setting the source refuses shows here first" }),
    ...BackfillPause.shape,
    dead_lettered: Count,
    malformed_messages: Count,
    pacing: z.object({ source: PacerState, target: PacerState }).openapi({ description: "Each side's pacer (contract §7.1)" }),
  })
  .openapi("MigrationStatus");

export const ExportIdParam = z.object({
  export_id: z
    .string()
    .regex(EXPORT_ID, INVALID_ID)
    .openapi({ param: { name: "export_id", in: "path" }, example: "exp_3fG7k2", description: "`^exp_[A-Za-z0-9]{1,64}$`" }),
});

export const ExportRegistration = z
  .object({ r2_key: z.string().min(1).max(1024).openapi({ description: "An object already in the EXPORTS bucket (`wrangler r2 object put`), for exports larger than one request" }) })
  .strict()
  .openapi("ExportRegistration");

export const Export = z
  .object({
    object: z.literal("export"),
    id: z.string(),
    status: z.enum(EXPORT_STATUSES),
    threads_found: Count,
    threads_registered: Count.openapi({ description: "Threads new to ferry, registered `pending` with source `export` and queued for migration" }),
    already_known: Count.openapi({ description: "Threads ferry knew before; each keeps its state" }),
    lines_rejected: Count,
    rejections: z.array(z.object({ line: Count, reason: z.string() })).openapi({ description: "The first 100 rejected lines (for a JSON document: elements), with the reason" }),
    bytes: Count.openapi({ description: "Size of the NDJSON being ingested" }),
    bytes_ingested: Count.openapi({ description: "Bytes ingested so far (the checkpoint)" }),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    created_at: z.string(),
    ingested_at: Timestamp,
  })
  .openapi("Export");
export type Export = z.infer<typeof Export>;
export type MigrationStatus = z.infer<typeof MigrationStatus>;
