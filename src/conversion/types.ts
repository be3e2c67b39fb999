import type { Message } from "openai/resources/beta/threads/messages";

/** The part of an Assistants message the conversion reads; exports may carry no status and no run. */
export type SourceMessage = Pick<Message, "id" | "role" | "content" | "attachments"> & Partial<Pick<Message, "status" | "run_id" | "assistant_id">>;
export type SourcePart = Message["content"][number];

/**
 * Items ferry writes to a conversation. Typed here rather than with the SDK's item types:
 * the SDK wants `id`/`status` on assistant messages, which the API issues itself.
 */
export type UserPart =
  | { type: "input_text"; text: string }
  | { type: "input_image"; image_url: string; detail: ImageDetail }
  | { type: "input_image"; file_id: string; detail: ImageDetail };
export type ImageDetail = "low" | "high" | "auto";

export type OutputAnnotation =
  | { type: "file_citation"; file_id: string; filename: string; index: number }
  | { type: "file_path"; file_id: string; index: number };
export type AssistantPart =
  | { type: "output_text"; text: string; annotations: OutputAnnotation[] }
  | { type: "refusal"; refusal: string };

export type MessageItem =
  | { type: "message"; role: "user"; content: UserPart[] }
  | { type: "message"; role: "assistant"; content: AssistantPart[] };

/** A function call of a run step and its output (contract §3.1); `call_id` pairs them. */
export type ToolItem =
  | { type: "function_call"; call_id: string; name: string; arguments: string }
  | { type: "function_call_output"; call_id: string; output: string };

export type ConversationItem = MessageItem | ToolItem;

/** Something the conversion changed or dropped; never silent. */
export interface MigrationWarning {
  code: WarningCode;
  message_id?: string;
  detail: string;
}
export type WarningCode =
  | "assistant_image_replaced"
  | "empty_message"
  | "unsupported_content"
  | "citation_file_missing"
  | "metadata_overflow"
  | "metadata_no_room_for_thread_id"
  | "possible_orphan_conversation"
  | "incomplete_message"
  | "file_not_on_target"
  // Exports (contract §6.2): a flat transcript holds text only.
  | "lossy_export"
  // Run steps (contract §3.1): tool history that could not be kept as it was.
  | "tool_output_missing"
  | "tool_call_summarized"
  | "run_without_message"
  // Prompt spec (contract §5): what an assistant's settings lose on the way to `responses.create`.
  | "file_search_without_store"
  | "file_search_ranker_replaced"
  | "code_interpreter_files_truncated"
  // Files backfill (contract §5): stores and files that could not be kept as they were.
  | "file_missing"
  | "vector_store_lost"
  | "vector_store_not_on_target"
  | "file_source_skipped"
  | "tool_resources_not_updated";

/** The API's cap on items per create / append call (spec: maxItems 20). */
export const MAX_ITEMS_PER_WRITE = 20;
