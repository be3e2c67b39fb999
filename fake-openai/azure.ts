// Azure's route layouts beside OpenAI's, over the same stores:
//
// - Azure AI Foundry classic agents: `/api/projects/{project}/threads…`, `…/assistants…`
//   (Entra bearer tokens only, `api-version` required);
// - Azure OpenAI's dated API, the old Assistants source: `/openai/threads…`, `/openai/assistants…`
//   (`api-key` or Entra, `api-version` required);
// - Azure OpenAI's v1 API, a target: `/openai/v1/conversations…`, `/openai/v1/files…`,
//   `/openai/v1/vector_stores…` (`api-key` or Entra, no `api-version` needed).
//
// Each mounts the OpenAI layout's routes of its resources with the same handlers under its prefix
// (they read their params by name), so a route added to the OpenAI layout appears here too; v1-only
// routes (AssistantFiles, MessageFiles) are not mounted: neither Azure host ever served them. `azureGate` rejects what
// the real hosts reject, in Azure's words and error shape `{"error":{"code","message"}}`.

import { V1_ONLY } from "./assistants";
import { ApiError } from "./errors";
import { route, type Call, type Gate, type Route } from "./routes";

/** An error in Azure's shape: `code` a string such as "BadRequest" or "401", and a message, nothing else. */
export class AzureError extends ApiError {
  constructor(status: number, readonly azureCode: string, message: string) {
    super(status, message);
  }
  override toBody() {
    return { error: { code: this.azureCode, message: this.message } };
  }
}

const FOUNDRY = "/api/projects/{project}";
const AZURE_OPENAI = "/openai";
const AZURE_V1 = "/openai/v1";

/** Entra scopes whose tokens each host accepts (Foundry: `https://ai.azure.com/.default`; Azure OpenAI also the older Cognitive Services one). */
const AI_AZURE = "https://ai.azure.com/.default";
const COGNITIVE_SERVICES = "https://cognitiveservices.azure.com/.default";

interface Layout {
  /** Matches the request paths the layout serves. */
  path: RegExp;
  /** Whether an `api-key` header is accepted beside Entra tokens. */
  apiKeys: boolean;
  scopes: readonly string[];
  /** The audience Azure names when it rejects a token. */
  audience: string;
  /** Accepted `api-version`s, and whether one is required. */
  apiVersions: readonly string[];
  apiVersionRequired: boolean;
  /** The answers to a missing and to an unsupported `api-version`. */
  missingApiVersion: () => AzureError;
  unsupportedApiVersion: (version: string) => AzureError;
}

// Foundry: "Missing required query parameter: api-version" and "Unsupported api version '…'. The
// supported versions are …" are the service's 400s; its REST API takes Entra tokens only
// (Microsoft Learn: Azure AI Foundry Agent Service REST API, "Authentication").
const FOUNDRY_VERSIONS = ["v1", "2025-05-01", "2025-05-15-preview"];
const foundry: Layout = {
  path: /^\/api\/projects\/[^/]+\//,
  apiKeys: false,
  scopes: [AI_AZURE],
  audience: "https://ai.azure.com",
  apiVersions: FOUNDRY_VERSIONS,
  apiVersionRequired: true,
  missingApiVersion: () => new AzureError(400, "BadRequest", "Missing required query parameter: api-version"),
  unsupportedApiVersion: (v) => new AzureError(400, "BadRequest", `Unsupported api version '${v}'. The supported versions are ${FOUNDRY_VERSIONS.map((x) => `'${x}'`).join(", ")}`),
};

const azureOpenAIAuth = { apiKeys: true, scopes: [AI_AZURE, COGNITIVE_SERVICES], audience: "https://cognitiveservices.azure.com" } as const;

// Azure OpenAI's dated API answers 404 "Resource not found" without an api-version, and 400 "API
// version not supported" for one it does not know; these are the versions that served Assistants v2.
const azureOpenAI: Layout = {
  path: /^\/openai\/(threads|assistants)(\/|$)/,
  ...azureOpenAIAuth,
  apiVersions: ["2024-05-01-preview", "2024-07-01-preview", "2024-08-01-preview", "2024-09-01-preview", "2024-10-01-preview", "2025-01-01-preview", "2025-03-01-preview", "2025-04-01-preview"],
  apiVersionRequired: true,
  missingApiVersion: () => new AzureError(404, "404", "Resource not found"),
  unsupportedApiVersion: () => new AzureError(400, "BadRequest", "API version not supported"),
};

// The v1 API needs no api-version ("no need to specify new api-version's each month"); `preview`
// and `latest` opt into what is still in preview.
const azureV1: Layout = {
  path: /^\/openai\/v1\//,
  ...azureOpenAIAuth,
  apiVersions: ["preview", "latest"],
  apiVersionRequired: false,
  missingApiVersion: () => new AzureError(400, "BadRequest", "API version not supported"),
  unsupportedApiVersion: () => new AzureError(400, "BadRequest", "API version not supported"),
};

const LAYOUTS = [foundry, azureV1, azureOpenAI];

/** The Assistants protocol (threads, their runs and steps, assistants), and the v1 API's resources. */
const ASSISTANTS = /^\/v1\/(threads|assistants)\//;
const V1_API = /^\/v1\/(conversations|responses|files|vector_stores)(\/|$)/;

/** OpenAI's routes of those resources under another prefix, with the same handlers. */
const mount = (prefix: string, routes: readonly Route[], resources: RegExp): Route[] =>
  routes.filter((r) => resources.test(r.template) && !V1_ONLY.has(r.template)).map((r) => route(r.method, `${prefix}${r.template.slice(3)}`, r.handler));

/** Listing threads, which Foundry and Azure OpenAI serve (OpenAI's own answer is in thread-list.ts). */
const listThreads = (prefix: string) => route("GET", `${prefix}/threads`, (c) => c.state.threads.list(c));

/** Azure's layouts over OpenAI's routes. */
export const azureRoutes = (openai: readonly Route[]): Route[] => [
  ...mount(FOUNDRY, openai, ASSISTANTS),
  listThreads(FOUNDRY),
  ...mount(AZURE_OPENAI, openai, ASSISTANTS),
  listThreads(AZURE_OPENAI),
  ...mount(AZURE_V1, openai, V1_API),
];

const tokenRejected = (layout: Layout) =>
  new AzureError(401, "401", `Unauthorized. Access token is missing, invalid, audience is incorrect (${layout.audience}), or have expired.`);
const keyRejected = () =>
  new AzureError(
    401,
    "401",
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
  );

/** Who may call an Azure layout, then its `api-version` rule, then Azure's 404 for a route it does not serve. */
export const azureGate: Gate = (call: Call) => {
  const layout = LAYOUTS.find((l) => l.path.test(call.path));
  if (!layout) return;
  const apiKey = call.headers["api-key"];
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(call.headers.authorization ?? "")?.[1] ?? null;
  if (typeof apiKey === "string" && layout.apiKeys) {
    if (!call.state.config.apiKeys.includes(apiKey)) throw keyRejected();
  } else if (call.state.entra.check(bearer, layout.scopes)) {
    // An api-key where only Entra is taken is, to the host, a request without a token.
    throw tokenRejected(layout);
  }
  const version = call.query.get("api-version");
  if (version === null) {
    if (layout.apiVersionRequired) throw layout.missingApiVersion();
  } else if (!layout.apiVersions.includes(version)) {
    throw layout.unsupportedApiVersion(version);
  }
  if (!call.route) throw new AzureError(404, "404", "Resource not found");
};
