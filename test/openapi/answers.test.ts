// Contract §2: GET /openapi.json tells the truth. Every (operation, status) the document lists is
// provoked by a real request through the Worker (real D1, the fake OpenAI), and each answer must
// match the schema and headers documented for its status. A documented status that no case
// provokes fails, and so does an answer with a status, or a field, the document does not list.
import { Validator, type Schema } from "@cfworker/json-schema";
import { env } from "cloudflare:test";
import { beforeAll, expect, it, vi } from "vitest";
import { MAX_BODY_BYTES } from "../../src/handlers/http/schemas";
import { migrationsQueue } from "../../src/queue/messages";
import { fake } from "../support/fake";
import { api, assistantSettled, migrate, uniqueThreadId } from "../support/ferry";
import { accessed, deliver, OTHER_SECRET } from "../support/webhook";

type Params = Record<string, string>;
/** `init.path`: a query string added to the operation's path. */
type Call = { params?: Params; init?: Parameters<typeof api>[1] & { path?: string } };

interface Case {
  operation: string;
  status: number;
  why: string;
  /** The request, or a setup that puts D1 and the fake in the state wanted and returns it. */
  request?: Call | (() => Promise<Call>);
  /** Sends the request itself: webhook deliveries must be signed over their exact body. */
  send?: () => Promise<Response>;
  /** Sent while D1 has lost ferry's tables. */
  databaseDown?: boolean;
}

interface Operation {
  method: string;
  path: string;
  responses: Record<string, { headers?: Record<string, { required?: boolean; schema: Schema }>; content?: Record<string, { schema: Schema }> }>;
}

let migrated: string;
beforeAll(async () => {
  await fake.reset();
  migrated = await fake.createThread({ id: uniqueThreadId("known"), generate: 2 });
  expect((await migrate(migrated)).body.status).toBe("migrated");
});

const tooLarge = "x".repeat(MAX_BODY_BYTES + 1);
const json = (body: unknown) => ({ method: "POST", json: body });
const plainText = { body: "thread_ids=thread_a", headers: { "content-type": "text/plain" } };
const noToken = { init: { token: null } };
const someThread = { thread_id: "thread_a" };
const someAssistant = { assistant_id: "asst_a" };
/** A refused setting for one request (contract §1). */
const badConfig = { env: { ASSISTANTS_SHUTDOWN_AT: "someday" } };
const someExport = { export_id: "exp_never" };
const ndjsonLine = `${JSON.stringify({ thread_id: "thread_openapi_export", role: "user", text: "hi" })}\n`;
/** An upload as curl sends one: with its length. */
const exportUpload = (body: string, type = "application/x-ndjson") => ({ method: "POST", body, headers: { "content-type": type, "content-length": String(body.length) } });
const dryRun = (thread_id: string) => ({ params: { thread_id }, init: { method: "POST", path: "?dry_run=true" } });

