// GET /v1/report: warnings and errors by code, how many threads carry each now and up to 10 of
// them, following the threads as they change.
import { env } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { api } from "../support/ferry";
import { manyId, seedMany } from "../support/many";

const P = "thread_rep";
const N = 5_000;
beforeAll(() => seedMany(P, N));

interface Report {
  object: string;
  warnings: { code: string; threads: number; examples: string[] }[];
  errors: { code: string; threads: number; examples: string[] }[];
}
const report = async () => (await (await api("/v1/report")).json()) as Report;

/** The seeded threads that carry a code, in id order (scripts/many-threads.ts). */
const seeded = (holds: (i: number) => boolean) => Array.from({ length: N }, (_, i) => i).filter(holds).map((i) => manyId(P, i));
const migrated = (i: number) => i % 100 < 90;

it("counts each code's threads and names the first 10, most frequent first", async () => {
  const images = seeded((i) => migrated(i) && i % 7 === 0);
  const empty = seeded((i) => migrated(i) && i % 11 === 0);
  const rejected = seeded((i) => i % 100 >= 96 && i % 100 <= 98);
  expect(await report()).toEqual({
    object: "migration_report",
    warnings: [
      { code: "assistant_image_replaced", threads: images.length, examples: images.slice(0, 10) },
      { code: "empty_message", threads: empty.length, examples: empty.slice(0, 10) },
    ],
    errors: [{ code: "openai_rejected", threads: rejected.length, examples: rejected.slice(0, 10) }],
  });
});

it("follows the threads: a warning gone, an error cleared, a new code, a thread deleted", async () => {
  const before = await report();
  const first = before.warnings[0]!.examples[0]!; // carries assistant_image_replaced (and empty_message: id 0)
  await env.DB.prepare(`update threads set warnings = '[{"code":"tool_call_summarized","detail":"x"},{"code":"tool_call_summarized","detail":"y"}]' where thread_id = ?`).bind(first).run();
  const failed = before.errors[0]!.examples[0]!;
  await env.DB.prepare("update threads set error = null, status = 'migrated' where thread_id = ?").bind(failed).run();
  await env.DB.prepare("delete from threads where thread_id = ?").bind(before.warnings[0]!.examples[1]!).run();

  const after = await report();
  const of = (r: Report, code: string) => [...r.warnings, ...r.errors].find((c) => c.code === code);
  expect(of(after, "assistant_image_replaced")!.threads).toBe(of(before, "assistant_image_replaced")!.threads - 2);
  expect(of(after, "assistant_image_replaced")!.examples).not.toContain(first);
  expect(of(after, "empty_message")!.threads).toBe(of(before, "empty_message")!.threads - 1);
  expect(of(after, "tool_call_summarized")).toEqual({ code: "tool_call_summarized", threads: 1, examples: [first] });
  expect(of(after, "openai_rejected")!.threads).toBe(of(before, "openai_rejected")!.threads - 1);
});
