// Public API of the fake OpenAI server (see README.md in this folder).
export { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from "./server";
export {
  FakeState,
  type FakeConfig,
  type ConfigPatch,
  type ThreadSpec,
  type MessageSpec,
  type FileSpec,
  type ThreadMessage,
  type ConversationItem,
  type ConversationSnapshot,
  type CallRecord,
  type IngestConfig,
  type IngestError,
  type AssistantSeed,
  type AssistantObject,
  type AssistantFileObject,
  type VectorStoreSpec,
  type VectorStoreObject,
  type VectorStoreFileObject,
  type VectorStoreFileBatchObject,
  type VectorStoreFileStatus,
  type VectorStoreSnapshot,
  type FileCounts,
} from "./state";
export type { FaultRule, RandomFaults } from "./faults";
export { seedDemo, DEMO_THREAD_IDS, DEMO_ASSISTANT_IDS } from "./seed";
export { ApiError, type ErrorBody } from "./errors";
