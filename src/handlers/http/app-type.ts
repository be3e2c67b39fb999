import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { ApiError } from "./errors";
import { INVALID_ID } from "./schemas";

export type AppEnv = { Bindings: Env };

/** Request validation failures become a 400 in the OpenAI error shape, naming the offending field. */
const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const path = issue?.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : (issue?.path ?? []);
  const param = formatPath(path);
  if (issue?.message === INVALID_ID) {
    throw new ApiError(400, "invalid_request_error", "invalid_id", `${param ?? "id"} is not a valid id`, param);
  }
  throw new ApiError(400, "invalid_request_error", "invalid_request", `${param ?? "body"}: ${issue?.message ?? "invalid"}`, param);
};

/** A router whose routes are validated by, and documented from, the same zod schemas. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

function formatPath(path: readonly PropertyKey[]): string | null {
  if (!path.length) return null;
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}
