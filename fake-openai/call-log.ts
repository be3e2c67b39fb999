// Every /v1 call the fake received, by templated route: how tests and the bench count calls.

export interface CallRecord {
  method: string;
  path: string;
  /** Templated, e.g. "GET /v1/threads/{id}/messages". */
  route: string;
  /** null while the request is still in flight (e.g. hanging). */
  status: number | null;
  at: number;
}

export interface CallLogSnapshot {
  total: number;
  byRoute: Record<string, number>;
  calls: CallRecord[];
}

const MAX_LOGGED_CALLS = 50_000; // totals stay exact; only the detailed list is capped

export class CallLog {
  private calls: CallRecord[] = [];
  private total = 0;
  private byRoute: Record<string, number> = {};

  /** Logs a call on arrival; the caller sets `status` once it answers. */
  log(method: string, path: string, route: string): CallRecord {
    const call: CallRecord = { method, path, route, status: null, at: Date.now() };
    this.total++;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    this.calls.push(call);
    if (this.calls.length > MAX_LOGGED_CALLS) this.calls.shift();
    return call;
  }

  snapshot(): CallLogSnapshot {
    return { total: this.total, byRoute: { ...this.byRoute }, calls: [...this.calls] };
  }

  clear(): void {
    this.calls = [];
    this.total = 0;
    this.byRoute = {};
  }
}
