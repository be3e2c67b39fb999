import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { AttachedFiles, SourceToolResources } from "../conversion/tool-resources";
import type { MigrationWarning } from "../conversion/types";

export const THREAD_STATUSES = ["pending", "migrating", "migrated", "failed", "source_unavailable"] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

export interface StoredError {
  code: string;
  message: string;
}

/** Times are epoch milliseconds; the API formats them. */
const now = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** One row per thread ferry knows: the thread → conversation mapping, and the migration's checkpoint. */
export const threads = sqliteTable(
  "threads",
  {
    threadId: text("thread_id").primaryKey(),
    status: text("status", { enum: THREAD_STATUSES }).notNull().default("pending"),
    conversationId: text("conversation_id"),
    messagesMigrated: integer("messages_migrated").notNull().default(0),
    // Checkpoint: the last source message consumed and the last conversation item written.
    cursor: text("cursor"),
    lastItemId: text("last_item_id"),
    // A write may have landed without being checkpointed: the next holder reconciles first.
    needsReconcile: integer("needs_reconcile", { mode: "boolean" }).notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    warnings: text("warnings", { mode: "json" }).$type<MigrationWarning[]>().notNull().default(sql`'[]'`),
    error: text("error", { mode: "json" }).$type<StoredError>(),
    toolResources: text("tool_resources", { mode: "json" }).$type<SourceToolResources>(),
    attachedFiles: text("attached_files", { mode: "json" }).$type<AttachedFiles>(),
    metadataOverflow: text("metadata_overflow", { mode: "json" }).$type<Record<string, string>>(),
    // When a queue message for it was last sent, and by which backfill run (for the run's drain check).
    enqueuedAt: integer("enqueued_at"),
    queuedRunId: text("queued_run_id"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    migratedAt: integer("migrated_at"),
  },
  (t) => [
    index("threads_status_next_attempt").on(t.status, t.nextAttemptAt),
    index("threads_queued_run").on(t.queuedRunId, t.status),
    index("threads_migrated_at").on(t.migratedAt),
  ],
);

export type ThreadRow = typeof threads.$inferSelect;

export const BACKFILL_TRIGGERS = ["cron", "manual"] as const;

/** One nightly (or operator-started) backfill: when it began, what it enqueued, when the queue drained. */
export const backfillRuns = sqliteTable("backfill_runs", {
  id: text("id").primaryKey(),
  trigger: text("trigger", { enum: BACKFILL_TRIGGERS }).notNull(),
  startedAt: integer("started_at").notNull(),
  enqueued: integer("enqueued").notNull().default(0),
  /** Every candidate has been enqueued; the run can drain from then on. */
  fanOutDoneAt: integer("fan_out_done_at"),
  drainedAt: integer("drained_at"),
});
export type BackfillRun = typeof backfillRuns.$inferSelect;

/** Webhook deliveries already handled, by `webhook-id`, kept at least 24 h so a redelivery is a no-op. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    webhookId: text("webhook_id").primaryKey(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [index("webhook_deliveries_received_at").on(t.receivedAt)],
);

/** Operational counters shown by /v1/status. */
export const COUNTERS = ["dead_lettered", "malformed_messages"] as const;
export type CounterName = (typeof COUNTERS)[number];
export const counters = sqliteTable("counters", {
  name: text("name", { enum: COUNTERS }).primaryKey(),
  value: integer("value").notNull().default(0),
});
