// Fault injection: explicit rules (deterministic, for tests) and random faults
// from a seeded PRNG (reproducible chaos, for benchmarks and soak runs).

import { invalid } from "./errors";

export interface FaultRule {
  /** HTTP method to match; any when omitted. */
  method?: string;
  /** Regex source tested against the request pathname, e.g. "^/v1/conversations/[^/]+/items$". */
  path: string;
  /** Answer with this error status (body shaped like the real API's). */
  status?: number;
  /** Seconds for the Retry-After header. 429s get 1 unless set; null omits the header. */
  retryAfter?: number | null;
  /** Apply the request for real first, then answer `status` (a write that succeeded but "failed"). */
  commit?: boolean;
  /** Wait this long before answering, so the client's timeout fires. Without `status` the request then proceeds normally. */
  hangMs?: number;
  /** How many matching requests it hits; default 1, -1 = unlimited. */
  times?: number;
  /** Let this many matching requests through first. */
  skip?: number;
  /** 0..1 chance that a matching request (after `skip`) is hit. */
  probability?: number;
}

/** A rule as stored: counters shown by GET /__control/faults. */
export interface ActiveRule extends FaultRule {
  re: RegExp;
  remaining: number;
  skipped: number;
  hits: number;
}

export interface RandomFaults {
  rate500: number;
  rate429: number;
  retryAfter: number;
  /** Writes only: apply the request, then answer 500. */
  rateCommitThenFail: number;
  seed: number;
}

/**
 * The seeded chaos the repo runs ferry under: the bench's "under faults" part and the backfill
 * chaos test (which leaves out commit-then-fail, see there).
 */
export const FAULT_MIX = { rate500: 0.1, rate429: 0.05, retryAfter: 1, rateCommitThenFail: 0.05, seed: 7 } as const satisfies RandomFaults;
/** Random faults switched off (the state after a reset). */
export const NO_RANDOM_FAULTS = { rate500: 0, rate429: 0, rateCommitThenFail: 0 } as const satisfies Partial<RandomFaults>;

export interface Fault {
  status?: number;
  retryAfter?: number | null;
  commit: boolean;
  hangMs: number;
}

export function compileRules(input: unknown): ActiveRule[] {
  if (!Array.isArray(input)) throw invalid("rules", "Invalid 'rules': expected an array of fault rules.", "invalid_type");
  return input.map((r: FaultRule, i) => {
    if (typeof r?.path !== "string") throw invalid(`rules[${i}].path`, `Missing required parameter: 'rules[${i}].path'.`);
    let re: RegExp;
    try {
      re = new RegExp(r.path);
    } catch {
      throw invalid(`rules[${i}].path`, `Invalid 'rules[${i}].path': not a valid regular expression.`);
    }
    return { ...r, method: r.method?.toUpperCase(), re, remaining: r.times ?? 1, skipped: 0, hits: 0 };
  });
}

/** Mulberry32: tiny seeded PRNG so random faults replay identically for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decides the fault for one /v1 request. Rules are tried in order and the
 * first that hits wins (later rules do not see that request); random faults
 * apply only when no rule hit.
 */
export function pickFault(
  rules: ActiveRule[],
  random: RandomFaults,
  rand: () => number,
  method: string,
  path: string,
): Fault | null {
  for (const rule of rules) {
    if (rule.remaining === 0) continue;
    if (rule.method && rule.method !== method) continue;
    if (!rule.re.test(path)) continue;
    if (rule.skipped < (rule.skip ?? 0)) {
      rule.skipped++;
      continue;
    }
    if (rule.probability !== undefined && rand() >= rule.probability) continue;
    if (rule.remaining > 0) rule.remaining--;
    rule.hits++;
    return { status: rule.status, retryAfter: rule.retryAfter, commit: !!rule.commit, hangMs: rule.hangMs ?? 0 };
  }
  const write = method !== "GET" && method !== "HEAD";
  if (!random.rate500 && !random.rate429 && !(write && random.rateCommitThenFail)) return null;
  // One draw per request keeps the sequence reproducible whatever the rates are.
  const r = rand();
  if (r < random.rate500) return { status: 500, commit: false, hangMs: 0 };
  if (r < random.rate500 + random.rate429)
    return { status: 429, retryAfter: random.retryAfter, commit: false, hangMs: 0 };
  if (write && r < random.rate500 + random.rate429 + random.rateCommitThenFail)
    return { status: 500, commit: true, hangMs: 0 };
  return null;
}
