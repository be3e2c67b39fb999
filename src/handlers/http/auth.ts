import type { MiddlewareHandler } from "hono";
import { apiToken } from "../../config";
import { ApiError } from "./errors";

/** Bearer API_TOKEN on every /v1 route, compared in constant time (hashes make the lengths equal). */
export const requireToken: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const expected = apiToken(c.env);
  const given = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
  if (!expected || !given || !(await equalSecrets(given, expected))) {
    throw new ApiError(401, "authentication_error", "invalid_api_token", "a valid 'Authorization: Bearer <API_TOKEN>' header is required");
  }
  await next();
};

async function equalSecrets(a: string, b: string): Promise<boolean> {
  const digest = (s: string) => crypto.subtle.digest("SHA-256", new TextEncoder().encode(s));
  const [da, db] = await Promise.all([digest(a), digest(b)]);
  return crypto.subtle.timingSafeEqual(da, db);
}
