// A tiny schema checker with the real API's strictness and error wording, shared by every
// resource's request validation: each check throws an ApiError naming the field
// (`items[3].content[0].type`), so nothing is written when a request is wrong.

import { invalid, jsonTypeName } from "./errors";

export type Obj = Record<string, unknown>;
export type Metadata = Record<string, string>;

export type Check = (v: unknown, path: string) => unknown;
export interface Field {
  required?: boolean;
  check: Check;
}
export type Shape = Record<string, Field>;

export const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const quoteList = (vals: readonly string[]) =>
  vals.length <= 2
    ? vals.map((v) => `'${v}'`).join(" and ")
    : `${vals.slice(0, -1).map((v) => `'${v}'`).join(", ")}, and '${vals[vals.length - 1]}'`;

export const missing = (path: string) =>
  invalid(path, `Missing required parameter: '${path}'.`, "missing_required_parameter");
export const wrongType = (path: string, expected: string, v: unknown) =>
  invalid(path, `Invalid type for '${path}': expected ${expected}, but got ${jsonTypeName(v)} instead.`, "invalid_type");

export function asObject(v: unknown, path: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw wrongType(path, "an object", v);
  return v as Obj;
}

export const str: Check = (v, path) => {
  if (typeof v !== "string") throw wrongType(path, "a string", v);
  return v;
};
export const nullable =
  (check: Check): Check =>
  (v, path) =>
    v === null ? null : check(v, path);
export const nonNegInt: Check = (v, path) => {
  if (typeof v !== "number" || !Number.isInteger(v)) throw wrongType(path, "an integer", v);
  if (v < 0)
    throw invalid(
      path,
      `Invalid '${path}': integer below minimum value. Expected a value >= 0, but got ${v} instead.`,
      "integer_below_min_value",
    );
  return v;
};
export const url: Check = (v, path) => {
  str(v, path);
  try {
    new URL(v as string);
  } catch {
    throw invalid(path, `Invalid '${path}'. Expected a valid URL, but got a value with an invalid format.`, "invalid_value");
  }
  return v;
};
export const anyObject: Check = (v, path) => asObject(v, path);
export const anyArray: Check = (v, path) => {
  if (!Array.isArray(v)) throw wrongType(path, "an array", v);
  return v;
};
export const enumOf =
  (values: readonly string[]): Check =>
  (v, path) => {
    str(v, path);
    if (!values.includes(v as string))
      throw invalid(path, `Invalid value: '${String(v)}'. Supported values are: ${quoteList(values)}.`);
    return v;
  };
export const arrayOf =
  (check: Check): Check =>
  (v, path) =>
    (anyArray(v, path) as unknown[]).map((el, i) => check(el, `${path}[${i}]`));
export const bool: Check = (v, path) => {
  if (typeof v !== "boolean") throw wrongType(path, "a boolean", v);
  return v;
};
export const maxLen =
  (max: number, min = 0): Check =>
  (v, path) => {
    str(v, path);
    const n = (v as string).length;
    if (n > max)
      throw invalid(
        path,
        `Invalid '${path}': string too long. Expected a string with maximum length ${max}, but got a string with length ${n} instead.`,
        "string_above_max_length",
      );
    if (n < min)
      throw invalid(
        path,
        n === 0
          ? `Invalid '${path}': empty string. Expected a string with minimum length ${min}, but got an empty string instead.`
          : `Invalid '${path}': string too short. Expected a string with minimum length ${min}, but got a string with length ${n} instead.`,
        n === 0 ? "empty_string" : "string_below_min_length",
      );
    return v;
  };
/** A number (integer: true → integers only) in [min, max], worded like the real validator. */
export const numberIn =
  (min: number, max: number, integer = false): Check =>
  (v, path) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw wrongType(path, integer ? "an integer" : "a number", v);
    if (integer && !Number.isInteger(v)) throw wrongType(path, "an integer", v);
    const kind = Number.isInteger(v) ? "integer" : "decimal";
    if (v < min)
      throw invalid(path, `Invalid '${path}': ${kind} below minimum value. Expected a value >= ${min}, but got ${v} instead.`, `${kind}_below_min_value`);
    if (v > max)
      throw invalid(path, `Invalid '${path}': ${kind} above maximum value. Expected a value <= ${max}, but got ${v} instead.`, `${kind}_above_max_value`);
    return v;
  };

export const req = (check: Check): Field => ({ required: true, check });
export const opt = (check: Check): Field => ({ check });
export const TYPE = req((v) => v); // already checked by the union that dispatched here

