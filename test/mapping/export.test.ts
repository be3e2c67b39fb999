// GET /v1/threads/export: the whole mapping, streamed from D1 a page at a time, in both formats,
// line for line what the list says — on 100,000 threads.
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { EXPORT_PAGE } from "../../src/handlers/http/routes/mapping";
import type { ThreadMigration } from "../../src/handlers/http/schemas";
import { exportLine } from "../support/export-line";
import { recordingD1 } from "../support/d1";
import { api } from "../support/ferry";
import { seedMany } from "../support/many";

const N = 100_000;
let listed: ThreadMigration[] = [];

beforeAll(async () => {
  await seedMany("thread_exp", N);
  for (let after: string | null = null; ; ) {
    const page = (await (await api(`/v1/threads?limit=1000${after ? `&after=${after}` : ""}`)).json()) as { data: ThreadMigration[]; has_more: boolean; last_id: string };
    listed.push(...page.data);
    if (!page.has_more) break;
    after = page.last_id;
  }
  expect(listed).toHaveLength(N);
}, 120_000);

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") record.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") record.push(field), records.push(record), (record = []), (field = ""), i++;
    else field += ch;
  }
  return records;
}

it("ndjson: one line per thread, in id order, each the list's thread", async () => {
  const res = await api("/v1/threads/export?format=ndjson");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/x-ndjson");
  expect(res.headers.get("content-disposition")).toBe('attachment; filename="ferry-threads.ndjson"');
  const lines = (await res.text()).split("\n");
  expect(lines.pop()).toBe("");
  expect(lines.map((l) => JSON.parse(l))).toEqual(listed.map(exportLine));
}, 120_000);

it("csv: a header, then one record per thread; tool_resources as JSON, warning codes ';'-separated", async () => {
  const res = await api("/v1/threads/export?format=csv");
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const [header, ...records] = parseCsv(await res.text());
  expect(header).toEqual(["thread_id", "conversation_id", "status", "messages_migrated", "tool_resources", "warning_codes"]);
  const asCsv = (t: ReturnType<typeof exportLine>) => [
    t.thread_id,
    t.conversation_id ?? "",
    t.status,
    String(t.messages_migrated),
    t.tool_resources ? JSON.stringify(t.tool_resources) : "",
    t.warning_codes.join(";"),
  ];
  expect(records).toEqual(listed.map(exportLine).map(asCsv));
}, 120_000);

it("by status, and from a cursor", async () => {
  const failed = (await (await api("/v1/threads/export?status=failed")).text()).trim().split("\n").map((l) => JSON.parse(l).thread_id);
  expect(failed).toEqual(listed.filter((t) => t.status === "failed").map((t) => t.thread_id));
  const rest = (await (await api(`/v1/threads/export?after=${listed[N - 3]!.thread_id}`)).text()).trim().split("\n");
  expect(rest.map((l) => JSON.parse(l).thread_id)).toEqual(listed.slice(N - 2).map((t) => t.thread_id));
});

it("streams: D1 is read a page at a time as the body is read, not all before the answer", async () => {
  const { db, statements } = recordingD1();
  const res = await api("/v1/threads/export?format=ndjson", { env: { DB: db } });
  const reader = res.body!.getReader();
  const first = await reader.read();
  expect(first.done).toBe(false);
  // While the client reads nothing more, the export reads no further page: give it ten D1 round
  // trips of its own to run ahead in, had it no backpressure.
  for (let i = 0; i < 10; i++) await env.DB.prepare("select 1").all();
  expect(statements.filter((s) => /from "threads"/.test(s.sql)).length).toBeLessThanOrEqual(2);
  let lines = new TextDecoder().decode(first.value).split("\n").length - 1;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) lines += new TextDecoder().decode(chunk.value).split("\n").length - 1;
  expect(lines).toBe(N);
  const pages = statements.filter((s) => /from "threads"/.test(s.sql));
  expect(pages.length).toBe(Math.floor(N / EXPORT_PAGE) + 1); // its pages, and the empty one that ends it
}, 120_000);
