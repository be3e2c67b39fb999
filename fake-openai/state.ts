// Everything the fake holds: one store per resource (each in its own module), the config, the
// fault rules and the call log. Route handlers reach the stores as `c.state.<resource>`;
// Node-side callers (bench, dev script, seed) use the methods below, the same code the
// /__control routes run.

import { AssistantStore, type AssistantObject, type AssistantSeed } from "./assistants";
import { CallLog, type CallLogSnapshot } from "./call-log";
import { defaultConfig, mergeConfig, type ConfigPatch, type FakeConfig } from "./config";
import { ConversationStore, type ConversationSnapshot } from "./conversations";
import { EntraStore } from "./entra";
import { compileRules, prng, type ActiveRule, type FaultRule } from "./faults";
import { FileStore, type FileSpec } from "./files";
import type { IngestError } from "./ingestion";
import type { ListQuery, Page } from "./pagination";
import { RunStore, type RunSpec } from "./runs";
import { RateLimiter } from "./rate-limit";
import { seedDemo } from "./seed";
import { ListedThreadStore } from "./thread-list";
import { type ThreadMessage, type ThreadSpec } from "./threads";
import { VectorStoreStore, type VectorStoreSnapshot, type VectorStoreSpec } from "./vector-stores";

export class FakeState {
  // Stores are rebuilt on every reset, so a new resource cannot forget to clear something.
  files!: FileStore;
  threads!: ListedThreadStore;
  conversations!: ConversationStore;
  assistants!: AssistantStore;
  runs!: RunStore;
  vectorStores!: VectorStoreStore;
  entra!: EntraStore;
  rateLimiter!: RateLimiter;
  readonly calls = new CallLog();
  private rules: ActiveRule[] = [];
  config!: FakeConfig;
  /** Seeded PRNG for random faults and rule probabilities. */
  rand!: () => number;

  constructor(private readonly start: { apiKeys: string[]; latencyMs: number }) {
    this.reset();
  }

  /** Empty stores, no faults, default config, cleared call log; optionally the demo data. */
  reset(opts: { seed?: "demo" | "none" } = {}): void {
    this.config = defaultConfig(this.start);
    this.rand = prng(this.config.random.seed);
    this.files = new FileStore();
    this.threads = new ListedThreadStore();
    this.conversations = new ConversationStore();
    this.assistants = new AssistantStore();
    this.runs = new RunStore(this.threads, this.assistants);
    this.vectorStores = new VectorStoreStore(this.files, () => this.config.ingest);
    this.entra = new EntraStore();
    this.rateLimiter = new RateLimiter();
    this.rules = [];
    this.calls.clear();
    if (opts.seed === "demo") seedDemo(this);
  }

  configure(patch: ConfigPatch): FakeConfig {
    this.config = mergeConfig(this.config, patch);
    if (patch.random?.seed !== undefined) this.rand = prng(patch.random.seed);
    return this.config;
  }

  addFaults(rules: FaultRule[]): void {
    this.rules.push(...compileRules(rules));
  }
  clearFaults(): void {
    this.rules = [];
  }
  /** Live rules with their counters (remaining/skipped/hits). */
  get faults(): ActiveRule[] {
    return this.rules;
  }

  // ---------- the same operations for Node-side callers ----------

  createThread(spec: ThreadSpec = {}): string {
    return this.threads.create(spec);
  }
  /** A thread's runs go with it; false if the thread is unknown. */
  deleteThread(id: string): boolean {
    this.runs.dropThread(id);
    return this.threads.delete(id);
  }
  /** Appends messages; assistant messages whose `run_id` names a seeded run of the thread become that run's next step. */
  appendMessages(threadId: string, spec: Pick<ThreadSpec, "messages" | "generate">): string[] {
    const ids = this.threads.append(threadId, spec);
    this.runs.adopt(threadId, ids);
    return ids;
  }
  /** Seeds a run with its steps (body of `POST /__control/threads/{id}/runs`). */
  createRun(threadId: string, spec: RunSpec): { id: string; message_ids: string[] } {
    return this.runs.create(threadId, spec);
  }
  listMessages(threadId: string, q: ListQuery, runId?: string): Page<ThreadMessage> {
    return this.threads.listMessages(threadId, q, runId);
  }
  createFile(spec: FileSpec): string {
    return this.files.create(spec);
  }
  createAssistant(spec: AssistantSeed): string {
    return this.assistants.create(spec);
  }
  assistantSnapshots(): (AssistantObject & { v1_file_ids: string[] })[] {
    return this.assistants.snapshots();
  }
  seedVectorStore(spec: VectorStoreSpec = {}): string {
    return this.vectorStores.seed(spec);
  }
  dropVectorStore(id: string): boolean {
    return this.vectorStores.drop(id);
  }
  failFileIngestion(fileId: string, error: IngestError): void {
    this.vectorStores.ingestion.fail(fileId, error);
  }
  clearFileIngestionFailure(fileId: string): boolean {
    return this.vectorStores.ingestion.clear(fileId);
  }
  vectorStoreSnapshots(): VectorStoreSnapshot[] {
    return this.vectorStores.snapshots();
  }
  vectorStoreSnapshot(id: string): VectorStoreSnapshot | undefined {
    return this.vectorStores.snapshot(id);
  }
  conversationSnapshots(): ConversationSnapshot[] {
    return this.conversations.snapshots();
  }
  callLog(): CallLogSnapshot {
    return this.calls.snapshot();
  }
  clearCalls(): void {
    this.calls.clear();
  }
}
