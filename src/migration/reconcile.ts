import type { ConversationItem as ApiItem } from "openai/resources/conversations/items";
import type { ConversationItem } from "../conversion/types";

/**
 * How many of `written` (the items ferry tried to write, in order) are the first items of `found`
 * (what the conversation holds after the last confirmed item). Content is compared, so a stranger's
 * item is never mistaken for ours.
 */
export function countLanded(found: readonly ApiItem[], written: readonly ConversationItem[]): number {
  let n = 0;
  while (n < written.length && n < found.length && sameItem(found[n]!, written[n]!)) n++;
  return n;
}

function sameItem(found: ApiItem, mine: ConversationItem): boolean {
  if (found.type !== mine.type) return false;
  switch (mine.type) {
    case "function_call": {
      const other = found as Extract<ApiItem, { type: "function_call" }>;
      return other.call_id === mine.call_id && other.name === mine.name && other.arguments === mine.arguments;
    }
    case "function_call_output": {
      const other = found as Extract<ApiItem, { type: "function_call_output" }>;
      return other.call_id === mine.call_id && other.output === mine.output;
    }
    case "message":
      break;
  }
  const message = found as Extract<ApiItem, { type: "message" }>;
  if (message.role !== mine.role || message.content.length !== mine.content.length) return false;
  return mine.content.every((part, i) => {
    const other = message.content[i] as { type: string; text?: string; refusal?: string; image_url?: string | null; file_id?: string | null };
    if (other.type !== part.type) return false;
    switch (part.type) {
      case "input_text":
      case "output_text":
        return other.text === part.text;
      case "refusal":
        return other.refusal === part.refusal;
      case "input_image":
        // Listings carry image URLs only when asked: the target asks (OpenAITarget.listItems).
        return "file_id" in part ? other.file_id === part.file_id : other.image_url === part.image_url;
    }
  });
}

/** Items written but neither confirmed by the API nor found in the conversation: ferry's state no longer matches it. */
export class ConversationDiverged extends Error {}
