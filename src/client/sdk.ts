import OpenAI from "openai";
import type { SideConfig } from "../config";

/**
 * An SDK client for one side. Its own retries are off: the call core decides what is re-sent.
 * `fetch`, when given, sends every request (a paced side's, which reads the rate-limit headers).
 */
export function sdkClient(side: SideConfig, timeoutMs: number, fetch?: typeof globalThis.fetch): OpenAI {
  return new OpenAI({ apiKey: side.apiKey, baseURL: side.baseUrl, maxRetries: 0, timeout: timeoutMs, ...(fetch ? { fetch } : {}) });
}
