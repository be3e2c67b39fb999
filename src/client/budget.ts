/**
 * Subrequests a single Worker invocation may still spend (API calls and D1 statements alike),
 * so a long migration stops at a checkpoint and hands over instead of hitting the platform limit.
 */
export class Budget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** Subrequests spent so far. */
  get spent(): number {
    return this.used;
  }

  spend(n = 1): void {
    if (!this.canAfford(n)) throw new BudgetExhausted();
    this.used += n;
  }

  canAfford(n: number): boolean {
    return this.used + n <= this.limit;
  }
}

export class BudgetExhausted extends Error {
  constructor() {
    super("subrequest budget of this invocation is spent");
  }
}
