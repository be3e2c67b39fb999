// Contract §6.2: a bad line is recorded with its number and reason, the rest goes on, and nothing
// of a bad line is written: no thread, no message, no conversation item.
import { beforeAll, expect, it } from "vitest";
import type { Export, ThreadMigration } from "../../src/handlers/http/schemas";
import { fake } from "../support/fake";
import { lookup, settled, uniqueThreadId } from "../support/ferry";
import { exportRecord, ingested, ndjson, postExport, transcriptLine, v2Message } from "../support/exports";

const [a, b, c, d, r] = ["a", "b", "c", "d", "r"].map((l) => uniqueThreadId(l)) as [string, string, string, string, string];
const huge = JSON.stringify(transcriptLine(d, "user", "x".repeat(8 * 1024 * 1024)));
const lines = [
  v2Message(a, 1, { role: "user", content: "a1" }), //                          1
  "{not json", //                                                                 2: not JSON
  v2Message(a, 2, { role: "assistant", content: "a2" }), //                     3
  { ...v2Message(a, 3, { role: "user", content: "BAD no role" }), role: undefined }, // 4: no role
  v2Message(b, 1, { role: "user", content: "b1" }), //                          5
  v2Message(a, 4, { role: "user", content: "BAD a comes back" }), //            6: reappears after b
  { hello: "world" }, //                                                          7: unknown shape
  transcriptLine(b, "user", "BAD transcript in a v2 thread"), //                 8: mixes shapes
  transcriptLine("thread_bad id", "user", "BAD id"), //                         9: not a thread id
  { ...transcriptLine(c, "system", "BAD role") }, //                            10: role neither
  { export_schema: "assistants-thread-export/v1", thread_id: r, thread: null, messages: [], runs: [], files: {}, errors: [{ error: "not_found_or_deleted" }] }, // 11: no thread
  { ...exportRecord(c, [v2Message(c, 1, { role: "user", content: "BAD" }), { ...v2Message(c, 2, { role: "user" }), content: "not parts" }]) }, // 12: a bad message inside
  { export_schema: "assistants-thread-export/v2", thread_id: c }, //            13: unknown schema
  huge, //                                                                        14: longer than 8 MiB
  "", //                                                                          15: blank, skipped silently
  transcriptLine(c, "user", "c1"), //                                            16
  v2Message(b, 2, { role: "assistant", content: "BAD b comes back" }), //       17: reappears after c
];

let exported: Export;
beforeAll(async () => {
  await fake.reset();
  const { body } = await postExport(ndjson(lines));
  exported = await ingested(body.id);
}, 120_000);

it("records every bad line with its number and reason, and goes on", () => {
  expect(exported).toMatchObject({ status: "ingested", threads_found: 3, threads_registered: 3, lines_rejected: 12 });
  const reasons = Object.fromEntries(exported.rejections.map((x) => [x.line, x.reason]));
  expect(Object.keys(reasons).map(Number)).toEqual([2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17]);
  expect(reasons[2]).toMatch(/^not JSON/);
  expect(reasons[4]).toBe("role: the message has no role");
  expect(reasons[6]).toBe(`thread ${a} appears again at line 6, after its lines 1–3 and another thread's; the lines of one thread must be consecutive`);
  expect(reasons[7]).toMatch(/^unknown shape/);
  expect(reasons[8]).toMatch(`thread ${b} began at line 5 as thread.message lines; a line of transcript lines cannot join it`);
  expect(reasons[9]).toMatch(/is not a thread id/);
  expect(reasons[10]).toMatch(/neither user nor assistant/);
  expect(reasons[11]).toBe("thread: the record holds no thread (the exporter could not read it)");
  expect(reasons[12]).toMatch(/^messages\[1\]\.content/);
  expect(reasons[13]).toMatch(/export_schema "assistants-thread-export\/v2"/);
  expect(reasons[14]).toMatch(/^longer than 8388608 bytes/);
  expect(reasons[17]).toMatch(`thread ${b} appears again at line 17, after its line 5`);
});

it("nothing of a bad line is written", async () => {
  const threads = await Promise.all([a, b, c].map((id) => settled(id)));
  expect(threads.map((t) => t.messages_migrated)).toEqual([2, 1, 1]);
  expect(await lookup(r)).toBeNull();
  expect(await lookup(d)).toBeNull();
  const texts = (await fake.conversations()).flatMap((conv) => conv.items.flatMap((i) => (i.content as { text: string }[]).map((p) => p.text)));
  expect(texts.sort()).toEqual(["a1", "a2", "b1", "c1"]);
  expect(threads.map((t: ThreadMigration) => t.status)).toEqual(["migrated", "migrated", "migrated"]);
});