const cases: Case[] = [
  { operation: "getHealth", status: 200, why: "a valid configuration, without a token", request: noToken },
  { operation: "getHealth", status: 503, why: "a refused setting", request: { init: { token: null, ...badConfig } } },

  { operation: "getThread", status: 200, why: "a migrated thread", request: async () => ({ params: { thread_id: migrated } }) },
  { operation: "getThread", status: 400, why: "a malformed id", request: { params: { thread_id: "thread_a.b" } } },
  { operation: "getThread", status: 401, why: "no token", request: { ...noToken, params: someThread } },
  { operation: "getThread", status: 404, why: "a thread never seen", request: { params: { thread_id: uniqueThreadId("unseen") } } },
  { operation: "getThread", status: 500, why: "D1 fails", databaseDown: true, request: { params: { thread_id: uniqueThreadId("down") } } },

  {
    operation: "migrateThread",
    status: 200,
    why: "a small thread finishes within the request",
    request: async () => ({ params: { thread_id: await fake.createThread({ id: uniqueThreadId("small"), generate: 2 }) } }),
  },
  {
    operation: "migrateThread",
    status: 202,
    why: "a rate limit too long to wait hands it to the queue",
    request: async () => {
      const thread_id = await fake.createThread({ id: uniqueThreadId("limited"), generate: 2 });
      await fake.addFaults({ method: "POST", path: "^/v1/conversations$", status: 429, retryAfter: 6 });
      return { params: { thread_id } };
    },
  },
  { operation: "migrateThread", status: 400, why: "a malformed id", request: { params: { thread_id: "THREAD_a" } } },
  { operation: "migrateThread", status: 401, why: "no token", request: { ...noToken, params: someThread } },
  { operation: "migrateThread", status: 413, why: "a body over the limit", request: { params: someThread, init: { body: tooLarge } } },
  { operation: "migrateThread", status: 500, why: "D1 fails", databaseDown: true, request: { params: someThread } },
  { operation: "migrateThread", status: 503, why: "a refused setting", request: { params: someThread, init: badConfig } },
  {
    operation: "migrateThread",
    status: 200,
    why: "a dry run",
    request: async () => dryRun(await fake.createThread({ id: uniqueThreadId("dry"), generate: 3 })),
  },
  { operation: "migrateThread", status: 404, why: "a dry run of a thread the source does not have", request: dryRun(uniqueThreadId("drygone")) },
  {
    operation: "migrateThread",
    status: 429,
    why: "a dry run rate limited too long to wait",
    request: async () => {
      const thread_id = await fake.createThread({ id: uniqueThreadId("dry429"), generate: 1 });
      await fake.addFaults({ method: "GET", path: `^/v1/threads/${thread_id}$`, status: 429, retryAfter: 6 });
      return dryRun(thread_id);
    },
  },
  {
    operation: "migrateThread",
    status: 502,
    why: "a dry run whose source keeps failing",
    request: async () => {
      const thread_id = await fake.createThread({ id: uniqueThreadId("dry502"), generate: 1 });
      await fake.addFaults({ method: "GET", path: `^/v1/threads/${thread_id}$`, status: 500, times: 3 });
      return dryRun(thread_id);
    },
  },

  {
    operation: "lookupThreads",
    status: 200,
    why: "a known and an unknown id",
    request: async () => ({ init: json({ thread_ids: [migrated, uniqueThreadId("unknown")] }) }),
  },
  { operation: "lookupThreads", status: 400, why: "an empty list", request: { init: json({ thread_ids: [] }) } },
  { operation: "lookupThreads", status: 401, why: "no token", request: { init: { ...json({ thread_ids: ["thread_a"] }), token: null } } },
  { operation: "lookupThreads", status: 413, why: "a body over the limit", request: { init: json({ thread_ids: ["thread_a"], pad: tooLarge }) } },
  { operation: "lookupThreads", status: 415, why: "a text/plain body", request: { init: { method: "POST", ...plainText } } },
  { operation: "lookupThreads", status: 500, why: "D1 fails", databaseDown: true, request: { init: json({ thread_ids: ["thread_a"] }) } },

  { operation: "importThreads", status: 200, why: "new ids", request: { init: json({ thread_ids: [uniqueThreadId("import")] }) } },
  { operation: "importThreads", status: 400, why: "a malformed id", request: { init: json({ thread_ids: ["asst_a"] }) } },
  { operation: "importThreads", status: 401, why: "no token", request: { init: { ...json({ thread_ids: ["thread_a"] }), token: null } } },
  { operation: "importThreads", status: 413, why: "a body over the limit", request: { init: json({ thread_ids: ["thread_a"], pad: tooLarge }) } },
  { operation: "importThreads", status: 415, why: "a text/plain body", request: { init: { method: "POST", ...plainText } } },
  { operation: "importThreads", status: 500, why: "D1 fails", databaseDown: true, request: { init: json({ thread_ids: ["thread_a"] }) } },

  { operation: "startBackfill", status: 202, why: "a manual run" },
  { operation: "startBackfill", status: 401, why: "no token", request: noToken },
  { operation: "startBackfill", status: 413, why: "a body over the limit", request: { init: { body: tooLarge } } },
  { operation: "startBackfill", status: 500, why: "D1 fails", databaseDown: true },

  { operation: "pauseBackfill", status: 200, why: "pausing" },
  { operation: "pauseBackfill", status: 401, why: "no token", request: noToken },
  { operation: "pauseBackfill", status: 413, why: "a body over the limit", request: { init: { body: tooLarge } } },
  { operation: "pauseBackfill", status: 500, why: "D1 fails", databaseDown: true },
  { operation: "resumeBackfill", status: 200, why: "resuming" },
  { operation: "resumeBackfill", status: 401, why: "no token", request: noToken },
  { operation: "resumeBackfill", status: 413, why: "a body over the limit", request: { init: { body: tooLarge } } },
  { operation: "resumeBackfill", status: 500, why: "D1 fails", databaseDown: true },

  { operation: "listThreads", status: 200, why: "a page of migrated threads", request: { init: { path: "?status=migrated&limit=5" } } },
  { operation: "listThreads", status: 400, why: "a limit over 1000", request: { init: { path: "?limit=1001" } } },
  { operation: "listThreads", status: 401, why: "no token", request: noToken },
  { operation: "listThreads", status: 500, why: "D1 fails", databaseDown: true },
  { operation: "exportThreads", status: 200, why: "the mapping as CSV", request: { init: { path: "?format=csv" } } },
  { operation: "exportThreads", status: 400, why: "an unknown format", request: { init: { path: "?format=xml" } } },
  { operation: "exportThreads", status: 401, why: "no token", request: noToken },
  { operation: "exportThreads", status: 500, why: "D1 fails", databaseDown: true },
  { operation: "getReport", status: 200, why: "always" },
  { operation: "getReport", status: 401, why: "no token", request: noToken },
  { operation: "getReport", status: 500, why: "D1 fails", databaseDown: true },

  { operation: "getStatus", status: 200, why: "always" },
  { operation: "getStatus", status: 401, why: "no token", request: noToken },
  { operation: "getStatus", status: 500, why: "D1 fails", databaseDown: true },
  { operation: "getStatus", status: 503, why: "a refused setting", request: { init: badConfig } },

  {
    operation: "getAssistant",
    status: 200,
    why: "a synced assistant",
    request: async () => {
      const assistant_id = await fake.createAssistant({ id: `asst_${uniqueThreadId("a").slice("thread_".length)}`, model: "gpt-4o" });
      await migrationsQueue(env).send({ type: "sync_assistant", assistant_id });
      await assistantSettled(assistant_id);
      return { params: { assistant_id } };
    },
  },
  { operation: "getAssistant", status: 400, why: "a malformed id", request: { params: { assistant_id: "thread_a" } } },
  { operation: "getAssistant", status: 401, why: "no token", request: { ...noToken, params: someAssistant } },
  { operation: "getAssistant", status: 404, why: "an assistant never seen", request: { params: { assistant_id: "asst_never_seen" } } },
  { operation: "getAssistant", status: 500, why: "D1 fails", databaseDown: true, request: { params: someAssistant } },

  { operation: "uploadExport", status: 202, why: "an NDJSON export", request: { init: exportUpload(ndjsonLine) } },
  { operation: "uploadExport", status: 400, why: "an empty body", request: { init: exportUpload("") } },
  { operation: "uploadExport", status: 401, why: "no token", request: { init: { ...exportUpload(ndjsonLine), token: null } } },
  { operation: "uploadExport", status: 404, why: "an r2_key with no object", request: { init: exportUpload(JSON.stringify({ r2_key: "none.ndjson" }), "application/json") } },
  { operation: "uploadExport", status: 411, why: "no Content-Length", request: { init: { method: "POST", body: ndjsonLine, headers: { "content-type": "application/x-ndjson" } } } },
  { operation: "uploadExport", status: 413, why: "a body over the upload limit", request: { init: { ...exportUpload(ndjsonLine), env: { EXPORT_UPLOAD_MAX_BYTES: "10" } } } },
  { operation: "uploadExport", status: 415, why: "a text/plain body", request: { init: exportUpload(ndjsonLine, "text/plain") } },
  { operation: "uploadExport", status: 500, why: "D1 fails", databaseDown: true, request: { init: exportUpload(ndjsonLine) } },
  { operation: "uploadExport", status: 503, why: "a refused setting", request: { init: { ...exportUpload(ndjsonLine), ...badConfig } } },

  {
    operation: "getExport",
    status: 200,
    why: "an uploaded export",
    request: async () => ({ params: { export_id: ((await (await api("/v1/exports", exportUpload(ndjsonLine))).json()) as { id: string }).id } }),
  },
  { operation: "getExport", status: 400, why: "a malformed id", request: { params: { export_id: "exp_a-b" } } },
  { operation: "getExport", status: 401, why: "no token", request: { ...noToken, params: someExport } },
  { operation: "getExport", status: 404, why: "an export never made", request: { params: someExport } },
  { operation: "getExport", status: 500, why: "D1 fails", databaseDown: true, request: { params: someExport } },

  { operation: "threadAccessed", status: 202, why: "a signed delivery", send: () => deliver({ body: accessed(uniqueThreadId("hook")) }) },
  { operation: "threadAccessed", status: 400, why: "a signed body that is not JSON", send: () => deliver({ raw: "{" }) },
  { operation: "threadAccessed", status: 401, why: "signed with another secret", send: () => deliver({ body: accessed("thread_a"), secrets: [OTHER_SECRET] }) },
  { operation: "threadAccessed", status: 413, why: "a body over the limit", send: () => deliver({ raw: tooLarge }) },
  { operation: "threadAccessed", status: 500, why: "D1 fails", databaseDown: true, send: () => deliver({ body: accessed(uniqueThreadId("hook")) }) },
  { operation: "threadAccessed", status: 503, why: "a refused setting", send: () => deliver({ body: accessed(uniqueThreadId("hook")), ...badConfig }) },
];

