// ferry's isolate through wrangler's inspector proxy (Chrome DevTools Protocol):
// - its V8 heap (Runtime.getHeapUsage): the memory the 128 MB Worker limit is about, apart from
//   workerd's own;
// - switching off DevTools network tracing: wrangler's inspector proxy enables the Network domain
//   and forwards every event it produces (4 per subrequest: each OpenAI call, each D1 query) to
//   wrangler's Node process as one HTTP POST each, a local-dev-only cost that production never pays.
// Needs a global WebSocket (Node ≥ 22, or Node 20 with --experimental-websocket, which the bench
// script passes); without one the heap is reported as not measured and tracing stays on.

interface WsLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void;
}
type WsCtor = new (url: string, init: { headers: Record<string, string> }) => WsLike;

export class Inspector {
  private ws: WsLike | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, (result: Record<string, unknown> | null) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  /** Highest sampled V8 heap in use, and in use plus memory outside the V8 heap (ArrayBuffers, embedder). */
  peakUsed = 0;
  peakWithExternal = 0;
  /** Highest sampled V8 heap size committed (in use + free space V8 holds on to). */
  peakCommitted = 0;
  samples = 0;

  /** Connects; resolves false when no WebSocket is available or the inspector does not answer. */
  async connect(port: number): Promise<boolean> {
    const WebSocketImpl = (globalThis as unknown as { WebSocket?: WsCtor }).WebSocket;
    if (!WebSocketImpl) return false;
    // wrangler's inspector proxy insists on a local Origin.
    const ws = new WebSocketImpl(`ws://127.0.0.1:${port}/ws`, { headers: { Origin: "http://localhost" } });
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown>; error?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.error ? null : (msg.result ?? null));
      if (msg.id !== undefined) this.waiting.delete(msg.id);
    });
    const opened = await new Promise<boolean>((resolve) => {
      ws.addEventListener("open", () => resolve(true));
      ws.addEventListener("error", () => resolve(false));
      setTimeout(() => resolve(false), 10_000);
    });
    if (!opened) return false;
    this.ws = ws;
    return (await this.usedBytes()) !== null;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown> | null> {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timeout = setTimeout(() => {
        this.waiting.delete(id);
        resolve(null);
      }, 30_000);
      this.waiting.set(id, (result) => {
        clearTimeout(timeout);
        resolve(result);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async heapUsage(): Promise<{ used: number; committed: number; external: number } | null> {
    const res = await this.send("Runtime.getHeapUsage");
    if (typeof res?.usedSize !== "number") return null;
    const num = (v: unknown) => (typeof v === "number" ? v : 0);
    return { used: res.usedSize, committed: num(res.totalSize), external: num(res.embedderHeapUsedSize) + num(res.backingStorageSize) };
  }

  async usedBytes(): Promise<number | null> {
    return (await this.heapUsage())?.used ?? null;
  }

  start(intervalMs: number): void {
    this.peakUsed = 0;
    this.peakWithExternal = 0;
    this.peakCommitted = 0;
    this.samples = 0;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void this.heapUsage().then((heap) => {
        this.busy = false;
        if (heap === null) return;
        this.samples++;
        this.peakUsed = Math.max(this.peakUsed, heap.used);
        this.peakWithExternal = Math.max(this.peakWithExternal, heap.used + heap.external);
        this.peakCommitted = Math.max(this.peakCommitted, heap.committed + heap.external);
      });
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stop();
    this.ws?.close();
    this.ws = null;
  }
}

/**
 * Turns DevTools network tracing off in ferry's isolate for the rest of this wrangler instance
 * (the proxy only enables it when it first connects to the runtime). False when it could not.
 */
export async function disableNetworkTracing(port: number): Promise<boolean> {
  const inspector = new Inspector();
  try {
    if (!(await inspector.connect(port))) return false;
    return (await inspector.send("Network.disable")) !== null;
  } finally {
    inspector.close();
  }
}

export interface ProfileEntry {
  /** `function (file:line)` as the bundle names it. */
  frame: string;
  /** Share of the isolate's busy samples with this frame anywhere on the stack. */
  inclusive: number;
  /** Share with this frame on top. */
  self: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const NOT_BUSY = new Set(["(idle)", "(program)", "(root)"]);

export interface IsolateProfile {
  /** Frames with the largest inclusive share of busy samples. */
  top: ProfileEntry[];
  /** Milliseconds the isolate was busy (not idle) during the profiled load. */
  busyMs: number;
}

/**
 * Samples ferry's isolate with the V8 CPU profiler while `load` runs, and returns where its busy
 * time went. Null when the inspector is not reachable.
 */
export async function profileIsolate(port: number, load: () => Promise<unknown>, top = 12): Promise<IsolateProfile | null> {
  const inspector = new Inspector();
  try {
    if (!(await inspector.connect(port))) return null;
    await inspector.send("Profiler.enable");
    await inspector.send("Profiler.setSamplingInterval", { interval: 250 });
    await inspector.send("Profiler.start");
    await load();
    const res = await inspector.send("Profiler.stop");
    const profile = res?.profile as Profile | undefined;
    return profile ? summarize(profile, top) : null;
  } finally {
    inspector.close();
  }
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between consecutive samples. */
  timeDeltas: number[];
}

function summarize(profile: Profile, top: number): IsolateProfile {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frame = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"} (${n.callFrame.url.split("/").pop() || "native"}:${n.callFrame.lineNumber + 1})`;
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  let busy = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const leaf = nodes.get(id);
    if (!leaf || NOT_BUSY.has(leaf.callFrame.functionName)) return;
    busy++;
    // A sample stands for the time until the next one.
    busyUs += profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    self.set(frame(leaf), (self.get(frame(leaf)) ?? 0) + 1);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = nodes.get(cur)!;
      if (NOT_BUSY.has(n.callFrame.functionName)) continue;
      const f = frame(n);
      if (!seen.has(f)) inclusive.set(f, (inclusive.get(f) ?? 0) + 1);
      seen.add(f);
    }
  });
  const entries = [...inclusive.entries()]
    .filter(([f]) => !f.startsWith("(anonymous)"))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([f, n]) => ({ frame: f, inclusive: n / busy, self: (self.get(f) ?? 0) / busy }));
  return { top: entries, busyMs: busyUs / 1000 };
}
