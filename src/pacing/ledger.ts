/**
 * The pacer's bookkeeping for one side (contract §7.1, §4.8), a pure function of the time it is
 * given so every rule can be checked with a clock a test controls.
 *
 * A grant is n permits usable from its start for PERMIT_TTL_MS. A permit may be spent anywhere in
 * that span, so a grant counts against every minute its span touches: holding at most `limit`
 * grants' permits in any span of a minute plus the TTL keeps the calls sent in any minute at
 * `limit` or fewer, wherever in its span each permit is spent. The price is TTL ÷ (minute + TTL)
 * of the rate (7 % at 5 s), which is why permits live briefly and are handed back when unused.
 *
 * Lanes: lazy work (a user is waiting) may take the whole rate. The backfill leaves room for it:
 * what lazy work used in the last window plus one page's worth of headroom, up to 1 − share of the
 * rate. So an idle lazy lane costs the backfill only the headroom, and lazy work that grows takes
 * the backfill's place as the backfill's grants age out, up to its share and beyond while the
 * backfill is idle.
 *
 * A 429 pauses every grant until its Retry-After and halves the rate; the rate then climbs back
 * linearly (additive increase), reaching the configured rate one RECOVERY_MS after a halving.
 * `x-ratelimit-remaining-requests` tells how much of the key others used; the limit shrinks by that
 * for a window.
 */

export const WINDOW_MS = 60_000;
/** How long a permit stays usable after its start. */
export const PERMIT_TTL_MS = 5_000;
/** The span one grant counts in: a minute plus the time its permits may still be spent. */
const SPAN_MS = WINDOW_MS + PERMIT_TTL_MS;
/** The backfill always leaves this many permits of the window for lazy work: a page's worth. */
export const LAZY_HEADROOM = 6;
/** The rate never falls below this share of the configured one. */
const MIN_FACTOR = 1 / 16;
/** After a halving from the full rate, the full rate is back this much later. */
const RECOVERY_MS = 60_000;

export type Lane = "lazy" | "backfill";

export interface TakeRequest {
  lane: Lane;
  /** Permits wanted (a page of work); fewer may be granted. */
  want: number;
  /** The side's configured rate (OPENAI_MAX_RPM / ASSISTANTS_MAX_RPM), per minute. */
  rpm: number;
  backfillShare: number;
  /** The longest the caller will wait for its permits' start; later than that, it is refused. */
  maxWaitMs: number;
  /** Permits of an earlier grant the caller will never spend: they count no more. */
  unused?: { grantId: number; count: number };
  /** The caller got a 429 that said to wait this long. */
  throttledMs?: number;
  /** The rate-limit headers of the caller's last answer, and how long ago it came. */
  observed?: { limit: number; remaining: number; ageMs: number };
}

/** Times are relative, so the caller's clock and the pacer's need not agree. */
export type Grant = { granted: number; grantId: number; startsInMs: number; validForMs: number } | { granted: 0; retryAfterMs: number };

export interface LedgerState {
  /** The rate permits are handed out at now, per minute. */
  currentRpm: number;
  pausedForMs: number;
  /** Permits granted in the last minute, per lane. */
  lastMinute: Record<Lane, number>;
}

interface Entry {
  id: number;
  at: number;
  n: number;
  lane: Lane;
}

export class PermitLedger {
  /** Grants that may still count, by start time. */
  private entries: Entry[] = [];
  private nextId = 1;
  private pausedUntil = 0;
  /** The rate's factor right after the last halving, and when that was. */
  private factorAfterCut = 1;
  private cutAt = Number.NEGATIVE_INFINITY;
  /** What the API says others use of the key, until the window it was seen in has passed. */
  private others = { limit: Number.POSITIVE_INFINITY, used: 0, until: 0 };

  take(now: number, req: TakeRequest): Grant {
    this.prune(now);
    if (req.unused) this.giveBack(req.unused.grantId, req.unused.count);
    if (req.throttledMs !== undefined) this.throttle(now, req.throttledMs);
    if (req.observed) this.observe(now, req.observed);
    const limit = this.limit(now, req.rpm);
    const cap = req.lane === "lazy" ? limit : limit - Math.min(Math.floor((1 - req.backfillShare) * limit), this.used(now, "lazy") + LAZY_HEADROOM);
    const start = Math.max(now, this.pausedUntil);
    for (let n = Math.min(req.want, cap); n >= 1; n = Math.floor(n / 2)) {
      const at = this.earliest(start, n, req.lane, limit, cap);
      if (at - now <= req.maxWaitMs) return this.record(now, at, n, req.lane);
    }
    const at = cap >= 1 ? this.earliest(start, 1, req.lane, limit, cap) : start + SPAN_MS;
    return { granted: 0, retryAfterMs: Math.max(1, at - now) };
  }

