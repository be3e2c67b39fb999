import { z } from "@hono/zod-openapi";
import { ASSISTANT_ID, THREAD_ID } from "../../ids";
import { AUTH_MODES } from "../../config";
import { ASSISTANT_STATUSES, BACKFILL_TRIGGERS, DISCOVERY_STATUSES, FILES_STATUSES, THREAD_STATUSES } from "../../db/schema";

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
      type: z.string(),
      code: z.string(),
      message: z.string(),
      param: z.string().nullable(),
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

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const errorResponses = {
  400: jsonContent(ApiErrorSchema, "Malformed request or id"),
  401: jsonContent(ApiErrorSchema, "Missing or wrong bearer token"),
  413: jsonContent(ApiErrorSchema, "Body over 1 MB"),
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
export const MigrationStatus = z
  .object({
    object: z.literal("migration_status"),
    shutdown_at: z.string(),
    seconds_until_shutdown: z.number().int().openapi({ description: "Negative once the shutdown has passed" }),
    threads: z.object({ total: Count, pending: Count, migrating: Count, migrated: Count, failed: Count, source_unavailable: Count }),
    remaining: Count.openapi({ description: "Threads that can still migrate: pending, migrating and failed" }),
    throughput: z.object({
      last_24h: z.object({ threads_migrated: Count, threads_per_hour: z.number() }),
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
    dead_lettered: Count,
    malformed_messages: Count,
  })
  .openapi("MigrationStatus");
export type MigrationStatus = z.infer<typeof MigrationStatus>;
