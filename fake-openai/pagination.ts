// Cursor pagination as every list endpoint answers it, and its query parameters.

import { invalid } from "./errors";
import { enumOf } from "./schema";

export interface ListQuery {
  limit: number;
  order: "asc" | "desc";
  after?: string;
  before?: string;
}

export interface Page<T> {
  object: "list";
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** A page holding exactly `data` (e.g. what one write created). */
export const pageOf = <T extends { id: string }>(data: T[], has_more = false): Page<T> => ({
  object: "list",
  data,
  first_id: data[0]?.id ?? null,
  last_id: data.at(-1)?.id ?? null,
  has_more,
});

/**
 * Cursor pagination shared by every list. `after` starts behind the cursor;
 * `before` (alone) returns the `limit` entries right before it, like the real
 * API. An unknown cursor is a 400: silently answering an empty page would let
 * a client mistake a lost checkpoint for "done". Cursors are looked up in the
 * unfiltered list, so a `filter` page still continues after an entry whose
 * status changed since the previous page.
 */
export function paginate<T extends { id: string }>(all: T[], q: ListQuery, what: string, keep?: (x: T) => boolean): Page<T> {
  const ordered = q.order === "asc" ? all : [...all].reverse();
  const at = (param: string, id: string) => {
    const i = ordered.findIndex((x) => x.id === id);
    if (i < 0) throw invalid(param, `Invalid '${param}': no ${what} found with id '${id}'.`);
    return i;
  };
  const start = q.after ? at("after", q.after) + 1 : 0;
  const end = q.before ? at("before", q.before) : ordered.length;
  const window = ordered.slice(start, Math.max(start, end));
  const candidates = keep ? window.filter(keep) : window;
  const beforeOnly = !!q.before && !q.after;
  const from = beforeOnly ? Math.max(0, candidates.length - q.limit) : 0;
  const data = candidates.slice(from, from + q.limit);
  return pageOf(data, beforeOnly ? from > 0 : candidates.length > q.limit);
}

/** limit/order/after(/before) as the list endpoints accept them. */
export function checkListQuery(q: URLSearchParams, allowBefore: boolean): ListQuery {
  const limitRaw = q.get("limit");
  let limit = 20;
  if (limitRaw !== null) {
    if (!/^-?\d+$/.test(limitRaw))
      throw invalid("limit", `Invalid 'limit': expected an integer, but got '${limitRaw}' instead.`, "invalid_type");
    limit = Number(limitRaw);
    if (limit < 1)
      throw invalid(
        "limit",
        `Invalid 'limit': integer below minimum value. Expected a value >= 1, but got ${limit} instead.`,
        "integer_below_min_value",
      );
    if (limit > 100)
      throw invalid(
        "limit",
        `Invalid 'limit': integer above maximum value. Expected a value <= 100, but got ${limit} instead.`,
        "integer_above_max_value",
      );
  }
  const order = enumOf(["asc", "desc"])(q.get("order") ?? "desc", "order") as "asc" | "desc";
  const after = q.get("after") || undefined;
  const before = allowBefore ? q.get("before") || undefined : undefined;
  return { limit, order, after, before };
}

/**
 * An `include` query: the SDK sends an array as `include[]=a&include[]=b` (openai-node's
 * stringifyQuery uses qs's "brackets" format); `include=a` is accepted too.
 */
export function checkInclude(q: URLSearchParams, allowed: readonly string[]): Set<string> {
  return new Set([...q.getAll("include[]"), ...q.getAll("include")].map((v) => enumOf(allowed)(v, "include") as string));
}
