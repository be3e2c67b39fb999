import type { SourceStep } from "../conversion/run-steps";
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
  listMessages(threadId: string, after: string | null): Promise<Page<SourceMessage & { id: string }>>;
  /** One page of a run's steps, oldest first, after the `after` step (contract §3.1). */
  listRunSteps(threadId: string, runId: string, after: string | null): Promise<Page<SourceStep & { id: string }>>;
  /** Whether the run may have called tools (its own tools, or its assistant's): MIGRATE_TOOL_CALLS=auto lists only those. */
  runHadTools(threadId: string, runId: string, assistantId: string | null): Promise<boolean>;
  /** Runs of the thread that created no message (an export knows every run; a live API lists none). */
  runsWithoutMessages?(threadId: string): Promise<string[]>;
}
