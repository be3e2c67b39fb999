import OpenAI from "openai";
import type { SideConfig } from "../config";

/** An SDK client for one side. Its own retries are off: the call core decides what is re-sent. */
export function sdkClient(side: SideConfig, timeoutMs: number): OpenAI {
  return new OpenAI({ apiKey: side.apiKey, baseURL: side.baseUrl, maxRetries: 0, timeout: timeoutMs });
}
