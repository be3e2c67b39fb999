import type { Annotation } from "openai/resources/beta/threads/messages";
import { describe, expect, it } from "vitest";
import { citedFileIds, convertMessage, type ConvertedMessage, type FilenameLookup } from "../../src/conversion/message";
import {
  type AssistantPart,
  type ConversationItem,
  MAX_ITEMS_PER_WRITE,
  type SourceMessage,
  type SourcePart,
  type UserPart,
} from "../../src/conversion/types";
import { bufferedItems, type Entry, takeWrite, type Write } from "../../src/migration/write-plan";

// ---------------------------------------------------------------------------------------------
// A tiny seeded PRNG (mulberry32) so every generated thread can be reproduced from its seed.
// ---------------------------------------------------------------------------------------------

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1)); // inclusive
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------
// Thread generator. Every source part carries a marker "@m<i>.p<j>@" (message i, part j) in the
// field that survives conversion, so each produced part can be traced back to its origin.
// ---------------------------------------------------------------------------------------------

const marker = (i: number, j: number) => `@m${i}.p${j}@`;
const MARKER = /@m(\d+)\.p(\d+)@/;
const FILE_POOL = ["file-a", "file-b", "file-c", "file-d", "file-e", "file-f"];
const PART_KINDS = ["text", "text", "image_url", "image_file", "refusal", "unknown"] as const;
const UNKNOWN_TYPES = ["video_url", "audio", "file", "input_audio"];
const DETAILS = [undefined, "auto", "low", "high"] as const;

function annotationsFor(rng: Rng, value: string): Annotation[] {
  return Array.from({ length: rng.int(0, 3) }, (): Annotation => {
    const start_index = rng.int(0, value.length);
    const end_index = start_index + rng.int(1, 20);
    const file_id = rng.pick(FILE_POOL);
    return rng.chance(0.6)
      ? { type: "file_citation", file_citation: { file_id }, start_index, end_index, text: "【4:0†source】" }
      : { type: "file_path", file_path: { file_id }, start_index, end_index, text: "sandbox:/mnt/data/x.csv" };
  });
}

function part(rng: Rng, role: SourceMessage["role"], i: number, j: number): SourcePart {
  const m = marker(i, j);
  const detail = rng.pick(DETAILS);
  switch (rng.pick(PART_KINDS)) {
    case "text": {
      const value = `${m} ${"lorem ".repeat(rng.int(0, 5))}`;
      // Only assistant text carries annotations in the Assistants API.
      return { type: "text", text: { value, annotations: role === "assistant" ? annotationsFor(rng, value) : [] } };
    }
    case "image_url":
      return { type: "image_url", image_url: { url: `https://img.test/${m}.png`, ...(detail && { detail }) } };
    case "image_file":
      return { type: "image_file", image_file: { file_id: `file-img${m}`, ...(detail && { detail }) } };
    case "refusal":
      return { type: "refusal", refusal: `${m} I can't do that` };
    case "unknown": {
      const type = rng.pick(UNKNOWN_TYPES);
      return { type, [type]: { url: `https://x.test/${m}` } } as unknown as SourcePart;
    }
  }
}

interface Thread {
  seed: number;
  messages: SourceMessage[];
  filenames: FilenameLookup;
}

function thread(seed: number): Thread {
  const rng = prng(seed);
  const messages = Array.from({ length: rng.int(0, 70) }, (_, i): SourceMessage => {
    const role = rng.pick(["user", "assistant"] as const);
    return {
      id: `msg_${seed}_${i}`,
      role,
      content: Array.from({ length: rng.int(0, 5) }, (_, j) => part(rng, role, i, j)),
      attachments: null,
    };
  });
  // Some cited files still exist (their names are known), others are gone.
  const filenames = new Map(FILE_POOL.filter(() => rng.chance(0.5)).map((id) => [id, `${id}.pdf`]));
  return { seed, messages, filenames };
}

const THREADS = 300;
const threads = Array.from({ length: THREADS }, (_, t) => thread(0xf3e7 + t));

/** The thread-level conversion: every message in order, dropping those with no item. */
function convertThread({ messages, filenames }: Thread) {
  const results = messages.map((m) => convertMessage(m, filenames));
  const items = results.flatMap((r) => (r.item ? [r.item] : []));
  return { results, items };
}

