import type { SourceMessage } from "./types";

/** What an app must pass per response now that conversations hold no tool resources (contract §2). */
export interface ToolResources {
  file_search?: { vector_store_ids: string[] };
  code_interpreter?: { file_ids: string[] };
}

/** Tool resources as the Assistants API reports them on a thread (every list optional). */
export interface SourceToolResources {
  file_search?: { vector_store_ids?: string[] };
  code_interpreter?: { file_ids?: string[] };
}

/** Files attached to messages, by the tool they were attached for. */
export interface AttachedFiles {
  file_search: string[];
  code_interpreter: string[];
}

export const noAttachedFiles = (): AttachedFiles => ({ file_search: [], code_interpreter: [] });

/** Adds the files these messages attach to `into`, each once. */
export function collectAttachments(messages: readonly SourceMessage[], into: AttachedFiles): AttachedFiles {
  const add = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id);
  };
  for (const m of messages) {
    for (const attachment of m.attachments ?? []) {
      if (!attachment.file_id) continue;
      for (const tool of attachment.tools ?? []) {
        if (tool.type === "code_interpreter") add(into.code_interpreter, attachment.file_id);
        else if (tool.type === "file_search") add(into.file_search, attachment.file_id);
      }
    }
  }
  return into;
}

/** Whether a thread has stores or files to check once migrated. */
export function hasThreadFiles(own: SourceToolResources | null | undefined, attached: AttachedFiles | null | undefined): boolean {
  const files = attached ?? noAttachedFiles();
  return !!(own?.file_search?.vector_store_ids?.length || own?.code_interpreter?.file_ids?.length || files.file_search.length || files.code_interpreter.length);
}

/**
 * The thread's own tool resources plus the files its messages attached. File-search attachments were
 * indexed into the thread's vector store by the Assistants API, so they surface through its id.
 */
export function mergeToolResources(thread: SourceToolResources | null | undefined, attached: AttachedFiles): ToolResources | null {
  const vectorStores = thread?.file_search?.vector_store_ids ?? [];
  const files = [...new Set([...(thread?.code_interpreter?.file_ids ?? []), ...attached.code_interpreter])];
  const merged: ToolResources = {};
  if (vectorStores.length) merged.file_search = { vector_store_ids: vectorStores };
  if (files.length) merged.code_interpreter = { file_ids: files };
  return Object.keys(merged).length ? merged : null;
}
