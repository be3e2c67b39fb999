import { DurableObject } from "cloudflare:workers";
import { type Grant, type LedgerState, PermitLedger, type TakeRequest } from "./ledger";

/**
 * One side's pacer (contract §7.1): every invocation of the Worker takes its call permits here, so
 * the limit holds across all of them. A Durable Object handles one request at a time, which is the
 * whole concurrency story. The ledger lives in memory: it only ever needs the last minute, and an
 * object that was evicted had no grant still counting (eviction follows idleness). A restart under
 * load (a deploy) forgets the last minute's grants; the 429 handling then covers that minute.
 */
export class Pacer extends DurableObject<Env> {
  private readonly ledger = new PermitLedger();

  take(request: TakeRequest): Grant {
    return this.ledger.take(Date.now(), request);
  }

  /** Permits of a grant that will never be spent, handed back by an invocation that is done. */
  giveBack(grantId: number, count: number): void {
    this.ledger.giveBack(grantId, count);
  }

  describe(rpm: number): LedgerState {
    return this.ledger.describe(Date.now(), rpm);
  }
}
