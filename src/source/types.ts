import type { SourceMessage } from "../conversion/types";
import type { SourceToolResources } from "../conversion/tool-resources";

export interface SourceThread {
  metadata: Record<string, unknown> | null;
  toolResources: SourceToolResources | null;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * Where a thread's history is read from. The engine sees only this: a live Assistants-compatible
 * API is one implementation, an export is another. Failures are the call core's (src/client/errors):
 * `SourceGone` when the source no longer has the thread.
 */
export interface ThreadSource {
  getThread(threadId: string): Promise<SourceThread>;
  /** One page of the thread's messages, oldest first, after the `after` message. */
  listMessages(threadId: string, after: string | null): Promise<Page<SourceMessage>>;
}
