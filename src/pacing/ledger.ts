/**
 * The pacer's bookkeeping for one side (contract §7.1, §4.8), a pure function of the time it is
 * given so every rule can be checked with a clock a test controls.
 *
 * A grant is n permits usable from its start for PERMIT_TTL_MS. A permit may be spent anywhere in
 * that span, so a grant counts against every minute its span touches: holding at most `limit`
 * grants' permits in any span of a minute plus the TTL keeps the calls sent in any minute at
 * `limit` or fewer, wherever in its span each permit is spent. The price is TTL ÷ (minute + TTL)
 * of the rate (5 % at 3 s), which is why permits live briefly and are handed back when unused.
 *
 * Lanes: each lane leaves the other what the other used in the last span plus two pages of
 * headroom, up to the other's share (the backfill's BACKFILL_SHARE, lazy work's the rest). So an
 * idle lane costs the busy one only the headroom, and a lane that grows takes the other's place as
 * the other's grants age out, up to its own share. The backfill ramps up after idleness (slow start),
 * so its grants age out steadily and lazy work that grows finds room within seconds.
 *
 * A 429 pauses every grant until its Retry-After and halves the rate; the rate then climbs back
 * linearly (additive increase), reaching the configured rate one RECOVERY_MS after a halving.
 * `x-ratelimit-remaining-requests` tells how much of the key others used; the limit shrinks by that
 * for a window.
 */

export const WINDOW_MS = 60_000;
/** How long a permit stays usable after its start. */
export const PERMIT_TTL_MS = 3_000;
/** The span one grant counts in: a minute plus the time its permits may still be spent. */
const SPAN_MS = WINDOW_MS + PERMIT_TTL_MS;
/** Permits asked for at a time: a page of work (a message list and five writes), so pacing costs one pacer request per page. */
export const PAGE_PERMITS = 6;
/**
 * Each lane leaves the other what it used in the last span and two pages more (up to the other's
 * share): a steady lazy stream never waits, and one that grows waits only as long as the backfill's
 * grants take to age out, which slow start keeps steady.
 */
const HEADROOM = 2 * PAGE_PERMITS;
/**
 * Slow start: a backfill that had no grant counting ramps up over one span (a page at first), so
 * its grants, and with them the room they free, spread over the span instead of all ageing out at
 * once a span later; lazy work that grows then finds room as the backfill's grants age out.
 */
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

/** A lane's cap: after its ramp (`full`), and at a time (`at`); `since`: when a ramping lane began. */
interface LaneCap {
  full: number;
  at: (t: number) => number;
  since?: number;
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
  /** When the backfill began to take permits after it had none counting (its slow start). */
  private backfillSince = 0;
  /** What the API says others use of the key, until the window it was seen in has passed. */
  private others = { limit: Number.POSITIVE_INFINITY, used: 0, until: 0 };

  take(now: number, req: TakeRequest): Grant {
    this.prune(now);
    if (req.unused) this.giveBack(req.unused.grantId, req.unused.count);
    if (req.throttledMs !== undefined) this.throttle(now, req.throttledMs);
    if (req.observed) this.observe(now, req.observed);
    const limit = this.limit(now, req.rpm);
    const cap = this.laneCap(now, req, limit);
    const start = Math.max(now, this.pausedUntil);
    for (let n = Math.min(req.want, cap.full); n >= 1; n = Math.floor(n / 2)) {
      const at = this.earliestWithin(start, now + req.maxWaitMs, n, req.lane, limit, cap);
      if (at !== null) return this.record(now, at, n, req.lane);
    }
    // Refused: one permit surely fits once the lane's grants have aged out enough and its slow start lets it.
    const at = Math.max(cap.full >= 1 ? this.surelyFree(start, req.lane, limit, cap.full) : Number.POSITIVE_INFINITY, this.rampedFor(now, 1, req.lane, cap));
    return { granted: 0, retryAfterMs: Math.max(1, Number.isFinite(at) ? at - now : SPAN_MS) };
  }

