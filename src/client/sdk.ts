import OpenAI, { type ClientOptions } from "openai";
import type { SideConfig } from "../config";
import type { CallCore } from "./call";
import { entraTokens } from "./entra";
import { TokenUnavailable } from "./errors";

/** One side as ferry talks to it: an SDK client, and the call core its calls go through. */
export interface Side {
  client: OpenAI;
  core: CallCore;
  /**
   * Whether the host wants the `OpenAI-Beta` header: OpenAI and OpenAI-compatible hosts (`bearer`
   * auth) do; Azure hosts do not (Microsoft's REST references for Foundry agents and for Azure
   * OpenAI Assistants send none).
   */
  beta: boolean;
}

/**
 * Per-call SDK options carrying `OpenAI-Beta: <value>` where the host wants it, and taking it out
 * elsewhere: the SDK adds `assistants=v2` to every Assistants and vector-store call by itself.
 */
export const betaHeader = (side: Pick<Side, "beta">, value = "assistants=v2"): OpenAI.RequestOptions => ({ headers: { "OpenAI-Beta": side.beta ? value : null } });

/**
 * An SDK client for one side, wired through the SDK's own hooks: `apiKey` (a key, or a function
 * answering the side's Entra token), `defaultHeaders` (Azure's `api-key`), `defaultQuery`
 * (`api-version` on every call). Its own retries are off: the call core decides what is re-sent.
 *
 * Why not the SDK's `AzureOpenAI` class: it always sets `api-version` (the Azure OpenAI v1 API
 * takes none), derives `<endpoint>/openai` as the base URL (a Foundry project endpoint is
 * `…/api/projects/<project>`, no `/openai`), sends a string key only as `api-key` (Foundry takes
 * Entra tokens only) and rewrites just the deployment-scoped paths (completions, chat, embeddings,
 * audio, images, batches), none of which ferry calls. What it adds over `OpenAI` is exactly these
 * three hooks, which work the same for every host and pairing.
 *
 * `fetch`, when given, sends every request (a paced side's, which reads the rate-limit headers).
 */
export function connectSide(side: SideConfig, timeoutMs: number, core: CallCore, fetch?: typeof globalThis.fetch): Side {
  const options: ClientOptions = {
    baseURL: side.baseUrl,
    maxRetries: 0,
    timeout: timeoutMs,
    ...(fetch ? { fetch } : {}),
    ...(side.apiVersion ? { defaultQuery: { "api-version": side.apiVersion } } : {}),
  };
  if (side.entra) {
    const tokens = entraTokens(side.entra.app, side.entra.scope, timeoutMs);
    // The token fetch spends this invocation's budget through the same core, without the 401 renewal (its own 401 is a refusal).
    const client = new OpenAI({ ...options, apiKey: () => tokens.get(core).catch((err: unknown) => Promise.reject(new TokenUnavailable(err))) });
    return { client, core: core.withCredential(tokens), beta: false };
  }
  if (side.auth === "api-key") {
    // The SDK insists on an apiKey; its Bearer header is taken out again, so only `api-key` carries the key.
    const client = new OpenAI({ ...options, apiKey: side.apiKey, defaultHeaders: { "api-key": side.apiKey, Authorization: null } });
    return { client, core, beta: false };
  }
  return { client: new OpenAI({ ...options, apiKey: side.apiKey }), core, beta: true };
}