let operations: Map<string, Operation>;
let components: Record<string, Schema>;
beforeAll(async () => {
  const doc = (await (await api("/openapi.json", { token: null })).json()) as {
    paths: Record<string, Record<string, Operation & { operationId: string }>>;
    components: { schemas: Record<string, Schema> };
  };
  operations = new Map(
    Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [op.operationId, { ...op, method, path }] as const)),
  );
  components = { schemas: Object.fromEntries(Object.entries(doc.components.schemas).map(([name, s]) => [name, closed(s)])) };
});

it("every status each operation documents is provoked by a case below, and no other", () => {
  const documented = [...operations].flatMap(([id, op]) => Object.keys(op.responses).map((status) => `${id} ${status}`));
  const provoked = new Set(cases.map((c) => `${c.operation} ${c.status}`));
  expect([...provoked].sort()).toEqual(documented.sort());
});

it.each(cases.map((c) => [`${c.operation} → ${c.status} (${c.why})`, c] as const))("%s", async (_, c) => {
  const op = operations.get(c.operation)!;
  const { params = {}, init = {} } = typeof c.request === "function" ? await c.request() : (c.request ?? {});
  const { path: query = "", ...rest } = init;
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `<no ${name}>`)) + query;
  const send = c.send ?? (() => api(path, { method: op.method.toUpperCase(), ...rest }));
  const res = c.databaseDown ? await withoutTables(send) : await send();

  const text = await res.text();
  expect(res.status, text).toBe(c.status);
  const documented = op.responses[String(res.status)];
  if (!documented) expect.fail(`${c.operation} answered ${res.status}, which it does not document`);
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = res.headers.get(name);
    if (header.required) expect(value, `header ${name}`).not.toBeNull();
    if (value !== null) expect(check(header.schema, header.schema.type === "integer" ? Number(value) : value)).toEqual([]);
  }
  const type = res.headers.get("content-type")!.split(";")[0]!;
  expect(Object.keys(documented.content!)).toContain(type);
  // A streamed export is lines of text (its content is tested in test/mapping/); everything else is JSON.
  if (type === "application/json") expect(check(documented.content![type]!.schema, JSON.parse(text))).toEqual([]);
});