  /**
   * What a lane may hold in a span: the rate less what the other lane holds (plus two pages of
   * headroom), up to the other lane's share — so a lane wanting more than its share gets it only
   * from what the other leaves idle. The backfill also ramps up after idleness (slow start): a page
   * plus its cap's share of the time since.
   */
  private laneCap(now: number, req: TakeRequest, limit: number): LaneCap {
    const other: Lane = req.lane === "lazy" ? "backfill" : "lazy";
    const otherShare = req.lane === "lazy" ? Math.floor(req.backfillShare * limit) : Math.ceil((1 - req.backfillShare) * limit);
    const full = limit - Math.min(otherShare, this.used(now, other) + HEADROOM);
    if (req.lane === "lazy") return { full, at: () => full };
    if (this.used(now, "backfill") === 0) this.backfillSince = now;
    const since = this.backfillSince;
    return { full, at: (t) => Math.min(full, PAGE_PERMITS + Math.floor((full * (t - since)) / SPAN_MS)), since };
  }

  /** When slow start lets the lane hold n more than it holds now (now, for a lane that does not ramp). */
  private rampedFor(now: number, n: number, lane: Lane, cap: LaneCap): number {
    if (cap.since === undefined) return Number.NEGATIVE_INFINITY;
    const wanted = this.used(now, lane) + n;
    return wanted > cap.full ? Number.POSITIVE_INFINITY : cap.since + Math.ceil(((wanted - PAGE_PERMITS) * SPAN_MS) / cap.full);
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

  /** The earliest time in [start, horizon] at which n more permits fit: now, once slow start allows them, or as a grant stops counting. */
  private earliestWithin(start: number, horizon: number, n: number, lane: Lane, limit: number, cap: LaneCap): number | null {
    const candidates = [start, this.rampedFor(start, n, lane, cap), ...this.entries.map((e) => e.at + SPAN_MS)].filter((t) => t >= start && t <= horizon).sort((a, b) => a - b);
    return candidates.find((t) => this.fits(t, n, lane, limit, cap.at(t))) ?? null;
  }

  /**
   * Whether n permits starting at s keep every span that would hold them within the limit (all
   * lanes) and the lane's cap (its own grants). The spans that matter end at s or at a later grant:
   * the fullest span holding a point ends at a grant.
   */
  private fits(s: number, n: number, lane: Lane, limit: number, cap: number): boolean {
    const ends = [s, ...this.entries.filter((e) => e.at > s && e.at < s + SPAN_MS).map((e) => e.at)];
    if (this.fullest(ends, () => true) + n > limit) return false;
    return this.fullest(ends, (e) => e.lane === lane) + n <= cap;
  }

  /** The most permits (of the grants `counts` keeps) in any span ending at one of `ends` (ascending). */
  private fullest(ends: readonly number[], counts: (e: Entry) => boolean): number {
    let most = 0;
    let sum = 0;
    for (let lo = 0, hi = 0, i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      for (; hi < this.entries.length && this.entries[hi]!.at <= end; hi++) if (counts(this.entries[hi]!)) sum += this.entries[hi]!.n;
      for (; lo < hi && this.entries[lo]!.at <= end - SPAN_MS; lo++) if (counts(this.entries[lo]!)) sum -= this.entries[lo]!.n;
      most = Math.max(most, sum);
    }
    return most;
  }

  /**
   * For a refusal's Retry-After: a time from which one permit surely fits, counting every grant
   * whose span reaches past it (later ones included), a bound that only falls as grants age out.
   */
  private surelyFree(start: number, lane: Lane, limit: number, cap: number): number {
    let total = 0;
    let own = 0;
    for (const e of this.entries) {
      total += e.n;
      if (e.lane === lane) own += e.n;
    }
    let i = 0;
    for (let s = start; ; s = this.entries[i]!.at + SPAN_MS) {
      for (; i < this.entries.length && this.entries[i]!.at + SPAN_MS <= s; i++) {
        total -= this.entries[i]!.n;
        if (this.entries[i]!.lane === lane) own -= this.entries[i]!.n;
      }
      if (total + 1 <= limit && own + 1 <= cap) return s;
      if (i === this.entries.length) return Number.POSITIVE_INFINITY;
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
