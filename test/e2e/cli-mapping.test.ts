// `ferry export` against GET /v1/threads (the same mapping, page by page), and `ferry pause` /
// `ferry resume` as GET /v1/status then shows them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { beforeAll, expect, it } from "vitest";
import type { z } from "@hono/zod-openapi";
import type { ExportSummary } from "../../cli/mapping";
import type { BackfillState, MigrationStatus, ThreadList, ThreadMigration } from "../../src/handlers/http/schemas";
import { exportLine } from "../support/export-line";
import { ferry, finished, scratchDir, spawnCli } from "./support/cli";
import { ferryFetch, seedMigratedThreads, uniqueThreadId } from "./support/seed";

/** Every page of GET /v1/threads, in order. */
async function listAll(status?: string): Promise<ThreadMigration[]> {
  const all: ThreadMigration[] = [];
  for (let after: string | null = null; ; ) {
    const query = new URLSearchParams({ limit: "1000", ...(status ? { status } : {}), ...(after ? { after } : {}) });
    const page = (await (await ferryFetch(`/v1/threads?${query}`)).json()) as z.infer<typeof ThreadList>;
    all.push(...page.data);
    if (!page.has_more) return all;
    after = page.last_id;
  }
}

beforeAll(async () => {
  await seedMigratedThreads(3, { generate: 2 }, "export");
  const pending = Array.from({ length: 5 }, () => uniqueThreadId("export_pending"));
  expect((await ferryFetch("/v1/threads/import", { method: "POST", json: { thread_ids: pending } })).status).toBe(200);
});

it("exports, as NDJSON on stdout, the mapping GET /v1/threads pages through", async () => {
  const run = await ferry(["export"]);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown);
  const listed = (await listAll()).map(exportLine);
  expect(lines).toEqual(listed);
  // An export cut off carries on after the last thread it delivered.
  const rest = await ferry(["export", "--after", listed[2]!.thread_id]);
  expect(rest.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual(listed.slice(3));
});

it("exports one status as CSV into a file and reports what it wrote", async () => {
  const file = path.join(scratchDir(), "migrated.csv");
  const run = await ferry(["export", "--format", "csv", "--status", "migrated", "-o", file, "--json"]);
  expect(run.code, run.stderr).toBe(0);
  const rows = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
  const listed = await listAll("migrated");
  expect(listed.length).toBeGreaterThanOrEqual(3);
  expect(rows.map((r) => [r.thread_id, r.conversation_id, r.status, Number(r.messages_migrated)])).toEqual(listed.map((t) => [t.thread_id, t.conversation_id, t.status, t.messages_migrated]));
  expect(JSON.parse(run.stdout) as ExportSummary).toMatchObject({ file, lines: listed.length + 1 }); // and the header
});

it("stops quietly, exit 0, when the reader of its output stops early (`ferry export | head`)", async () => {
  // Megabytes of mapping, far more than a pipe holds, so the CLI is still writing when the reader goes.
  for (let i = 0; i < 20; i++) {
    const ids = Array.from({ length: 1000 }, () => uniqueThreadId("export_piped"));
    expect((await ferryFetch("/v1/threads/import", { method: "POST", json: { thread_ids: ids } })).status).toBe(200);
  }
  const child = spawnCli(["export"]);
  const run = finished(child);
  child.stdout!.once("data", () => child.stdout!.destroy());
  const { code, stderr } = await run;
  expect([code, stderr]).toEqual([0, ""]);
});

it("pauses and resumes the backfill, as the status then shows", async () => {
  const paused = await ferry(["pause", "--json"]);
  expect(paused.code, paused.stderr).toBe(0);
  expect((JSON.parse(paused.stdout) as z.infer<typeof BackfillState>).paused).toBe(true);
  const status = JSON.parse((await ferry(["status", "--json"])).stdout) as MigrationStatus;
  expect([status.paused, status.paused_since]).toEqual([true, expect.any(String)]);
  expect((await ferry(["status"])).stdout).toContain("PAUSED since");

  const resumed = await ferry(["resume"]);
  expect([resumed.code, resumed.stdout.trim()]).toEqual([0, "backfill running"]);
  expect((JSON.parse((await ferry(["status", "--json"])).stdout) as MigrationStatus).paused).toBe(false);
});
