// The baseline ferry is measured against: the official migration recipe as a plain sequential Node
// script with the openai SDK. Per thread: page its messages oldest first, convert each text message,
// create the conversation with the first 20 items, append the rest 20 at a time.
// Given its best shot: 100 messages a page (the SDK's default is 20) and no separate empty create.
import OpenAI from "openai";
import type { FakeOpenAI } from "../fake-openai/index";
import { callStats, type CallStats } from "./calls";
import { CpuMeter, FAKE_KEY } from "./stack";
import { verify, type Verification } from "./verify";

const CHUNK = 20;

export interface BaselineResult {
  threads: number;
  messages: number;
  wallMs: number;
  calls: CallStats;
  verification: Verification;
  /** Calls per thread on the script's path: it runs them one after another. */
  callsPerThread: number;
  /** CPU seconds: `bench` (this process: the script and the fake) and `other` (the rest of the machine). */
  cpu: Record<string, number>;
}

type Item = { type: "message"; role: "user"; content: { type: "input_text"; text: string }[] } | {
  type: "message";
  role: "assistant";
  content: { type: "output_text"; text: string; annotations: [] }[];
};

function toItem(message: OpenAI.Beta.Threads.Message): Item | null {
  const texts = message.content.flatMap((part) => (part.type === "text" ? [part.text.value] : []));
  if (!texts.length) return null;
  return message.role === "user"
    ? { type: "message", role: "user", content: texts.map((text) => ({ type: "input_text" as const, text })) }
    : { type: "message", role: "assistant", content: texts.map((text) => ({ type: "output_text" as const, text, annotations: [] as [] })) };
}

export async function migrateSequentially(client: OpenAI, threadId: string): Promise<string> {
  const items: Item[] = [];
  for await (const message of client.beta.threads.messages.list(threadId, { order: "asc", limit: 100 })) {
    const item = toItem(message);
    if (item) items.push(item);
  }
  // The SDK's item types want API-issued ids on assistant messages; the API itself does not.
  const conversation = await client.conversations.create({ items: items.slice(0, CHUNK) as never, metadata: { assistants_thread_id: threadId } });
  for (let i = CHUNK; i < items.length; i += CHUNK) {
    await client.conversations.items.create(conversation.id, { items: items.slice(i, i + CHUNK) as never });
  }
  return conversation.id;
}

export async function runBaseline(fake: FakeOpenAI, ids: readonly string[], messages: number): Promise<BaselineResult> {
  const client = new OpenAI({ apiKey: FAKE_KEY, baseURL: `${fake.url}/v1` });
  fake.state.clearCalls();
  const cpu = new CpuMeter(0); // no process group: only this process and the rest of the machine
  const started = performance.now();
  const recorded = [];
  for (const threadId of ids) recorded.push({ threadId, conversationId: await migrateSequentially(client, threadId), migrated: true });
  const wallMs = performance.now() - started;
  const calls = callStats(fake.state, fake.state.config.latencyMs);
  return {
    threads: ids.length,
    messages,
    wallMs,
    calls,
    verification: verify(fake.state, recorded),
    callsPerThread: calls.total / ids.length,
    cpu: cpu.read(),
  };
}