it("a method and path the document does not list answer 404 unknown_route as an Error", async () => {
  for (const [method, path] of [["GET", "/nothing"], ["GET", "/v1/nothing"], ["DELETE", "/v1/threads/thread_a"]] as const) {
    expect([...operations.values()].some((op) => op.method === method.toLowerCase() && op.path === path)).toBe(false);
    const res = await api(path, { method });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(check({ $ref: "#/components/schemas/Error" }, body)).toEqual([]);
    expect(body).toMatchObject({ error: { code: "unknown_route" } });
  }
});

/** Validation errors of `value` against a documented schema whose $refs point into the document's components. */
function check(schema: Schema, value: unknown) {
  return new Validator({ ...closed(schema), components } as Schema, "2020-12", false).validate(value).errors;
}

/**
 * The schema with every object closed to the properties it names: the document leaves objects
 * open, as clients should tolerate additions, but an answer's field it does not name is untrue.
 */
function closed(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.properties) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, s]) => [k, typeof s === "boolean" ? s : closed(s)]));
    out.additionalProperties ??= false;
  }
  if (out.items && typeof out.items === "object" && !Array.isArray(out.items)) out.items = closed(out.items);
  if (typeof out.additionalProperties === "object") out.additionalProperties = closed(out.additionalProperties);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) if (out[key]) out[key] = out[key].map(closed);
  return out;
}

/**
 * ferry's tables renamed away for the length of one request: every query fails as in an outage.
 * The failure must be logged (and only logged: the answer shows nothing of it).
 */
async function withoutTables(send: () => Promise<Response>): Promise<Response> {
  const tables = ["threads", "assistants", "backfill_runs", "webhook_deliveries", "exports", "backfill_control", "issue_counts"];
  const rename = (from: (t: string) => string, to: (t: string) => string) =>
    env.DB.batch(tables.map((t) => env.DB.prepare(`ALTER TABLE ${from(t)} RENAME TO ${to(t)}`)));
  const gone = (t: string) => `${t}_gone`;
  const same = (t: string) => t;
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  await rename(same, gone);
  try {
    return await send();
  } finally {
    await rename(gone, same);
    expect(logged).toHaveBeenCalledWith("unhandled error", expect.any(Error));
    logged.mockRestore();
  }
}
