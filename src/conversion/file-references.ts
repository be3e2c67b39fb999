import type { ConversationItem, MigrationWarning, WarningCode } from "./types";

/** Why a file cannot be named in a conversation item. */
export type UnusableFile = Extract<WarningCode, "file_missing" | "file_not_on_target">;

/**
 * The item with every reference to an unusable file taken out, so one such file never fails a
 * write: a user's image becomes the text pointer `[image: <file_id>]` (as assistant images do,
 * contract §3), an annotation naming the file is dropped and its text kept.
 */
export function withoutFiles(item: ConversationItem, unusable: ReadonlyMap<string, UnusableFile>, messageId?: string): { item: ConversationItem; warnings: MigrationWarning[] } {
  const warnings: MigrationWarning[] = [];
  if (item.type !== "message") return { item, warnings }; // tool items name no file
  const warn = (fileId: string, detail: string) => warnings.push({ code: unusable.get(fileId)!, ...(messageId ? { message_id: messageId } : {}), detail });
  const reason = (fileId: string) => (unusable.get(fileId) === "file_missing" ? "no longer exists" : "is not on the target");
  if (item.role === "user") {
    const content = item.content.map((part) => {
      if (part.type !== "input_image" || !("file_id" in part) || !unusable.has(part.file_id)) return part;
      warn(part.file_id, `image file ${part.file_id} ${reason(part.file_id)}; replaced by the text '[image: ${part.file_id}]'`);
      return { type: "input_text" as const, text: `[image: ${part.file_id}]` };
    });
    return { item: { ...item, content }, warnings };
  }
  const content = item.content.map((part) => {
    if (part.type !== "output_text") return part;
    const annotations = part.annotations.filter((a) => {
      if (!unusable.has(a.file_id)) return true;
      warn(a.file_id, `a ${a.type} annotation names file ${a.file_id}, which ${reason(a.file_id)}; the annotation was dropped`);
      return false;
    });
    return { ...part, annotations };
  });
  return { item: { ...item, content }, warnings };
}

/** Every file an item names (images, citations, file paths): what a target must hold for the item to be accepted. */
export function filesNamed(item: ConversationItem): string[] {
  if (item.type !== "message") return [];
  if (item.role === "user") return item.content.flatMap((p) => (p.type === "input_image" && "file_id" in p ? [p.file_id] : []));
  return item.content.flatMap((p) => (p.type === "output_text" ? p.annotations.map((a) => a.file_id) : []));
}

/**
 * The file a 400 blamed, from its `param` (`items[3].content[0].file_id`,
 * `items[1].content[0].annotations[2]`, …): null when the param names no file reference.
 */
export function blamedFile(items: readonly ConversationItem[], param: string | null): string | null {
  const m = /^items\[(\d+)\]\.content\[(\d+)\](?:\.annotations\[(\d+)\])?/.exec(param ?? "");
  if (!m) return null;
  const item = items[Number(m[1])];
  const part = item?.type === "message" ? item.content[Number(m[2])] : undefined;
  if (!part) return null;
  if (m[3] !== undefined) return part.type === "output_text" ? (part.annotations[Number(m[3])]?.file_id ?? null) : null;
  return part.type === "input_image" && "file_id" in part ? part.file_id : null;
}
