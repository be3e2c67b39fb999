// Part 1: GET /v1/threads/{id} for migrated threads against GET /healthz on the same server, same
// client (autocannon), same connections and duration. A settled migration is answered from the
// isolate's cache after its first read, so the D1 read itself is measured separately, on threads
// still pending (never cached).
import autocannon from "autocannon";
import { profileIsolate, type IsolateProfile } from "./inspector";
import { FerryApi } from "./ferry-api";
import { API_TOKEN, CpuMeter, type FerryInstance } from "./stack";

export interface LoadResult {
  /** Completed 2xx requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Non-2xx answers plus connection errors and timeouts: must be 0 for the numbers to mean anything. */
  bad: number;
  cpu: Record<string, number>;
}

export interface ProfiledPass extends IsolateProfile {
  requests: number;
}

export interface LookupResult {
  healthz: LoadResult;
  lookup: LoadResult;
  /** Lookups that read D1 every time (pending threads). */
  d1: LoadResult;
  seconds: number;
  connections: number;
  ids: number;
  /** Where ferry's isolate spends its time, per target (separate passes under the profiler, not measured). */
  profiles: { healthz: ProfiledPass | null; lookup: ProfiledPass | null };
}

export async function runLookup(ferry: FerryInstance, ids: readonly string[], seconds: number, connections: number): Promise<LookupResult> {
  if (!ids.length) throw new Error("the lookup needs migrated threads");
  const pending = ids.map((id) => `${id}_pending`);
  await new FerryApi(ferry.url).importThreads(pending);
  let next = 0;
  const target = {
    healthz: () => "/healthz",
    lookup: () => `/v1/threads/${ids[next++ % ids.length]}`,
    d1: () => `/v1/threads/${pending[next++ % pending.length]}`,
  };
  const warmup = Math.max(1, Math.round(seconds / 5));
  const run = async (pathFor: () => string, duration: number): Promise<LoadResult> => {
    const cpu = new CpuMeter(ferry.pgid);
    const res = await autocannon({
      url: ferry.url,
      connections,
      duration,
      timeout: 10,
      // Both targets carry the same header and go through the same per-request hook.
      headers: { Authorization: `Bearer ${API_TOKEN}` },
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: pathFor() }) }],
    });
    return {
      rps: res["2xx"] / res.duration,
      p50: res.latency.p50,
      p99: res.latency.p99,
      requests: res["2xx"],
      bad: res.non2xx + res.errors + res.timeouts,
      cpu: cpu.read(),
    };
  };
  await run(target.healthz, warmup);
  const healthz = await run(target.healthz, seconds);
  await run(target.lookup, warmup);
  const lookup = await run(target.lookup, seconds);
  await run(target.d1, warmup);
  const d1 = await run(target.d1, seconds);
  // The profiler slows the isolate down, so it samples passes of its own after the measured ones.
  const profiled = async (pathFor: () => string): Promise<ProfiledPass | null> => {
    let requests = 0;
    const profile = await profileIsolate(ferry.inspectorPort, async () => (requests = (await run(pathFor, warmup)).requests));
    return profile && requests ? { ...profile, requests } : null;
  };
  const profiles = { healthz: await profiled(target.healthz), lookup: await profiled(target.d1) };
  return { healthz, lookup, d1, seconds, connections, ids: ids.length, profiles };
}