/** The text of a produced part that carries its source marker. */
function carried(p: UserPart | AssistantPart): string {
  switch (p.type) {
    case "input_text":
      return p.text;
    case "input_image":
      return "image_url" in p ? p.image_url : p.file_id;
    case "output_text":
      return p.text;
    case "refusal":
      return p.refusal;
  }
}

function origin(p: UserPart | AssistantPart): { i: number; j: number } {
  const match = MARKER.exec(carried(p));
  if (!match) throw new Error(`no marker in ${JSON.stringify(p)}`);
  return { i: Number(match[1]), j: Number(match[2]) };
}

const isUnsupported = (role: SourceMessage["role"], p: SourcePart) =>
  !["text", "image_url", "image_file", "refusal"].includes(p.type) || (role === "user" && p.type === "refusal");

const count = (r: ConvertedMessage, code: string) => r.warnings.filter((w) => w.code === code).length;

// ---------------------------------------------------------------------------------------------

describe(`conversion properties over ${THREADS} generated threads`, () => {
  it("the generator covers every case", () => {
    const all = threads.flatMap((t) => t.messages);
    const parts = all.flatMap((m) => m.content.map((p) => `${m.role}:${p.type}`));
    for (const kind of ["text", "image_url", "image_file", "refusal", "video_url"]) {
      expect(parts).toContain(`user:${kind}`);
      expect(parts).toContain(`assistant:${kind}`);
    }
    expect(all.some((m) => m.content.length === 0)).toBe(true);
    const annotations = all.flatMap((m) => m.content.flatMap((p) => (p.type === "text" ? p.text.annotations : [])));
    expect(annotations.some((a) => a.type === "file_citation")).toBe(true);
    expect(annotations.some((a) => a.type === "file_path")).toBe(true);
    expect(threads.some((t) => convertThread(t).items.length > 2 * MAX_ITEMS_PER_WRITE)).toBe(true);
    expect(threads.some((t) => t.messages.length === 0)).toBe(true);
  });

  it("(a) order is kept: the k-th item comes from the k-th message that produced one, parts in order", () => {
    for (const t of threads) {
      const { results, items } = convertThread(t);
      const producing = results.flatMap((r, i) => (r.item ? [i] : []));
      expect(items.length, `seed ${t.seed}`).toBe(producing.length);
      items.forEach((item, k) => {
        const origins = item.content.map(origin);
        // Every part of item k comes from message producing[k] …
        for (const o of origins) expect(o.i, `seed ${t.seed} item ${k}`).toBe(producing[k]);
        // … and they are exactly its supported parts, in their order.
        const source = t.messages[producing[k]!]!;
        const expected = source.content.flatMap((p, j) => (isUnsupported(source.role, p) ? [] : [j]));
        expect(
          origins.map((o) => o.j),
          `seed ${t.seed} item ${k}`,
        ).toEqual(expected);
      });
    }
  });

  it("(b) nothing is dropped silently", () => {
    for (const t of threads) {
      const { results } = convertThread(t);
      results.forEach((r, i) => {
        const source = t.messages[i]!;
        const where = `seed ${t.seed} message ${i}`;
        const partsOut = r.item?.content.length ?? 0;
        expect(source.content.length, where).toBe(partsOut + count(r, "unsupported_content"));
        expect(count(r, "unsupported_content"), where).toBe(source.content.filter((p) => isUnsupported(source.role, p)).length);
        // A null item always says why, and only a null item is an empty message.
        expect(count(r, "empty_message"), where).toBe(r.item === null ? 1 : 0);
        // Every assistant image is replaced exactly once, and only assistant images are.
        const images = source.content.filter((p) => p.type === "image_url" || p.type === "image_file").length;
        expect(count(r, "assistant_image_replaced"), where).toBe(source.role === "assistant" ? images : 0);
        // Every citation of a gone file is reported.
        const missing =
          source.role === "assistant"
            ? source.content
                .flatMap((p) => (p.type === "text" ? p.text.annotations : []))
                .filter((a) => a.type === "file_citation" && !t.filenames.has(a.file_citation.file_id)).length
            : 0;
        expect(count(r, "citation_file_missing"), where).toBe(missing);
        // Every warning points at its message.
        for (const w of r.warnings) expect(w.message_id, where).toBe(source.id);
      });
    }
  });

  it("(b') every produced part is the exact image of its source part", () => {
    for (const t of threads) {
      convertThread(t).items.forEach((item, k) => {
        for (const p of item.content) {
          const { i, j } = origin(p);
          const src = t.messages[i]!.content[j]!;
          const where = `seed ${t.seed} item ${k} part m${i}.p${j}`;
          if (item.role === "user") {
            const expected =
              src.type === "text"
                ? { type: "input_text", text: src.text.value }
                : src.type === "image_url"
                  ? { type: "input_image", image_url: src.image_url.url, detail: src.image_url.detail ?? "auto" }
                  : src.type === "image_file"
                    ? { type: "input_image", file_id: src.image_file.file_id, detail: src.image_file.detail ?? "auto" }
                    : "unreachable";
            expect(p, where).toStrictEqual(expected);
          } else if (src.type === "image_url" || src.type === "image_file") {
            const ref = src.type === "image_url" ? src.image_url.url : src.image_file.file_id;
            expect(p, where).toStrictEqual({ type: "output_text", text: `[image: ${ref}]`, annotations: [] });
          } else if (src.type === "refusal") {
            expect(p, where).toStrictEqual({ type: "refusal", refusal: src.refusal });
          } else {
            expect(p.type, where).toBe("output_text"); // annotations are checked below
          }
        }
      });
    }
  });

  it("(b'') annotations survive: same count, order, file ids and start indexes; filenames from the lookup or the id", () => {
    for (const t of threads) {
      const { results } = convertThread(t);
      results.forEach((r, i) => {
        const source = t.messages[i]!;
        if (source.role !== "assistant" || !r.item) return;
        const sourceTexts = source.content.flatMap((p) => (p.type === "text" ? [p.text] : []));
        const outTexts = r.item.content.filter(
          (p): p is Extract<AssistantPart, { type: "output_text" }> => p.type === "output_text" && !p.text.startsWith("[image: "),
        );
        expect(outTexts.length).toBe(sourceTexts.length);
        outTexts.forEach((out, n) => {
          const src = sourceTexts[n]!;
          expect(out.text).toBe(src.value);
          // Citations of gone files are dropped (they would fail the write); every other annotation is kept in order.
          const kept = src.annotations.filter((a) => a.type !== "file_citation" || t.filenames.has(a.file_citation.file_id));
          expect(out.annotations.map((a) => [a.type, a.file_id, a.index])).toEqual(
            kept.map((a) => [a.type, a.type === "file_citation" ? a.file_citation.file_id : a.file_path.file_id, a.start_index]),
          );
          for (const a of out.annotations) {
            if (a.type === "file_citation") expect(a.filename).toBe(t.filenames.get(a.file_id));
            else expect(a).not.toHaveProperty("filename");
          }
        });
      });
    }
  });

  it("(c) role invariants: user items hold only input_text/input_image, assistant items only output_text/refusal", () => {
    for (const t of threads) {
      convertThread(t).results.forEach((r, i) => {
        if (!r.item) return;
        expect(r.item.role, `seed ${t.seed} message ${i}`).toBe(t.messages[i]!.role);
        const allowed = r.item.role === "user" ? ["input_text", "input_image"] : ["output_text", "refusal"];
        for (const p of r.item.content) expect(allowed, `seed ${t.seed} message ${i}`).toContain(p.type);
        for (const p of r.item.content) {
          if (p.type === "input_image") expect(["auto", "low", "high"]).toContain(p.detail);
          if (p.type === "output_text") expect(Array.isArray(p.annotations)).toBe(true);
        }
      });
    }
  });

  it("(d) every item is JSON-serialisable and holds no id/status", () => {
    for (const t of threads) {
      for (const item of convertThread(t).items) {
        expect(JSON.parse(JSON.stringify(item)) as ConversationItem).toStrictEqual(item);
        expect(Object.keys(item).sort()).toEqual(["content", "role", "type"]);
        expect(item.type).toBe("message");
        expect(item.content.length).toBeGreaterThan(0);
      }
    }
  });

  /** Applies the engine's write planner until the buffer is empty, as a thread's end does. */
  function allWrites(entries: Entry[]) {
    const writes: Write[] = [];
    let buffer = entries;
    while (bufferedItems(buffer) > 0) {
      const write = takeWrite(buffer);
      writes.push(write);
      buffer = write.rest;
    }
    return writes;
  }

  it(`(e) the engine's writes carry ≤ ${MAX_ITEMS_PER_WRITE} items each, all full but the last, nothing lost or reordered`, () => {
    expect(MAX_ITEMS_PER_WRITE).toBe(20);
    for (const t of threads) {
      const { results, items } = convertThread(t);
      const entries = results.map((r, i) => ({ messageId: t.messages[i]!.id, items: r.item ? [r.item] : [], hasMessage: r.item !== null }));
      const writes = allWrites(entries);
      expect(writes.length, `seed ${t.seed}`).toBe(Math.ceil(items.length / MAX_ITEMS_PER_WRITE));
      for (const w of writes) expect(w.items.length).toBeLessThanOrEqual(MAX_ITEMS_PER_WRITE);
      // Only the last write may be short: that is what makes the count minimal (contract §4.2).
      for (const w of writes.slice(0, -1)) expect(w.items.length).toBe(MAX_ITEMS_PER_WRITE);
      expect(writes.flatMap((w) => w.items)).toEqual(items);
      // The checkpoint only ever moves forward through the thread's messages.
      const finished = writes.flatMap((w) => w.finished.map((e) => e.messageId));
      expect(finished).toEqual(t.messages.map((m) => m.id).slice(0, finished.length));
    }
  });

  it.each([0, 1, 19, 20, 21, 39, 40, 41, 100, 101])("(e) write boundaries: %i one-item entries", (n) => {
    const item: ConversationItem = { type: "message", role: "user", content: [{ type: "input_text", text: "x" }] };
    const writes = allWrites(Array.from({ length: n }, (_, i) => ({ messageId: `msg_${i}`, items: [item], hasMessage: true })));
    expect(writes.length).toBe(Math.ceil(n / 20));
    expect(writes.every((w) => w.items.length >= 1 && w.items.length <= 20)).toBe(true);
    expect(writes.flatMap((w) => w.finished.map((e) => e.messageId))).toEqual(Array.from({ length: n }, (_, i) => `msg_${i}`));
  });

  it("(e) an entry larger than a write is split across writes and finishes with its last item", () => {
    const item = (text: string): ConversationItem => ({ type: "message", role: "user", content: [{ type: "input_text", text }] });
    const big = { messageId: "msg_big", items: Array.from({ length: 45 }, (_, i) => item(`b${i}`)), hasMessage: true };
    const writes = allWrites([{ messageId: "msg_a", items: [item("a")], hasMessage: true }, big, { messageId: "msg_c", items: [item("c")], hasMessage: true }]);
    expect(writes.map((w) => w.items.length)).toEqual([20, 20, 7]);
    expect(writes.map((w) => w.finished.map((e) => e.messageId))).toEqual([["msg_a"], [], ["msg_big", "msg_c"]]);
  });

  it("citedFileIds gives the distinct citations of assistant text, in order of first appearance", () => {
    for (const t of threads) {
      const expected: string[] = [];
      for (const m of t.messages) {
        if (m.role !== "assistant") continue;
        for (const p of m.content) {
          if (p.type !== "text") continue;
          for (const a of p.text.annotations) {
            if (a.type === "file_citation" && !expected.includes(a.file_citation.file_id)) expected.push(a.file_citation.file_id);
          }
        }
      }
      expect(citedFileIds(t.messages), `seed ${t.seed}`).toEqual(expected);
    }
  });

  it("conversion is deterministic and leaves the source untouched", () => {
    for (const t of threads.slice(0, 50)) {
      const before = structuredClone(t.messages);
      const first = convertThread(t);
      const second = convertThread(t);
      expect(second).toStrictEqual(first);
      expect(t.messages).toStrictEqual(before);
    }
  });
});
