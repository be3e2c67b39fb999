import type {
  AssistantPart,
  MessageItem,
  MigrationWarning,
  OutputAnnotation,
  SourceMessage,
  SourcePart,
  UserPart,
} from "./types";

export interface ConvertedMessage {
  /** null when nothing convertible was left; a warning says why. */
  item: MessageItem | null;
  warnings: MigrationWarning[];
}

/** Filenames of cited files, by file id; a missing entry means the file is gone. */
export type FilenameLookup = ReadonlyMap<string, string>;

/** Contract §3: one thread message becomes at most one conversation item. */
export function convertMessage(message: SourceMessage, filenames: FilenameLookup): ConvertedMessage {
  const warnings: MigrationWarning[] = [];
  const warn = (code: MigrationWarning["code"], detail: string) =>
    warnings.push({ code, message_id: message.id, detail });

  let item: MessageItem | null;
  if (message.role === "user") {
    const content = message.content.flatMap((part) => userPart(part, warn));
    item = content.length ? { type: "message", role: "user", content } : null;
  } else {
    const content = message.content.flatMap((part) => assistantPart(part, filenames, warn));
    item = content.length ? { type: "message", role: "assistant", content } : null;
  }
  if (message.status === "incomplete") warn("incomplete_message", "the source ended this message before it was complete; what it holds was migrated");
  if (!item) warn("empty_message", "the message has no content that a conversation item can hold");
  return { item, warnings };
}

type Warn = (code: MigrationWarning["code"], detail: string) => void;

function userPart(part: SourcePart, warn: Warn): UserPart[] {
  switch (part.type) {
    case "text":
      return [{ type: "input_text", text: part.text.value }];
    case "image_url":
      return [{ type: "input_image", image_url: part.image_url.url, detail: part.image_url.detail ?? "auto" }];
    case "image_file":
      return [{ type: "input_image", file_id: part.image_file.file_id, detail: part.image_file.detail ?? "auto" }];
    default:
      warn("unsupported_content", `a user message cannot hold a '${part.type}' part; it was dropped`);
      return [];
  }
}

function assistantPart(part: SourcePart, filenames: FilenameLookup, warn: Warn): AssistantPart[] {
  switch (part.type) {
    case "text":
      return [{ type: "output_text", text: part.text.value, annotations: annotations(part, filenames, warn) }];
    case "refusal":
      return [{ type: "refusal", refusal: part.refusal }];
    case "image_url":
    case "image_file": {
      // Assistant items can only hold output_text/refusal, so the image becomes a textual pointer.
      const ref = part.type === "image_url" ? part.image_url.url : part.image_file.file_id;
      warn("assistant_image_replaced", `assistant ${part.type} replaced by the text '[image: ${ref}]'`);
      return [{ type: "output_text", text: `[image: ${ref}]`, annotations: [] }];
    }
    default:
      warn("unsupported_content", `an assistant message cannot hold a '${(part as { type: string }).type}' part; it was dropped`);
      return [];
  }
}

function annotations(
  part: Extract<SourcePart, { type: "text" }>,
  filenames: FilenameLookup,
  warn: Warn,
): OutputAnnotation[] {
  return part.text.annotations.flatMap((a): OutputAnnotation[] => {
    if (a.type === "file_path") return [{ type: "file_path", file_id: a.file_path.file_id, index: a.start_index }];
    if (a.type !== "file_citation") {
      warn("unsupported_content", `an annotation of type '${(a as { type: string }).type}' has no conversation form; it was dropped`);
      return [];
    }
    const fileId = a.file_citation.file_id;
    const filename = filenames.get(fileId);
    if (filename === undefined) {
      // A citation of a file the API no longer holds would fail the whole write; the text stays.
      warn("citation_file_missing", `cited file ${fileId} is not on the target (deleted, or never copied there); the citation was dropped, its text kept`);
      return [];
    }
    return [{ type: "file_citation", file_id: fileId, filename, index: a.start_index }];
  });
}

/** Distinct file ids the messages' parts name besides citations: user images and assistant file paths. */
export function otherFileIds(messages: readonly SourceMessage[]): string[] {
  const ids = new Set<string>();
  for (const m of messages) {
    for (const part of m.content) {
      if (part.type === "image_file" && m.role === "user") ids.add(part.image_file.file_id);
      if (part.type === "text" && m.role === "assistant") for (const a of part.text.annotations) if (a.type === "file_path") ids.add(a.file_path.file_id);
    }
  }
  return [...ids];
}

/** Distinct file ids cited by assistant text in these messages: the files whose names the conversion needs. */
export function citedFileIds(messages: readonly SourceMessage[]): string[] {
  const ids = new Set<string>();
  for (const m of messages) {
    if (m.role !== "assistant") continue;
    for (const part of m.content) {
      if (part.type !== "text") continue;
      for (const a of part.text.annotations) if (a.type === "file_citation") ids.add(a.file_citation.file_id);
    }
  }
  return [...ids];
}
