import { createRoute, z } from "@hono/zod-openapi";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { readConfig } from "../../../config";
import { createDb } from "../../../db/client";
import type { ThreadRow } from "../../../db/schema";
import { findThread, markEnqueued, registerThreads } from "../../../db/threads";
import { ensureSchema } from "../../../db/migrate";
import { deliverySeen, rememberDelivery } from "../../../db/webhooks";
import { migrationsQueue } from "../../../queue/messages";
import { createRouter } from "../app-type";
import { ApiError } from "../errors";
import { errorResponse, errors, jsonContent, ThreadId } from "../schemas";

const ThreadAccessed = z
  .object({ type: z.literal("thread.accessed"), data: z.object({ thread_id: ThreadId }) })
  .openapi("ThreadAccessedEvent");

const signatureHeaders = z.object({
  "webhook-id": z.string().openapi({ description: "Unique per delivery; a repeated id is a no-op" }),
  "webhook-timestamp": z.string().openapi({ description: "Unix seconds; older than 5 minutes is refused" }),
  "webhook-signature": z.string().openapi({ description: "`v1,<base64>` HMAC-SHA256, several space-separated during secret rotation" }),
});

const threadAccessed = createRoute({
  method: "post" as const,
  path: "/webhooks/thread-accessed",
  operationId: "threadAccessed",
  summary: "An app touched a thread: register it and enqueue its migration (Standard Webhooks signed)",
  security: [],
  request: { headers: signatureHeaders, body: { content: { "application/json": { schema: ThreadAccessed } }, required: true } },
  responses: {
    202: jsonContent(
      z.object({ received: z.literal(true), duplicate: z.boolean() }).openapi("WebhookReceipt"),
      "Accepted; the migration runs in the background",
    ),
    // The raw body is read whatever its media type, so there is no 415.
    400: errorResponse("Signed, but not JSON (`invalid_request`) or not a thread.accessed event (`invalid_request`, `invalid_id`)"),
    401: errorResponse("Missing, bad or stale (> 5 minutes) signature, or no WEBHOOK_SECRET configured (`invalid_signature`)"),
    ...errors.tooLarge,
    ...errors.failure,
    ...errors.config,
  },
});

const accepted = (duplicate: boolean) => ({ received: true as const, duplicate });

/**
 * The signature is checked on the raw body before anything is parsed or stored, so the route is
 * documented from its schemas but validated by hand, after the signature. A delivery whose
 * `webhook-id` was handled before changes nothing. OpenAI is never called here.
 */
export const webhookRoutes = createRouter();
webhookRoutes.openAPIRegistry.registerPath(threadAccessed);
webhookRoutes.post(threadAccessed.path, async (c) => {
  const raw = await c.req.text();
  verify(raw, c.req.raw.headers, readConfig(c.env).webhookSecret);
  await ensureSchema(c.env.DB); // only a verified delivery may create the tables of an empty database
  const event = ThreadAccessed.safeParse(parseJson(raw));
  if (!event.success) {
    const issue = event.error.issues[0];
    const param = issue?.path.join(".") || null;
    const code = issue?.path.at(-1) === "thread_id" && issue.code === "invalid_format" ? "invalid_id" : "invalid_request";
    throw new ApiError(400, "invalid_request_error", code, `${param ?? "body"}: ${issue?.message ?? "invalid"}`, param);
  }

  const db = createDb(c.env.DB);
  const webhookId = c.req.header("webhook-id")!;
  if (await deliverySeen(db, webhookId)) return c.json(accepted(true), 202);
  const threadId = event.data.data.thread_id;
  const now = Date.now();
  await registerThreads(db, [threadId]);
  if (worthEnqueuing(await findThread(db, threadId), now)) {
    // An app touched the thread, so it is lazy work: paced in the lazy lane, and it runs while the backfill is paused.
    await migrationsQueue(c.env).send({ type: "migrate_thread", thread_id: threadId, lazy: true });
    await markEnqueued(db, [threadId], now);
  }
  // Remembered last: a delivery that failed half-way is retried by the sender and redone.
  await rememberDelivery(db, webhookId, now);
  return c.json(accepted(false), 202);
});

/**
 * Migrated threads need nothing, and a thread whose source answered 404/410 waits for its daily
 * retry however often the app touches it: no retry storm against a source that is gone.
 */
function worthEnqueuing(row: ThreadRow | undefined, now: number): boolean {
  if (row?.status === "migrated") return false;
  return !(row?.status === "source_unavailable" && (row.nextAttemptAt ?? 0) > now);
}

function verify(raw: string, headers: Headers, secret: string): void {
  const given = {
    "webhook-id": headers.get("webhook-id") ?? "",
    "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
    "webhook-signature": headers.get("webhook-signature") ?? "",
  };
  try {
    if (!secret) throw new WebhookVerificationError("no WEBHOOK_SECRET is configured");
    new Webhook(secret).verify(raw, given, { jsonParse: false });
  } catch (err) {
    const reason = err instanceof WebhookVerificationError ? err.message : "malformed signature headers";
    throw new ApiError(401, "authentication_error", "invalid_signature", `webhook signature rejected: ${reason}`);
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, "invalid_request_error", "invalid_request", "the body is not valid JSON");
  }
}
