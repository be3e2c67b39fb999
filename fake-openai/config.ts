// The fake's settings, switchable at run time (`POST /__control/config`, `state.configure`).

import { invalid } from "./errors";
import { NO_RANDOM_FAULTS, type RandomFaults } from "./faults";
import type { IngestConfig } from "./ingestion";
import { checkRateLimit, type RateLimitConfig } from "./rate-limit";

export interface FakeConfig {
  /** Added to every /v1 call. */
  latencyMs: number;
  random: RandomFaults;
  /** Assistants API shutdown switch: every /v1/threads* and /v1/assistants* answers this. */
  assistantsGone: 404 | 410 | null;
  /** Accepted bearer keys. */
  apiKeys: string[];
  /**
   * The legacy `GET /v1/assistants/{id}/files` with `OpenAI-Beta: assistants=v1`:
   * "on" answers the list; 400 is what api.openai.com answers today (v1 deprecated,
   * code invalid_beta); 404 a removed route; 410 an explicit shutdown.
   */
  v1Files: "on" | 400 | 404 | 410;
  /** When vector store ingestion finishes; captured per batch/store when it is created. */
  ingest: IngestConfig;
  /** Per-key sliding-window request limit (`x-ratelimit-*`, 429); null: unlimited. */
  rateLimit: RateLimitConfig | null;
}
export type ConfigPatch = Partial<Omit<FakeConfig, "random" | "ingest" | "rateLimit">> & {
  random?: Partial<RandomFaults>;
  ingest?: Partial<IngestConfig>;
  rateLimit?: { requests: number; windowMs?: number; keys?: string[] } | null;
};

/** What a reset goes back to; keys and latency are the ones the fake was started with. */
export function defaultConfig(start: { apiKeys: string[]; latencyMs: number }): FakeConfig {
  return {
    latencyMs: start.latencyMs,
    random: { ...NO_RANDOM_FAULTS, retryAfter: 1, seed: 1 },
    assistantsGone: null,
    apiKeys: [...start.apiKeys],
    v1Files: "on",
    ingest: { afterPolls: 0, afterMs: 0 },
    rateLimit: null,
  };
}

/** `random` and `ingest` merge key by key; everything else given replaces. */
export function mergeConfig(config: FakeConfig, patch: ConfigPatch): FakeConfig {
  const { random, ingest, rateLimit, ...rest } = patch;
  if (rest.v1Files !== undefined && !["on", 400, 404, 410].includes(rest.v1Files))
    throw invalid("v1Files", `Invalid 'v1Files': expected "on", 400, 404 or 410.`);
  for (const [k, v] of Object.entries(ingest ?? {}))
    if (!["afterPolls", "afterMs"].includes(k) || typeof v !== "number" || !(v >= 0))
      throw invalid(`ingest.${k}`, `Invalid 'ingest.${k}': expected afterPolls/afterMs, a number >= 0.`);
  return {
    ...config,
    ...rest,
    random: { ...config.random, ...random },
    ingest: { ...config.ingest, ...ingest },
    rateLimit: rateLimit === undefined ? config.rateLimit : checkRateLimit(rateLimit),
  };
}
