// Command-line options of `npm run bench`, with the full and --quick defaults.
import { parseArgs } from "node:util";
import { FAULT_MIX } from "../fake-openai/faults";

export interface BenchOptions {
  quick: boolean;
  /** Injected latency of every fake OpenAI call, in ms. */
  latencyMs: number;
  /** Threads in the backfill (and in the baseline, and under faults). */
  threads: number;
  /** Messages per backfill thread. */
  messages: number;
  /** Messages of the one huge thread. */
  hugeMessages: number;
  /** Seconds autocannon runs against each lookup target. */
  lookupSeconds: number;
  connections: number;
  /** QUEUE_CONCURRENCY passed with --var; undefined = ferry's own default (src/config.ts). */
  queueConcurrency: number | undefined;
  /** Extra happy-path backfill with this QUEUE_CONCURRENCY (--var); undefined = not run. */
  compareConcurrency: number | undefined;
  /** Seed of the fake's random faults (part 4). */
  faultSeed: number;
  /** Size of the multi-gigabyte export ingested by part "export" (0: not run). */
  exportGb: number;
  /** Leave wrangler's DevTools network tracing on (see inspector.ts). */
  devtoolsNetwork: boolean;
  /** Part 8: the target's limit (the fake's window and OPENAI_MAX_RPM), calls a minute. */
  pacingRpm: number;
  /** Part 8: threads in each backfill under the limit (40 messages: 2 target calls each). */
  pacingThreads: number;
  /** Part 8: how long the lazy stream runs alone first, ms. */
  pacingAloneMs: number;
  /** Part 9: the numbers of threads in local D1 to measure at. */
  scaleSizes: number[];
  /** Part 9: timed requests per route and size. */
  scaleRequests: number;
  parts: Set<Part>;
  out: string;
}

export const PARTS = ["backfill", "lookup", "baseline", "faults", "huge", "export", "pacing", "scale"] as const;
export type Part = (typeof PARTS)[number];

export const HELP = `Usage: npm run bench -- [options]

Benchmarks ferry (wrangler dev --local) against the fake OpenAI with a fixed latency per call,
and a sequential openai-SDK script (the baseline) against the same fake, in one run. Prints a
markdown table and writes it to bench/results/latest.md (--quick: bench/results/quick.md).

  --quick                    every part small: the whole run takes under a minute
  --latency MS               injected latency per OpenAI call (default 50)
  --threads N                backfill threads (default 500, quick 40)
  --messages M               messages per backfill thread (default 40)
  --huge N                   messages of the one huge thread (default 10000, quick 1000)
  --lookup-seconds S         autocannon duration per target (default 10, quick 2)
  --connections C            autocannon connections (default 10)
  --queue-concurrency C      pass QUEUE_CONCURRENCY=C to ferry (default: ferry's own default)
  --compare-concurrency C    also run the backfill with QUEUE_CONCURRENCY=C (default 10; quick: off; 0: off)
  --fault-seed N             seed of the random faults (default ${FAULT_MIX.seed})
  --export-gb G              part "export" also ingests a file of about G GB on its own instance
                             (default 0: not run; 2 GB takes some minutes and 2× G of disk)
  --pacing-rpm R             part 8: the target's limit and OPENAI_MAX_RPM, calls/min (default 1200, quick 600)
  --pacing-threads N         part 8: threads in each backfill under the limit (default 1200, quick 120)
  --scale N,M                part 9: thread counts in local D1 (default 100000,1000000; quick 10000,100000)
  --devtools-network         leave wrangler's DevTools network tracing on (by default the bench
                             switches it off: wrangler forwards each traced event to its Node
                             process, a local-only cost of every OpenAI call and D1 query)
  --only a,b                 run only these parts: ${PARTS.join(", ")}
  --out FILE                 where to write the markdown (default above)
  --help                     this text

Nothing here is a test: targets are reported, never asserted.`;

const FLAGS = {
  quick: { type: "boolean" },
  help: { type: "boolean" },
  "devtools-network": { type: "boolean" },
  latency: { type: "string" },
  threads: { type: "string" },
  messages: { type: "string" },
  huge: { type: "string" },
  "lookup-seconds": { type: "string" },
  connections: { type: "string" },
  "queue-concurrency": { type: "string" },
  "compare-concurrency": { type: "string" },
  "fault-seed": { type: "string" },
  "export-gb": { type: "string" },
  "pacing-rpm": { type: "string" },
  "pacing-threads": { type: "string" },
  scale: { type: "string" },
  only: { type: "string" },
  out: { type: "string" },
} as const;

/** The flags that take a whole number. */
type IntFlag =
  | "latency" | "threads" | "messages" | "huge" | "lookup-seconds" | "connections" | "queue-concurrency" | "compare-concurrency" | "fault-seed" | "export-gb" | "pacing-rpm" | "pacing-threads";

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function parseOptions(argv: string[]): BenchOptions {
  const flags = parseFlags(argv);
  if (flags.help) throw new UsageError(null);

  const quick = !!flags.quick;
  const int = (name: IntFlag, fallback: number, min = 1): number => {
    const raw = flags[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const parts = new Set<Part>(flags.only !== undefined ? (flags.only.split(",") as Part[]) : PARTS);
  for (const p of parts) if (!PARTS.includes(p)) throw new UsageError(`--only: unknown part ${p}`);
  // The lookup reads the threads the backfill migrated.
  if (parts.has("lookup")) parts.add("backfill");
  const compare = int("compare-concurrency", quick ? 0 : 10, 0);

  const threads = int("threads", quick ? 40 : 500);
  if (threads > 100_000) throw new UsageError("--threads: at most 100000");
  const scaleSizes = (flags.scale ?? (quick ? "10000,100000" : "100000,1000000")).split(",").map(Number);
  if (!scaleSizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 9_999_999)) throw new UsageError("--scale: thread counts from 1 to 9999999, comma-separated");
  return {
    quick,
    latencyMs: int("latency", 50, 0),
    threads,
    messages: int("messages", 40),
    hugeMessages: int("huge", quick ? 1000 : 10_000),
    lookupSeconds: int("lookup-seconds", quick ? 2 : 10),
    connections: int("connections", 10),
    queueConcurrency: flags["queue-concurrency"] !== undefined ? int("queue-concurrency", 6) : undefined,
    compareConcurrency: compare > 0 ? compare : undefined,
    faultSeed: int("fault-seed", FAULT_MIX.seed, 0),
    exportGb: int("export-gb", 0, 0),
    devtoolsNetwork: !!flags["devtools-network"],
    pacingRpm: int("pacing-rpm", quick ? 600 : 1200),
    pacingThreads: int("pacing-threads", quick ? 120 : 1200),
    pacingAloneMs: quick ? 10_000 : 30_000,
    scaleSizes,
    scaleRequests: quick ? 10 : 30,
    parts,
    out: flags.out ?? (quick ? "bench/results/quick.md" : "bench/results/latest.md"),
  };
}

/** Bad command line; a null message means --help. */
export class UsageError extends Error {
  constructor(readonly detail: string | null) {
    super(detail ?? "help");
  }
}
