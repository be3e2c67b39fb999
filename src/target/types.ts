import type { ConversationItem as ApiItem } from "openai/resources/conversations/items";
import type { ConversationItem } from "../conversion/types";

/** What the engine writes a conversation through (contract §3): one implementation per target API. */
export interface ConversationTarget {
  /** The file's name, or null when the target holds no such file. */
  getFilename(fileId: string): Promise<string | null>;
  createConversation(items: ConversationItem[], metadata: Record<string, string>): Promise<string>;
  /** Appends ≤20 items; returns the id of the last one written. */
  appendItems(conversationId: string, items: ConversationItem[]): Promise<string>;
  /** Items in written order, after `after` (or from the start). */
  listItems(conversationId: string, after: string | null, limit: number): Promise<ApiItem[]>;
}
