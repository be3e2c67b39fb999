// `ferry lookup <ids…>` and `ferry preview <thread_id>`: what ferry knows of threads, and what a
// migration of one would write (the dry run, which writes nothing anywhere).
import type { MigrationPreview, ThreadMigration } from "../src/handlers/http/schemas";
import { LOOKUP_MAX_IDS, THREAD_ID } from "../src/ids";
import { call, CliError, EXIT, type Connection } from "./client";
import { count } from "./output";

export function checkIds(ids: string[]): void {
  const bad = ids.filter((id) => !THREAD_ID.test(id));
  if (bad.length) throw new CliError(`not thread ids (thread_ followed by 1 to 64 letters, digits, _ or -): ${bad.join(", ")}`, EXIT.usage);
}

/** Lookups of 100 ids a call, in the order given; unknown ids come back with status `unknown`. */
export async function lookup(conn: Connection, ids: string[]): Promise<ThreadMigration[]> {
  checkIds(ids);
  const found: ThreadMigration[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_MAX_IDS) {
    const page = await call<{ data: ThreadMigration[] }>(conn, "POST", "/v1/threads/lookup", { json: { thread_ids: ids.slice(i, i + LOOKUP_MAX_IDS) } });
    found.push(...page.data);
  }
  return found;
}

export function renderThreads(threads: ThreadMigration[]): string {
  return threads
    .map((t) => {
      const extra = [
        t.conversation_id && `→ ${t.conversation_id}`,
        t.status === "migrated" && `${count(t.messages_migrated)} messages`,
        t.warnings.length > 0 && `${t.warnings.length} warnings (${[...new Set(t.warnings.map((w) => w.code))].join(", ")})`,
        t.error && `error ${t.error.code}: ${t.error.message}`,
      ].filter(Boolean);
      return `${t.thread_id}  ${t.status}${extra.length ? `  ${extra.join("  ")}` : ""}`;
    })
    .join("\n");
}

export async function preview(conn: Connection, threadId: string): Promise<MigrationPreview> {
  checkIds([threadId]);
  return call<MigrationPreview>(conn, "POST", `/v1/threads/${threadId}/migrate`, { query: { dry_run: "true" } });
}

export function renderPreview(p: MigrationPreview): string {
  const out = [
    `${p.thread_id}: a migration would write ${count(p.item_count)} items in ${count(p.writes)} writes, ${count(p.calls)} API calls in all${p.complete ? "" : " (at least: the preview stopped early)"}`,
    "nothing was written (dry run)",
  ];
  if (p.warnings.length) out.push(`${p.warnings.length} warnings:`, ...p.warnings.map((w) => `  ${w.code}${w.message_id ? ` (${w.message_id})` : ""}: ${w.detail}`));
  return out.join("\n");
}
