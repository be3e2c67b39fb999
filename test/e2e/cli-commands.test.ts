// The other `ferry` commands end to end, and what every command shares: exit codes 0, 1 and 2,
// messages that say what to do, and --json a script can parse.
import { writeFileSync } from "node:fs";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, expect, it } from "vitest";
import { freePort } from "../../scripts/local-ferry";
import type { Export, MigrationPreview, MigrationStatus, ThreadMigration } from "../../src/handlers/http/schemas";
import { exportRecord, generated, ndjson } from "../support/export-fixtures";
import { fake } from "../support/fake";
import { ferry, finished, scratchDir, spawnCli } from "./support/cli";
import { ferryFetch, seedMigratedThreads, uniqueThreadId } from "./support/seed";

let migrated: ThreadMigration;
beforeAll(async () => {
  migrated = (await seedMigratedThreads(1, { generate: 4 }, "cli"))[0]!;
});

it("runs as `npx ferry` from the package", async () => {
  const { stdout } = await promisify(execFile)("npx", ["ferry", "--help"], { cwd: path.resolve(import.meta.dirname, "../..") });
  expect(stdout).toContain("Usage: ferry");
  expect(stdout).toContain("Exit codes: 0");
});

it("prints the status for people and as JSON, exit 0", async () => {
  const human = await ferry(["status"]);
  expect(human.code, human.stderr).toBe(0);
  expect(human.stdout).toMatch(/^threads +[\d,]+ \/ [\d,]+ migrated/);
  const json = await ferry(["status", "--json"]);
  expect(json.code).toBe(0);
  const status = JSON.parse(json.stdout) as MigrationStatus;
  expect(status.object).toBe("migration_status");
  expect(status.threads.migrated).toBeGreaterThanOrEqual(1);
});

it("watches the status, a JSON line a poll, until Ctrl-C", async () => {
  // A thread left to migrate keeps the watch going (it stops by itself once none remains).
  expect((await ferryFetch("/v1/threads/import", { method: "POST", json: { thread_ids: [uniqueThreadId("watched")] } })).status).toBe(200);
  const child = spawnCli(["status", "--watch", "--interval", "1", "--json"]);
  const run = finished(child);
  let lines = "";
  const twoPolls = new Promise<void>((resolve) => child.stdout!.on("data", (d) => (lines += d).split("\n").length > 2 && resolve()));
  await Promise.race([twoPolls, run]);
  child.kill("SIGINT");
  expect((await run).code).toBe(0);
  const polls = lines.trim().split("\n").map((l) => JSON.parse(l) as MigrationStatus);
  expect(polls.slice(0, 2).map((p) => [p.object, p.remaining > 0])).toEqual([
    ["migration_status", true],
    ["migration_status", true],
  ]);
});

it("looks threads up, known and unknown", async () => {
  const unseen = uniqueThreadId("unseen");
  const json = await ferry(["lookup", migrated.thread_id, unseen, "--json"]);
  expect(json.code).toBe(0);
  const found = JSON.parse(json.stdout) as ThreadMigration[];
  expect(found.map((t) => [t.thread_id, t.status, t.conversation_id])).toEqual([
    [migrated.thread_id, "migrated", migrated.conversation_id],
    [unseen, "unknown", null],
  ]);
  const human = await ferry(["lookup", migrated.thread_id]);
  expect(human.stdout).toContain(`${migrated.thread_id}  migrated  → ${migrated.conversation_id}  4 messages`);
});

it("previews a migration and writes nothing", async () => {
  const id = await fake.createThread({ id: uniqueThreadId("preview"), generate: 3 });
  const json = await ferry(["preview", id, "--json"]);
  expect(json.code, json.stderr).toBe(0);
  expect((JSON.parse(json.stdout) as MigrationPreview).item_count).toBe(3);
  const human = await ferry(["preview", id]);
  expect(human.stdout).toContain("a migration would write 3 items");
  const [after] = JSON.parse((await ferry(["lookup", id, "--json"])).stdout) as ThreadMigration[];
  expect(after!.status).toBe("unknown");
});

it("uploads an export, streamed, and follows its ingestion", async () => {
  const threads = [uniqueThreadId("upload"), uniqueThreadId("upload")];
  const file = path.join(scratchDir(), "export.ndjson");
  writeFileSync(file, ndjson([...threads.map((t) => exportRecord(t, generated(t, 2))), "{not json"]));
  const run = await ferry(["upload", file, "--wait", "--json"]);
  expect(run.code, run.stderr).toBe(1); // the rejected line is a failure reported
  const exp = JSON.parse(run.stdout) as Export;
  expect([exp.status, exp.threads_registered, exp.lines_rejected, exp.rejections[0]?.line]).toEqual(["ingested", 2, 1, 3]);
  const found = JSON.parse((await ferry(["lookup", ...threads, "--json"])).stdout) as ThreadMigration[];
  expect(found.map((t) => t.source)).toEqual(["export", "export"]);
});

it("exits 2 on usage errors, saying what is wrong", async () => {
  const unknown = await ferry(["frobnicate"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  const badId = await ferry(["lookup", "thread_ok", "not-a-thread"]);
  expect(badId.code).toBe(2);
  expect(badId.stderr).toContain("not thread ids (thread_ followed by 1 to 64 letters, digits, _ or -): not-a-thread");
  const noToken = await ferry(["status"], { env: { FERRY_TOKEN: undefined } });
  expect(noToken.code).toBe(2);
  expect(noToken.stderr).toContain("set FERRY_TOKEN (or --token)");
  const badFormat = await ferry(["import", path.join(scratchDir(), "ids.xlsx")]);
  expect(badFormat.code).toBe(2);
});

it("names FERRY_TOKEN when ferry refuses the token, exit 1", async () => {
  const run = await ferry(["status", "--token", "wrong"]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("answered 401");
  expect(run.stderr).toContain("set FERRY_TOKEN (or --token) to the API_TOKEN ferry at");
});

it("names the URL and `npm run dev` when ferry is not reachable, exit 1", async () => {
  const url = `http://127.0.0.1:${await freePort()}`;
  const run = await ferry(["status"], { env: { FERRY_URL: url } });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`not reachable at ${url} (ECONNREFUSED): is \`npm run dev\` running?`);
});

it("shows ferry's own error message, exit 1", async () => {
  const gone = uniqueThreadId("gone");
  const run = await ferry(["preview", gone]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/answered 404 \(source_unavailable: .+\)/);
});

it("says when to try again when ferry answers 429, exit 1", async () => {
  const id = await fake.createThread({ id: uniqueThreadId("limited"), generate: 1 });
  // The dry run reads the source within the request, so the source's 429 reaches the caller.
  await fake.addFaults({ path: `^/v1/threads/${id}/messages$`, status: 429, retryAfter: 7, times: -1 });
  const run = await ferry(["preview", id]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/answered 429, rate limited \(rate_limited: .+\): try again in \d+ s \(Retry-After\)/);
});
