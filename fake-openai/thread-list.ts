// Listing threads. Azure AI Foundry and Azure OpenAI answer `GET …/threads` (azure.ts mounts the
// listing under their layouts); OpenAI refuses it to secret keys, with the answer below.

import { ApiError } from "./errors";
import { checkListQuery, paginate, type Page } from "./pagination";
import { route, type Ctx, type Route } from "./routes";
import { ThreadStore, type ThreadSpec } from "./threads";

type ThreadObject = ReturnType<ThreadStore["get"]>;

/** The thread store, also able to list its threads in creation order (as Foundry lists them, by created_at). */
export class ListedThreadStore extends ThreadStore {
  private readonly order: string[] = [];

  override create(spec: ThreadSpec = {}): string {
    const id = super.create(spec);
    this.order.push(id);
    return id;
  }

  override delete(id: string): boolean {
    const deleted = super.delete(id);
    if (deleted) this.order.splice(this.order.indexOf(id), 1);
    return deleted;
  }

  list(c: Ctx): Page<ThreadObject> {
    return paginate(
      this.order.map((id) => this.get(id)),
      checkListQuery(c.query, true),
      "thread",
    );
  }
}

/** OpenAI's answer to listing threads with a secret key (401 `missing_scope`), before and until the Assistants API's shutdown. */
export const openaiThreadListRoutes: Route[] = [
  route("GET", "/v1/threads", () => {
    throw new ApiError(
      401,
      "Your request to GET /v1/threads must be made with a session key (that is, it can only be made from the browser). You made it with the following key type: secret.",
      "invalid_request_error",
      null,
      "missing_scope",
    );
  }),
];