/** Rejects unknown keys (the real API does: "Unknown parameter"), checks the rest. */
export function checkShape(obj: Obj, path: string, shape: Shape): Obj {
  for (const key of Object.keys(obj))
    if (!(key in shape)) throw invalid(join(path, key), `Unknown parameter: '${join(path, key)}'.`, "unknown_parameter");
  const out: Obj = {};
  for (const [key, field] of Object.entries(shape)) {
    const v = obj[key];
    if (v === undefined) {
      if (field.required) throw missing(join(path, key));
      continue;
    }
    out[key] = field.check(v, join(path, key));
  }
  return out;
}

/** A request body checked against `shape` (unknown keys rejected). */
export const checkBody = (body: unknown, shape: Shape): Obj => checkShape(asObject(body, "body"), "", shape);

export const object =
  (shape: Shape, refine?: (o: Obj, path: string) => Obj): Check =>
  (v, path) => {
    const out = checkShape(asObject(v, path), path, shape);
    return refine ? refine(out, path) : out;
  };

/** Dispatches on `type` like the spec's discriminated unions. */
export const union =
  (variants: Record<string, Check>): Check =>
  (v, path) => {
    const o = asObject(v, path);
    if (o.type === undefined) throw missing(join(path, "type"));
    const variant = variants[enumOf(Object.keys(variants))(o.type, join(path, "type")) as string];
    return variant!(o, path);
  };

/** 400 naming the first of `ids` that names nothing (e.g. `file_ids[3]`); how the fake answers every dangling reference. */
export function mustExist(ids: readonly string[] | undefined, param: (i: number) => string, what: string, exists: (id: string) => boolean, code: string | null = null): void {
  ids?.forEach((id, i) => {
    if (!exists(id)) throw invalid(param(i), `Invalid '${param(i)}': no ${what} found with id '${id}'.`, code);
  });
}

/** Array length limits with the real API's wording (checked before the elements). */
export function checkLength(v: unknown, path: string, max: number, min = 0): unknown[] {
  const list = anyArray(v, path) as unknown[];
  if (list.length > max)
    throw invalid(
      path,
      `Invalid '${path}': array too long. Expected an array with maximum length ${max}, but got an array with length ${list.length} instead.`,
      "array_above_max_length",
    );
  if (list.length < min)
    throw invalid(
      path,
      list.length === 0
        ? `Invalid '${path}': empty array. Expected an array with minimum length ${min}, but got an empty array instead.`
        : `Invalid '${path}': array too short. Expected an array with minimum length ${min}, but got an array with length ${list.length} instead.`,
      list.length === 0 ? "empty_array" : "array_below_min_length",
    );
  return list;
}

export const listOf =
  (check: Check, max: number, min = 0): Check =>
  (v, path) =>
    checkLength(v, path, max, min).map((el, i) => check(el, `${path}[${i}]`));

/** The entries of a key/value map the spec caps at 16 pairs (Metadata, file attributes). */
export function pairs(v: unknown, param: string): [string, unknown][] {
  const entries = Object.entries(asObject(v, param));
  if (entries.length > 16)
    throw invalid(
      param,
      `Invalid '${param}': too many properties. Expected an object with at most 16 properties, but got an object with ${entries.length} properties instead.`,
      "object_above_max_properties",
    );
  return entries;
}

/** Spec Metadata (every resource has it): ≤16 pairs, keys ≤64 chars, string values ≤512 chars. */
export function checkMetadata(v: unknown, param = "metadata"): Metadata {
  if (v === null || v === undefined) return {};
  const entries = pairs(v, param);
  for (const [k, val] of entries) {
    if (k.length > 64)
      throw invalid(
        param,
        `Invalid '${param}': key '${k.slice(0, 20)}…' is too long. Expected a key with maximum length 64, but got a key with length ${k.length} instead.`,
        "string_above_max_length",
      );
    if (typeof val !== "string")
      throw invalid(param, `Invalid type for '${param}.${k}': expected a string, but got ${jsonTypeName(val)} instead.`, "invalid_type");
    if (val.length > 512)
      throw invalid(
        param,
        `Invalid '${param}.${k}': string too long. Expected a string with maximum length 512, but got a string with length ${val.length} instead.`,
        "string_above_max_length",
      );
  }
  return Object.fromEntries(entries) as Metadata;
}

/** The `metadata` field of a request body. */
export const metadataField = opt((v) => checkMetadata(v));
