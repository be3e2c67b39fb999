// Runs the MIGRATIONS consumer one invocation at a time, as the queue would, handing what each
// invocation sends (hand-overs, follow-ups, retries) to the next: work that spans queue messages,
// driven against real D1 and the fake OpenAI with settings the test chooses (a small budget, say).
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { consumeMigrations } from "../../src/handlers/queue";
import type { QueueMessage } from "../../src/queue/messages";
import { fake } from "./fake";
import type { EnvOverrides } from "./ferry";

export interface Invocation {
  messages: QueueMessage[];
  /** Calls the fake OpenAI received during this invocation. */
  calls: number;
  /** The delays of the messages it handed back for a retry. */
  retryDelays: number[];
  /** Messages it sent with a delay (work put back to wait); held here instead of delivered under `holdDelayed`. */
  delayed: { body: QueueMessage; delaySeconds: number }[];
}

export interface DrainOptions {
  maxInvocations?: number;
  /** Messages sent with a delay stay in their invocation's `delayed` instead of being delivered next. */
  holdDelayed?: boolean;
  /** Runs after each invocation: a test changes the world there (a message completes, another is deleted). */
  between?: (done: Invocation[]) => Promise<void>;
}

export async function drainQueue(first: QueueMessage[], overrides: EnvOverrides = {}, { maxInvocations = 200, holdDelayed = false, between }: DrainOptions = {}): Promise<Invocation[]> {
  const pending: { body: QueueMessage; attempts: number }[] = first.map((body) => ({ body, attempts: 1 }));
  const invocations: Invocation[] = [];
  let id = 0;
  while (pending.length) {
    if (invocations.length >= maxInvocations) throw new Error(`still ${pending.length} messages after ${maxInvocations} invocations`);
    const taken = pending.splice(0, 10).map((m) => ({ ...m, id: `msg${id++}` }));
    const sent: QueueMessage[] = [];
    const delayed: Invocation["delayed"] = [];
    const queue = {
      send: async (body: QueueMessage, options?: QueueSendOptions) => {
        if (options?.delaySeconds) delayed.push({ body, delaySeconds: options.delaySeconds });
        if (!(holdDelayed && options?.delaySeconds)) sent.push(body);
      },
      sendBatch: async (messages: Iterable<{ body: QueueMessage }>) => void sent.push(...[...messages].map((m) => m.body)),
    };
    const batch = createMessageBatch<QueueMessage>("ferry-migrations", taken.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })));
    // The test batch records that a message was retried, not with which delay: note it on the way.
    const retryDelays: number[] = [];
    for (const message of batch.messages) {
      const retry = message.retry.bind(message);
      message.retry = (options) => (retryDelays.push(options?.delaySeconds ?? 0), retry(options));
    }
    const before = (await fake.calls()).total;
    const ctx = createExecutionContext();
    await consumeMigrations(batch, { ...env, ...overrides, MIGRATIONS: queue as unknown as Queue } as Env);
    const result = await getQueueResult(batch, ctx);
    const retried = new Set(result.retryBatch.retry ? taken.map((m) => m.id) : result.retryMessages.map((r: { msgId: string }) => r.msgId));
    for (const m of taken) if (retried.has(m.id)) pending.push({ body: m.body, attempts: m.attempts + 1 });
    pending.push(...sent.map((body) => ({ body, attempts: 1 })));
    invocations.push({ messages: taken.map((m) => m.body), calls: (await fake.calls()).total - before, retryDelays, delayed });
    await between?.(invocations);
  }
  return invocations;
}
