// The /v1 gate for OpenAI's own auth: `Authorization: Bearer <key>` with a key from config.apiKeys,
// and the real 401 bodies (missing key: code null; wrong key: invalid_api_key, masked).

import { ApiError } from "./errors";
import type { Gate } from "./routes";

export const bearerAuth: Gate = ({ headers, state }) => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? "");
  if (!m)
    throw new ApiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the basic auth username and password (i.e. YOUR_KEY as the username), or as the basic auth password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    );
  const key = m[1]!;
  if (!state.config.apiKeys.includes(key)) {
    const masked = key.length > 8 ? `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}` : key;
    throw new ApiError(
      401,
      `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      "invalid_request_error",
      null,
      "invalid_api_key",
    );
  }
};
