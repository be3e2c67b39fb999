import { describe, expect, it } from "vitest";
import {
  convertMetadata,
  METADATA_MAX_KEY,
  METADATA_MAX_PAIRS,
  METADATA_MAX_VALUE,
  THREAD_ID_KEY,
} from "../../src/conversion/metadata";
import type { WarningCode } from "../../src/conversion/types";

const THREAD = "thread_abc123";

/** n pairs k0..k{n-1} → v0..v{n-1}, in insertion order. */
const pairs = (n: number, from = 0): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, `v${from + i}`]));

const longKey = (n: number) => "k".repeat(n);
const longValue = (n: number) => "v".repeat(n);

/** [rule, row] pairs, so a test title shows the whole rule (vitest cuts "$rule" at 40 chars). */
const byRule = <T extends { rule: string }>(rows: T[]): [string, T][] => rows.map((row) => [row.rule, row]);

interface Row {
  rule: string;
  source: Record<string, unknown> | null | undefined;
  metadata: Record<string, string>;
  overflow: Record<string, string>;
  warnings: WarningCode[];
}

const rows: Row[] = [
  { rule: "null metadata → only assistants_thread_id", source: null, metadata: { [THREAD_ID_KEY]: THREAD }, overflow: {}, warnings: [] },
  {
    rule: "undefined metadata → only assistants_thread_id",
    source: undefined,
    metadata: { [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  { rule: "empty metadata → only assistants_thread_id", source: {}, metadata: { [THREAD_ID_KEY]: THREAD }, overflow: {}, warnings: [] },
  {
    rule: "normal pairs are kept, plus the thread id",
    source: { customer: "acme", tier: "gold" },
    metadata: { customer: "acme", tier: "gold", [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: "15 pairs → the thread id takes the 16th slot",
    source: pairs(15),
    metadata: { ...pairs(15), [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: "16 pairs → no room for the thread id, nothing overflows",
    source: pairs(16),
    metadata: pairs(16),
    overflow: {},
    warnings: ["metadata_no_room_for_thread_id"],
  },
  {
    rule: "17 pairs → first 16 kept, the 17th overflows, no room for the thread id",
    source: pairs(17),
    metadata: pairs(16),
    overflow: pairs(1, 16),
    warnings: ["metadata_overflow", "metadata_no_room_for_thread_id"],
  },
  {
    rule: "40 pairs → first 16 kept, the other 24 overflow",
    source: pairs(40),
    metadata: pairs(16),
    overflow: pairs(24, 16),
    warnings: ["metadata_overflow", "metadata_no_room_for_thread_id"],
  },
  {
    rule: `key of exactly ${METADATA_MAX_KEY} chars fits`,
    source: { [longKey(64)]: "x" },
    metadata: { [longKey(64)]: "x", [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: `key of ${METADATA_MAX_KEY + 1} chars overflows`,
    source: { ok: "1", [longKey(65)]: "x" },
    metadata: { ok: "1", [THREAD_ID_KEY]: THREAD },
    overflow: { [longKey(65)]: "x" },
    warnings: ["metadata_overflow"],
  },
  {
    rule: `value of exactly ${METADATA_MAX_VALUE} chars fits`,
    source: { big: longValue(512) },
    metadata: { big: longValue(512), [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: `value of ${METADATA_MAX_VALUE + 1} chars overflows`,
    source: { big: longValue(513), ok: "1" },
    metadata: { ok: "1", [THREAD_ID_KEY]: THREAD },
    overflow: { big: longValue(513) },
    warnings: ["metadata_overflow"],
  },
  {
    rule: "an oversized pair does not take one of the 16 slots",
    source: { [longKey(65)]: "x", ...pairs(16) },
    metadata: pairs(16),
    overflow: { [longKey(65)]: "x" },
    warnings: ["metadata_overflow", "metadata_no_room_for_thread_id"],
  },
  {
    rule: "source already holding assistants_thread_id keeps its value",
    source: { [THREAD_ID_KEY]: "thread_original", a: "1" },
    metadata: { [THREAD_ID_KEY]: "thread_original", a: "1" },
    overflow: {},
    warnings: [],
  },
  {
    rule: "16 pairs including assistants_thread_id → no warning",
    source: { ...pairs(15), [THREAD_ID_KEY]: "thread_original" },
    metadata: { ...pairs(15), [THREAD_ID_KEY]: "thread_original" },
    overflow: {},
    warnings: [],
  },
  {
    rule: "non-string values are JSON-stringified",
    source: { n: 42, f: 1.5, b: true, z: null, o: { a: [1, "x"] }, arr: [1, 2] },
    metadata: { n: "42", f: "1.5", b: "true", z: "null", o: '{"a":[1,"x"]}', arr: "[1,2]", [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: "a non-string value whose JSON is over the limit overflows as its JSON",
    source: { o: { s: longValue(520) } },
    metadata: { [THREAD_ID_KEY]: THREAD },
    overflow: { o: JSON.stringify({ s: longValue(520) }) },
    warnings: ["metadata_overflow"],
  },
  {
    rule: "an undefined value (not JSON) is kept visibly instead of crashing",
    source: { u: undefined, a: "1" },
    metadata: { u: "undefined", a: "1", [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    rule: "empty key and empty value are kept",
    source: { "": "" },
    metadata: { "": "", [THREAD_ID_KEY]: THREAD },
    overflow: {},
    warnings: [],
  },
  {
    // JSON.parse makes "__proto__" an own key; a plain `obj[key] = v` would silently swallow it.
    rule: "a '__proto__' key is kept like any other",
    source: JSON.parse('{"__proto__":"x","a":"1"}') as Record<string, unknown>,
    metadata: JSON.parse(`{"__proto__":"x","a":"1","${THREAD_ID_KEY}":"${THREAD}"}`) as Record<string, string>,
    overflow: {},
    warnings: [],
  },
];

describe("convertMetadata — contract §3", () => {
  it.each(byRule(rows))("%s", (_rule, { source, metadata, overflow, warnings }) => {
    const before = structuredClone(source);
    const result = convertMetadata(source, THREAD);

    expect(result.metadata).toStrictEqual(metadata);
    expect(Object.keys(result.metadata)).toEqual(Object.keys(metadata)); // order kept
    expect(result.overflow).toStrictEqual(overflow);
    expect(result.warnings.map((w) => w.code)).toEqual(warnings);
    expect(source).toStrictEqual(before);
  });

  it.each(byRule(rows))("limits and completeness hold: %s", (_rule, { source }) => {
    const { metadata, overflow } = convertMetadata(source, THREAD);
    const kept = Object.entries(metadata);
    expect(kept.length).toBeLessThanOrEqual(METADATA_MAX_PAIRS);
    for (const [k, v] of kept) {
      expect(typeof v).toBe("string");
      expect(k.length).toBeLessThanOrEqual(METADATA_MAX_KEY);
      expect(v.length).toBeLessThanOrEqual(METADATA_MAX_VALUE);
    }
    // Nothing is lost: every source key is either in the conversation or kept in ferry, not both.
    for (const key of Object.keys(source ?? {})) {
      expect(Object.hasOwn(metadata, key) !== Object.hasOwn(overflow, key), key).toBe(true);
    }
  });
});

describe("convertMetadata — warnings", () => {
  it("metadata_overflow lists every overflowing key and carries no message_id", () => {
    const { warnings } = convertMetadata({ ...pairs(16), extra1: "a", [longKey(70)]: "b" }, THREAD);
    const overflow = warnings.find((w) => w.code === "metadata_overflow")!;
    expect(overflow.detail).toContain("extra1");
    expect(overflow.detail).toContain(longKey(70));
    expect(overflow.message_id).toBeUndefined();
  });

  it("metadata_no_room_for_thread_id carries no message_id", () => {
    const [w] = convertMetadata(pairs(16), THREAD).warnings;
    expect(w).toMatchObject({ code: "metadata_no_room_for_thread_id" });
    expect(w!.message_id).toBeUndefined();
    expect(w!.detail.length).toBeGreaterThan(0);
  });

  it("one metadata_overflow warning however many keys overflow", () => {
    const { warnings } = convertMetadata(pairs(30), THREAD);
    expect(warnings.filter((w) => w.code === "metadata_overflow")).toHaveLength(1);
  });
});

describe("convertMetadata — limits match the spec", () => {
  it("16 pairs, 64-char keys, 512-char values", () => {
    expect([METADATA_MAX_PAIRS, METADATA_MAX_KEY, METADATA_MAX_VALUE]).toEqual([16, 64, 512]);
    expect(THREAD_ID_KEY).toBe("assistants_thread_id");
  });
});
