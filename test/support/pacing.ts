// Pacing under test: the pacer's ledger driven by simulated invocations on a clock the test owns,
// and, for the Worker, a fresh paced key per test and a pacer namespace that counts its requests.
import { env } from "cloudflare:test";
import { type Lane, PAGE_PERMITS, PermitLedger, type TakeRequest, WINDOW_MS } from "../../src/pacing/ledger";
import { fake } from "./fake";
import { uniqueThreadId } from "./ferry";
import { drainQueue } from "./queue";
import { prng } from "../../fake-openai/faults";

export interface SimWorker {
  lane: Lane;
  /** Calls it wants a minute; Infinity: as many as it can get (a saturating backfill). */
  demandPerMinute: number;
}

export interface Send {
  at: number;
  lane: Lane;
}

export interface Simulation {
  rpm: number;
  backfillShare?: number;
  durationMs: number;
  workers: SimWorker[];
  /** How long a call takes, uniformly between the two (default 20 ms to 1.5 s: some permits are spent late, some expire). */
  callMs?: [number, number];
  /** 429s the API answers: at this time, saying to wait this long (the worker that sent last reports it). */
  throttles?: { at: number; waitMs: number }[];
  seed?: number;
}


/**
 * Invocations taking a page of permits at a time from one ledger, as the Worker does, and spending
 * each somewhere within its span (calls take 20 ms to 1.5 s, so some permits are spent late and some
 * expire and are handed back). Returns every call sent, and the ledger.
 */
export function simulate(sim: Simulation): { sends: Send[]; waits: { lane: Lane; at: number; ms: number }[]; ledger: PermitLedger } {
  const ledger = new PermitLedger();
  const rand = prng(sim.seed ?? 1); // deterministic, so a failing run replays
  const sends: Send[] = [];
  /** How long each request for permits had to wait for their start (or, refused, to ask again). */
  const waits: { lane: Lane; at: number; ms: number }[] = [];
  const throttles = [...(sim.throttles ?? [])];
  const workers = sim.workers.map((w) => ({ ...w, next: rand() * 1000, held: null as null | { id: number; left: number; start: number; end: number }, throttled: 0 }));
  const request = (w: (typeof workers)[number]): TakeRequest => ({
    lane: w.lane,
    want: PAGE_PERMITS,
    rpm: sim.rpm,
    backfillShare: sim.backfillShare ?? 0.8,
    maxWaitMs: 5_000,
    ...(w.held && w.held.left > 0 ? { unused: { grantId: w.held.id, count: w.held.left } } : {}),
    ...(w.throttled ? { throttledMs: w.throttled } : {}),
  });
  for (let now = 0; now < sim.durationMs; now += 10) {
    for (const w of workers) {
      if (w.next > now) continue;
      const held = w.held;
      if (held && held.left > 0 && now >= held.start && now < held.end - 250) {
        held.left--;
        sends.push({ at: now, lane: w.lane });
        if (throttles[0] && now >= throttles[0].at) w.throttled = throttles.shift()!.waitMs;
        const pause = Number.isFinite(w.demandPerMinute) ? WINDOW_MS / w.demandPerMinute : 0;
        const [fastest, slowest] = sim.callMs ?? [20, 1500];
        w.next = now + Math.max(fastest + rand() * (slowest - fastest), pause * (0.5 + rand()));
        if (w.throttled) w.next = now; // a 429 is reported at once
        continue;
      }
      if (held && held.left > 0 && now < held.start) {
        w.next = held.start;
        continue;
      }
      const grant = ledger.take(now, request(w));
      w.throttled = 0;
      waits.push({ lane: w.lane, at: now, ms: "startsInMs" in grant ? grant.startsInMs : grant.retryAfterMs });
      if (grant.granted > 0 && "grantId" in grant) {
        w.held = { id: grant.grantId, left: grant.granted, start: now + grant.startsInMs, end: now + grant.startsInMs + grant.validForMs };
        w.next = w.held.start;
      } else {
        w.held = null;
        w.next = now + ("retryAfterMs" in grant ? grant.retryAfterMs : 1000); // handed back; a later invocation asks again
      }
    }
  }
  return { sends, waits, ledger };
}

/** The most calls any window of `windowMs` holds (two pointers over the sorted send times). */
export function busiestWindow(times: readonly number[], windowMs = WINDOW_MS): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/** Calls per lane between two times. */
export const callsBetween = (sends: readonly Send[], from: number, to: number, lane?: Lane) =>
  sends.filter((s) => s.at >= from && s.at < to && (!lane || s.lane === lane)).length;

let keys = 0;
/**
 * A target key of its own for one test, limited by the fake to `requests` a window when given:
 * the pacer is named after its key, so each test starts with a fresh one. The source keeps the
 * test key (unlimited), so the fake's window on this key holds the target's calls alone.
 */
export async function pacedKey(rateLimit?: { requests: number; windowMs?: number }) {
  const key = `sk-paced-${Date.now().toString(36)}-${keys++}`;
  await fake.configure({ apiKeys: ["sk-test", key], rateLimit: rateLimit ? { ...rateLimit, keys: [key] } : null });
  return { OPENAI_API_KEY: key, ASSISTANTS_API_KEY: "sk-test" };
}

/**
 * A backfill that wants more than the target's rate allows: 10 threads of 30 messages (2 writes each,
 * 20 target calls) under OPENAI_MAX_RPM=rpm, the fake limiting the key to the same. Drained with
 * what found no permit held back; returns the env it ran under and its invocations.
 */
export async function saturatedBackfill(rpm: number) {
  const env = { ...(await pacedKey({ requests: rpm })), OPENAI_MAX_RPM: String(rpm) };
  const threads = [];
  for (let i = 0; i < 10; i++) threads.push(await fake.createThread({ id: uniqueThreadId("bf"), generate: 30 }));
  await fake.clearCalls();
  const invocations = await drainQueue(threads.map((thread_id) => ({ type: "migrate_thread", thread_id })), env, { holdDelayed: true });
  return { env, invocations };
}

/** Target-side routes, as the fake logs them (what a paced target key is spent on). */
export const isTargetCall = (route: string) => / \/v1\/(conversations|files|vector_stores)/.test(route);

/** The PACER namespace, counting what is asked of each side's pacer, as "target.take", "source.giveBack"… */
export function countingPacers() {
  const counts: Record<string, number> = {};
  const real = env.PACER;
  const sides = new Map<string, string>();
  const namespace = {
    idFromName: (name: string) => {
      const id = real.idFromName(name);
      sides.set(id.toString(), name.split(":")[0]!);
      return id;
    },
    get: (id: DurableObjectId) => {
      const stub = real.get(id);
      const side = sides.get(id.toString());
      const counted = <A extends unknown[], R>(method: string, call: (...args: A) => R) => (...args: A) => {
        counts[`${side}.${method}`] = (counts[`${side}.${method}`] ?? 0) + 1;
        return call(...args);
      };
      // The pacer's RPC methods, one by one (an RPC stub cannot be wrapped in a Proxy).
      return {
        take: counted("take", (request: Parameters<typeof stub.take>[0]) => stub.take(request)),
        giveBack: counted("giveBack", (grantId: number, count: number) => stub.giveBack(grantId, count)),
        describe: counted("describe", (rpm: number) => stub.describe(rpm)),
      };
    },
  };
  return { PACER: namespace as unknown as Env["PACER"], counts };
}
