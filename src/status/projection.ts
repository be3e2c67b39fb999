const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface StatusInput {
  now: number;
  shutdownAt: number;
  /** Threads by status; those that can still migrate are what remains. */
  threads: Record<string, number> & { pending: number; migrating: number; failed: number };
  /** Threads migrated in each hour of the last 24 (hour: its start, ms), oldest first. */
  migratedByHour: readonly { hour: number; threads: number }[];
  lastRun: { startedAt: number; drainedAt: number | null; migrated: number } | null;
}

export interface Projection {
  seconds_until_shutdown: number;
  remaining: number;
  throughput: {
    last_24h: { threads_migrated: number; threads_per_hour: number; by_hour: { hour: string; threads_migrated: number }[] };
    last_run: { threads_migrated: number; threads_per_hour: number } | null;
  };
  projected_finish_at: string | null;
  on_track: boolean;
}

/**
 * Where the migration stands against the shutdown. Remaining work is every thread that can still
 * migrate (pending, migrating, failed); the pace is the last 24 hours', or the last run's when
 * nothing migrated in that window. Pure, so the figures can be checked by hand.
 */
export function project(input: StatusInput): Projection {
  const { now, shutdownAt, threads } = input;
  const remaining = threads.pending + threads.migrating + threads.failed;
  const migratedLast24h = input.migratedByHour.reduce((n, h) => n + h.threads, 0);
  const dayPace = migratedLast24h / (DAY_MS / HOUR_MS);
  const run = input.lastRun;
  const runHours = run ? Math.max((run.drainedAt ?? now) - run.startedAt, 1) / HOUR_MS : 0;
  const runPace = run ? run.migrated / runHours : 0;
  const pace = dayPace || runPace;

  const finish = remaining === 0 ? now : pace > 0 ? now + (remaining / pace) * HOUR_MS : null;
  return {
    seconds_until_shutdown: Math.floor((shutdownAt - now) / 1000),
    remaining,
    throughput: {
      last_24h: {
        threads_migrated: migratedLast24h,
        threads_per_hour: round(dayPace),
        by_hour: input.migratedByHour.map((h) => ({ hour: new Date(h.hour).toISOString(), threads_migrated: h.threads })),
      },
      last_run: run ? { threads_migrated: run.migrated, threads_per_hour: round(runPace) } : null,
    },
    projected_finish_at: finish === null ? null : new Date(finish).toISOString(),
    on_track: remaining === 0 || (finish !== null && finish <= shutdownAt),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
