// Conversation items as a reader compares them: shared by the tests and the bench's exactly-once check.

/** The fields of a function call item or of its output that say what it is. */
export interface ToolItemFields {
  type?: unknown;
  call_id?: unknown;
  name?: unknown;
  arguments?: unknown;
  output?: unknown;
}

/** A `function_call` or `function_call_output` without the ids the API gave it; null for any other item. */
export function toolItemShape(item: ToolItemFields): string | null {
  if (item.type === "function_call") return `call ${item.call_id} ${item.name} ${item.arguments}`;
  if (item.type === "function_call_output") return `output ${item.call_id} ${item.output}`;
  return null;
}
