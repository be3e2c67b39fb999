// Public API of the fake OpenAI server (see README.md in this folder).
export { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from "./server";
export { FakeState } from "./state";
export type { FakeConfig, ConfigPatch } from "./config";
export type { ThreadSpec, MessageSpec, MessageStatus, ThreadMessage } from "./threads";
export type { FileSpec } from "./files";
export type { ConversationSnapshot } from "./conversations";
export type { ConversationItem, SnapshotItem, NewItem } from "./items";
export type { CallRecord } from "./call-log";
export type { IngestConfig, IngestError, VectorStoreFileStatus } from "./ingestion";
export type { AssistantSeed, AssistantObject, AssistantFileObject } from "./assistants";
export type {
  VectorStoreSpec,
  VectorStoreObject,
  VectorStoreFileObject,
  VectorStoreFileBatchObject,
  VectorStoreSnapshot,
  FileCounts,
} from "./vector-stores";
export { FAULT_MIX, NO_RANDOM_FAULTS, type FaultRule, type RandomFaults } from "./faults";
export { seedDemo, DEMO_THREAD_IDS, DEMO_ASSISTANT_IDS } from "./seed";
export type { RunSpec, StepSpec, RunObject, RunStepObject } from "./runs";
export { CANNED_ANSWER } from "./responses";
export { ApiError, type ErrorBody } from "./errors";
