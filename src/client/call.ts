import { backoffMs, RESEND } from "../retry";
import type { Budget } from "./budget";
import { AmbiguousWrite, type Classified, classify, RateLimited, Rejected, TokenUnavailable, TransientFailure } from "./errors";

/** A read may be re-sent; a write that may have landed never is (see AmbiguousWrite). */
export type CallKind = "read" | "write";

/** How a side reads a refusal (a 4xx other than 429): the source calls 404/410 "gone". */
export type RefusalRule = (refusal: Extract<Classified, { kind: "rejected" }>) => Error;

export const rejected: RefusalRule = (r) => new Rejected(r.message, r.status, r.code, r.param);

/** Sends a call at most this many times. */
const ATTEMPTS = 3;
/** Longest Retry-After honoured by waiting in place; longer ones go back to the queue with a delay. */
const MAX_INLINE_WAIT_MS = 5_000;

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A side's credential that a 401 may renew (an Entra token); a fixed key renews nothing. */
export interface RenewableCredential {
  /** Which credential a call is about to carry, noted before it is sent. */
  generation(): number;
  /** A call that carried `generation` got a 401: true when sending it once more may succeed. */
  refused(generation: number): boolean;
}

/** Where a paced side's calls get their permits (contract §7.1, src/pacing/). */
export interface CallPermits {
  /** Resolves when one call may be sent; throws when none can be had soon (the work goes back to the queue). */
  take(): Promise<void>;
  /** The API answered 429: the whole side waits, and the next permit starts after the wait. */
  throttled(retryAfterSeconds: number): Promise<void>;
}

/**
 * The one call core under the source and the target: every call spends the invocation's budget,
 * is re-sent only when that is safe (a failed read; a 429 or a 401, which applied nothing — the
 * 401 once, with a renewed token), and fails with an error that says what the caller may do. The
 * SDK's own retries are off.
 */
export class CallCore {
  constructor(
    readonly budget: Budget,
    /** Runs before every send, re-sends included: a migration's lease fence (it throws to stop the caller). */
    private readonly fence: () => Promise<void> = async () => {},
    /** The side's call permits; null when it is unpaced. Taken before the fence, so a wait for one cannot eat the lease's margin. */
    private readonly permits: CallPermits | null = null,
    private readonly sleep: Sleep = realSleep,
    private readonly credential: RenewableCredential | null = null,
  ) {}

  /** The same core (budget, fence) for one side's calls, whose 401s may renew that side's credential. */
  withCredential(credential: RenewableCredential): CallCore {
    return new CallCore(this.budget, this.fence, this.permits, this.sleep, credential);
  }

  async call<T>(kind: CallKind, send: () => Promise<T>, refusal: RefusalRule = rejected): Promise<T> {
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      await this.permits?.take();
      await this.fence();
      this.budget.spend();
      const generation = this.credential?.generation() ?? 0;
      try {
        return await send();
      } catch (err) {
        if (err instanceof TokenUnavailable) throw err.reason;
        const failure = classify(err);
        // A token can stop being accepted before it expires: one fresh token, one re-send (a 401 applied nothing).
        if (failure.kind === "rejected" && failure.status === 401 && !renewed && this.credential?.refused(generation)) {
          renewed = true;
          continue;
        }
        if (failure.kind === "rejected") throw refusal(failure);
        const more = attempt < ATTEMPTS && this.budget.canAfford(1);
        if (failure.kind === "rate_limited" && this.permits) {
          // Paced: the pacer makes every invocation of the side wait, and the next permit waits for us.
          await this.permits.throttled(failure.retryAfter);
          if (!more) throw new RateLimited(failure.retryAfter);
          continue;
        }
        if (failure.kind === "rate_limited") {
          const waitMs = failure.retryAfter * 1000;
          if (!more || waitMs > MAX_INLINE_WAIT_MS) throw new RateLimited(failure.retryAfter);
          await this.sleep(waitMs);
          continue;
        }
        if (kind === "write") throw new AmbiguousWrite(failure.message, failure.status);
        if (!more) throw new TransientFailure(failure.message, failure.status);
        await this.sleep(backoffMs(attempt, RESEND));
      }
    }
  }

  /** Every page of a list, oldest first. */
  async allPages<T extends { id: string }>(list: (after: string | null) => PromiseLike<{ data: T[]; has_more: boolean }>, refusal?: RefusalRule): Promise<T[]> {
    const all: T[] = [];
    let after: string | null = null;
    do {
      const page: { data: T[]; has_more: boolean } = await this.call("read", async () => list(after), refusal);
      all.push(...page.data);
      after = page.has_more ? (page.data.at(-1)?.id ?? null) : null;
    } while (after);
    return all;
  }
}

/** The list query's cursor: `after` only when there is one. */
export const cursor = (after: string | null | undefined): { after?: string } => (after ? { after } : {});
