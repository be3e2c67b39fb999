import { registerAssistants } from "../db/assistants";
import { SourceGone } from "../client/errors";
import type { MigrationsQueue } from "../queue/messages";
import { toolTypesOf } from "../source/assistants-api";
import { sendAll } from "../queue/send";
import type { FilesDeps } from "./vector-store";

/**
 * One page of the source's assistants: registered in D1 and each given a sync message; the next
 * page follows as its own message. Once the Assistants API is gone there is nothing to list: the
 * known assistants keep their recorded state.
 */
export async function discoverAssistants(deps: FilesDeps, queue: MigrationsQueue, message: { run_id?: string; after: string | null }): Promise<void> {
  const { after } = message;
  let page;
  try {
    page = await deps.source.listAssistants(after);
  } catch (err) {
    if (!(err instanceof SourceGone)) throw err;
    console.warn(`assistant discovery skipped: the Assistants API answered ${err.status}`);
    return;
  }
  const ids = page.data.map((a) => a.id);
  await registerAssistants(deps.db, page.data.map((a) => ({ id: a.id, toolTypes: toolTypesOf(a) })), deps.now());
  await sendAll(queue, ids.map((assistant_id) => ({ type: "sync_assistant", assistant_id })));
  if (page.hasMore && ids.length) await queue.send({ type: "discover_assistants", run_id: message.run_id, after: ids.at(-1)! });
}
