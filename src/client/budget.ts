/**
 * Subrequests a single Worker invocation may still spend (API calls and D1 statements alike),
 * so a long migration stops at a checkpoint and hands over instead of hitting the platform limit.
 */
export class Budget {
  private spent = 0;
  constructor(readonly limit: number) {}

  spend(n = 1): void {
    if (!this.canAfford(n)) throw new BudgetExhausted();
    this.spent += n;
  }

  canAfford(n: number): boolean {
    return this.spent + n <= this.limit;
  }
}

export class BudgetExhausted extends Error {
  constructor() {
    super("subrequest budget of this invocation is spent");
  }
}