  describe(now: number, rpm: number): LedgerState {
    this.prune(now);
    const lastMinute = { lazy: 0, backfill: 0 };
    for (const e of this.entries) if (e.at > now - WINDOW_MS && e.at <= now) lastMinute[e.lane] += e.n;
    return { currentRpm: this.limit(now, rpm), pausedForMs: Math.max(0, this.pausedUntil - now), lastMinute };
  }

  /** The rate at `now`: the configured one, cut by 429s and climbing back, less what others use of the key. */
  private limit(now: number, rpm: number): number {
    const own = Math.max(1, Math.floor(rpm * this.factor(now)));
    return now < this.others.until ? Math.min(own, this.others.limit - this.others.used) : own;
  }

  /** The share of the configured rate: halved by a 429, then climbing linearly once its pause is over. */
  private factor(now: number): number {
    const climbing = Math.max(0, now - Math.max(this.cutAt, this.pausedUntil));
    return Math.min(1, this.factorAfterCut + climbing / RECOVERY_MS / 2);
  }

  /**
   * A 429: nothing starts before its wait is over. It halves the rate unless it answers a call
   * sent under an earlier pause's grants (those 429s say nothing new about the rate).
   */
  private throttle(now: number, waitMs: number): void {
    if (now >= this.pausedUntil) {
      this.factorAfterCut = Math.max(MIN_FACTOR, this.factor(now) / 2);
      this.cutAt = now;
    }
    this.pausedUntil = Math.max(this.pausedUntil, now + waitMs);
  }

  /** The key's calls in the API's window beyond ferry's own grants there are someone else's. */
  private observe(now: number, seen: { limit: number; remaining: number; ageMs: number }): void {
    const at = now - seen.ageMs;
    let own = 0;
    for (const e of this.entries) if (e.at > at - WINDOW_MS && e.at <= at) own += e.n;
    this.others = { limit: seen.limit, used: Math.max(0, seen.limit - seen.remaining - own), until: at + WINDOW_MS };
  }

  /** Permits counting at time s (all lanes, and `lane`'s own): every grant whose span reaches past s. */
  private earliest(start: number, n: number, lane: Lane, limit: number, cap: number): number {
    // Suffix sums: the grants from index i on are exactly those still counting once the ones before i aged out.
    const total: number[] = new Array(this.entries.length + 1).fill(0);
    const own: number[] = new Array(this.entries.length + 1).fill(0);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      total[i] = total[i + 1]! + e.n;
      own[i] = own[i + 1]! + (e.lane === lane ? e.n : 0);
    }
    let i = this.entries.findIndex((e) => e.at + SPAN_MS > start);
    if (i < 0) i = this.entries.length;
    for (let s = start; ; s = Math.max(start, this.entries[i - 1]!.at + SPAN_MS)) {
      if (total[i]! + n <= limit && own[i]! + n <= cap) return s;
      if (i === this.entries.length) return Number.POSITIVE_INFINITY; // n can never fit
      i++;
    }
  }

  private record(now: number, at: number, n: number, lane: Lane): Grant {
    const entry = { id: this.nextId++, at, n, lane };
    const after = this.entries.findIndex((e) => e.at > at);
    this.entries.splice(after < 0 ? this.entries.length : after, 0, entry);
    return { granted: n, grantId: entry.id, startsInMs: at - now, validForMs: PERMIT_TTL_MS };
  }

  /** Permits of a grant that will never be spent: they count no more. */
  giveBack(grantId: number, count: number): void {
    const i = this.entries.findIndex((e) => e.id === grantId);
    if (i < 0) return;
    const entry = this.entries[i]!;
    entry.n -= Math.min(entry.n, count);
    if (entry.n === 0) this.entries.splice(i, 1);
  }

  private used(now: number, lane: Lane): number {
    return this.entries.reduce((sum, e) => sum + (e.lane === lane && e.at + SPAN_MS > now ? e.n : 0), 0);
  }

  private prune(now: number): void {
    const keep = this.entries.findIndex((e) => e.at + SPAN_MS > now);
    this.entries = keep < 0 ? [] : this.entries.slice(keep);
  }
}
