import type { CallPermits } from "../client/call";
import type { Config, SideConfig } from "../config";
import { type Lane, type LedgerState, PAGE_PERMITS } from "./ledger";
import type { Pacer } from "./pacer";

/** The longest an invocation waits for its permits; beyond that its work goes back to the queue. */
export const MAX_PERMIT_WAIT_MS = 5_000;
/** A permit this close to its end is not started on: the call must reach the API while it holds. */
const SEND_MARGIN_MS = 250;

/** The side's permits are taken for longer than an invocation should wait: its work is handed back, delayed. */
export class Paced extends Error {
  constructor(readonly retryAfter: number) {
    super(`the pacer has no permit for ${retryAfter}s; the work is handed back`);
  }
}

export type Side = "source" | "target";
/** The permits of one lane of work, per side; null for a side that is unpaced. */
export type LanePermits = Record<Side, SidePermits | null>;
/** Work that takes no permits on either side. */
export const UNPACED: LanePermits = { source: null, target: null };

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The call permits one invocation holds (contract §7.1): per side and lane, a page's worth at a
 * time from the side's pacer, shared by everything the invocation does at once. Unpaced sides get
 * no pacer at all, so an unpaced deployment sends no pacer request.
 */
export class Pacing {
  private readonly sides: Partial<Record<Side, PacedSide>> = {};
  private readonly lanes = new Map<Lane, LanePermits>();

  constructor(env: Env, config: Config, sleep: Sleep = realSleep) {
    const { pacing } = config;
    const side = (name: Side, side: SideConfig, rpm: number | null) => {
      if (rpm !== null) this.sides[name] = new PacedSide(env, name, side, rpm, pacing.backfillShare, sleep);
    };
    side("source", config.source, pacing.source);
    side("target", config.target, pacing.target);
  }

  lane(lane: Lane): LanePermits {
    let permits = this.lanes.get(lane);
    if (!permits) {
      permits = { source: this.sides.source?.permits(lane) ?? null, target: this.sides.target?.permits(lane) ?? null };
      this.lanes.set(lane, permits);
    }
    return permits;
  }

  /** Where each paced side's pacer stands (for /v1/status); null for an unpaced side. */
  async describe(): Promise<Record<Side, (LedgerState & { maxRpm: number }) | null>> {
    const one = async (side: PacedSide | undefined) => (side ? { maxRpm: side.rpm, ...(await (await side.pacer()).describe(side.rpm)) } : null);
    const [source, target] = await Promise.all([one(this.sides.source), one(this.sides.target)]);
    return { source, target };
  }

  /** Hands back what the invocation will not spend, so its permits count for nobody. */
  async release(): Promise<void> {
    await Promise.all([...this.lanes.values()].flatMap((l) => [l.source?.release(), l.target?.release()]));
  }
}

/** A side's pacer as an invocation reaches it, and what the API last said about the key's limit. */
class PacedSide {
  private stub: Promise<DurableObjectStub<Pacer>> | null = null;
  private seen: { limit: number; remaining: number; at: number } | null = null;

  constructor(
    private readonly env: Env,
    private readonly name: Side,
    private readonly side: SideConfig,
    readonly rpm: number,
    readonly backfillShare: number,
    readonly sleep: Sleep,
  ) {}

  permits(lane: Lane): SidePermits {
    return new SidePermits(this, lane);
  }

  /**
   * One pacer per side and key: rate limits belong to the key's organization, so a deployment
   * pointed at another key (or host) starts a pacer of its own. The name holds a digest, never the key.
   */
  pacer(): Promise<DurableObjectStub<Pacer>> {
    this.stub ??= (async () => {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${this.side.baseUrl}\n${this.side.apiKey}`));
      const hex = [...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("");
      return this.env.PACER.get(this.env.PACER.idFromName(`${this.name}:${hex}`));
    })();
    return this.stub;
  }

  /** Remembers the rate-limit headers of an answer, for the next pacer request to carry. */
  observe(headers: Headers): void {
    const limit = Number(headers.get("x-ratelimit-limit-requests"));
    const remaining = Number(headers.get("x-ratelimit-remaining-requests"));
    if (headers.has("x-ratelimit-remaining-requests") && limit > 0 && remaining >= 0) this.seen = { limit, remaining, at: Date.now() };
  }

  takeSeen(): { limit: number; remaining: number; ageMs: number } | undefined {
    const seen = this.seen;
    this.seen = null;
    return seen ? { limit: seen.limit, remaining: seen.remaining, ageMs: Date.now() - seen.at } : undefined;
  }
}

interface Held {
  grantId: number;
  left: number;
  startsAt: number;
  endsAt: number;
}

/** One lane's permits on one side, for one invocation. */
export class SidePermits implements CallPermits {
  private held: Held | null = null;
  private refusedUntil = 0;
  private asking: Promise<void> | null = null;
  private throttledMs: number | undefined;

  constructor(
    private readonly side: PacedSide,
    private readonly lane: Lane,
  ) {}

  /** A fetch that shows the side's pacer every answer's rate-limit headers. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    this.side.observe(res.headers);
    return res;
  };

  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const held = this.held;
      if (held && held.left > 0 && now < held.endsAt - SEND_MARGIN_MS) {
        held.left--;
        if (held.startsAt > now) await this.side.sleep(held.startsAt - now);
        return;
      }
      if (now < this.refusedUntil) throw new Paced(Math.ceil((this.refusedUntil - now) / 1000));
      await this.ask();
    }
  }

  /** Tells the pacer at once, so every invocation of the side waits; the next permit starts after the wait. */
  async throttled(retryAfterSeconds: number): Promise<void> {
    this.throttledMs = Math.max(this.throttledMs ?? 0, retryAfterSeconds * 1000);
    await this.ask();
    if (this.throttledMs !== undefined) await this.ask(); // it came in while another request was under way
  }

  async release(): Promise<void> {
    await this.asking;
    const held = this.held;
    this.held = null;
    if (held && held.left > 0) await (await this.side.pacer()).giveBack(held.grantId, held.left);
  }

  /** One pacer request at a time per invocation and lane: whoever needs permits meanwhile waits for its answer. */
  private ask(): Promise<void> {
    this.asking ??= this.request().finally(() => (this.asking = null));
    return this.asking;
  }

  private async request(): Promise<void> {
    const held = this.held;
    this.held = null;
    const throttledMs = this.throttledMs;
    this.throttledMs = undefined;
    const observed = this.side.takeSeen();
    const answer = await (await this.side.pacer()).take({
      lane: this.lane,
      want: PAGE_PERMITS,
      rpm: this.side.rpm,
      backfillShare: this.side.backfillShare,
      maxWaitMs: MAX_PERMIT_WAIT_MS,
      ...(held && held.left > 0 ? { unused: { grantId: held.grantId, count: held.left } } : {}),
      ...(throttledMs !== undefined ? { throttledMs } : {}),
      ...(observed ? { observed } : {}),
    });
    const now = Date.now();
    if (answer.granted > 0 && "grantId" in answer) {
      this.held = { grantId: answer.grantId, left: answer.granted, startsAt: now + answer.startsInMs, endsAt: now + answer.startsInMs + answer.validForMs };
    } else if ("retryAfterMs" in answer) {
      this.refusedUntil = now + answer.retryAfterMs;
    }
  }
}
