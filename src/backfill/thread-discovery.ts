import { describeFailure, EntraRefused, Rejected, SourceGone } from "../client/errors";
import type { Database } from "../db/client";
import { advanceDiscovery, findDiscovery, refuseDiscovery } from "../db/discovery";
import { countEnqueued, recordRunError } from "../db/runs";
import { findBackfillCandidatesAmong, registerThreads } from "../db/threads";
import { THREAD_ID } from "../ids";
import type { MigrationsQueue, QueueMessage } from "../queue/messages";
import type { AssistantsApi } from "../source/assistants-api";
import { enqueueForRun } from "./backfill";

export interface DiscoveryDeps {
  db: Database;
  source: AssistantsApi;
  /** Which source this is (its base URL): each source's listing is kept apart. */
  sourceKey: string;
  now: () => number;
}

type DiscoverThreads = Extract<QueueMessage, { type: "discover_threads" }>;

/**
 * One page of the source's threads (contract §6.1): each one registered, the due ones enqueued for
 * the run, the listing's cursor moved on, and the next page sent as its own message. Threads are
 * listed oldest first, so the next night's run starts after the newest thread this one saw.
 *
 * Safe to repeat: a page listed again registers nothing twice and enqueues only what is not on
 * its way already; the cursor moves only from where the page started, so a duplicate page sends
 * no next one. A Worker that died after moving the cursor and before sending the next page is
 * caught up by the sweep.
 */
export async function discoverThreads(deps: DiscoveryDeps, queue: MigrationsQueue, message: DiscoverThreads): Promise<void> {
  const { db, source, sourceKey, now } = deps;
  const known = await findDiscovery(db, sourceKey);
  if (known?.status === "refused") return; // asked once; importing thread ids stays the way in
  const cursor = known?.cursor ?? null;
  const after = message.after === undefined ? cursor : message.after;
  if (after !== cursor) return; // another copy of this page moved the listing on already

  let page;
  try {
    page = await source.listThreads(after);
  } catch (err) {
    if (after !== null && err instanceof Rejected && err.status === 400 && err.param === "after") {
      // The cursor's thread was deleted, so the source cannot say what came after it: list from the start.
      if (await advanceDiscovery(db, sourceKey, { from: after, to: null, runId: message.run_id, listed: 0, done: false }, now())) {
        await queue.send({ type: "discover_threads", run_id: message.run_id, after: null });
      }
      return;
    }
    if (refusesListing(err)) return refuseDiscovery(db, sourceKey, message.run_id, { code: "list_threads_refused", message: describeFailure(err) }, now());
    // Credentials or settings to fix (Entra, a role, an api-version): the run keeps why, the next night's run tries again.
    if (err instanceof Rejected || err instanceof EntraRefused) return recordRunError(db, message.run_id, { code: "list_threads_failed", message: describeFailure(err) });
    throw err;
  }

  const listed = page.data.map((t) => t.id);
  // Ferry's API names threads by ^thread_…$ only (contract §2); a listed id outside it could never be looked up.
  const ids = listed.filter((id) => THREAD_ID.test(id));
  if (ids.length < listed.length) console.warn(`thread discovery: ${listed.length - ids.length} listed ids are not thread_… ids and were skipped`);
  await registerThreads(db, ids);
  const due = await findBackfillCandidatesAmong(db, ids, now());
  await enqueueForRun(db, queue, due, message.run_id, now());
  await countEnqueued(db, message.run_id, due.length, null);

  const next = listed.at(-1) ?? after;
  const done = !page.hasMore || !listed.length;
  if (!(await advanceDiscovery(db, sourceKey, { from: after, to: next, runId: message.run_id, listed: listed.length, done }, now()))) return;
  if (!done) await queue.send({ type: "discover_threads", run_id: message.run_id, after: next });
}

/**
 * The source does not list threads, and will not tomorrow: no such endpoint (404/410, as OpenAI
 * answers since the Assistants API's shutdown), or OpenAI's refusal to secret keys (401
 * `missing_scope`: "must be made with a session key"). Any other refusal may be fixed by an operator.
 */
function refusesListing(err: unknown): boolean {
  if (err instanceof SourceGone) return true;
  return err instanceof Rejected && (err.status === 405 || ((err.status === 401 || err.status === 403) && err.code === "missing_scope"));
}
