// What GET /v1/threads/export writes for a thread, from the thread as GET /v1/threads lists it:
// the export and the list tests (in workerd and end to end) hold the two to each other with it.
import type { ThreadMigration } from "../../src/handlers/http/schemas";

export const exportLine = (t: ThreadMigration) => ({
  thread_id: t.thread_id,
  conversation_id: t.conversation_id,
  status: t.status,
  messages_migrated: t.messages_migrated,
  tool_resources: t.tool_resources,
  warning_codes: [...new Set(t.warnings.map((w) => w.code))],
});
