import type { MigrationWarning } from "./types";

/** Conversation metadata limits (spec: Metadata). */
export const METADATA_MAX_PAIRS = 16;
export const METADATA_MAX_KEY = 64;
export const METADATA_MAX_VALUE = 512;
export const THREAD_ID_KEY = "assistants_thread_id";

export interface ConvertedMetadata {
  metadata: Record<string, string>;
  /** Pairs the conversation cannot hold; ferry keeps them in D1. */
  overflow: Record<string, string>;
  warnings: MigrationWarning[];
}

/** Thread metadata becomes conversation metadata, plus the thread id when there is room. */
export function convertMetadata(source: Record<string, unknown> | null | undefined, threadId: string): ConvertedMetadata {
  // Maps, not `obj[key] = v`: a "__proto__" key (an own key after JSON.parse) would otherwise vanish silently.
  const metadata = new Map<string, string>();
  const overflow = new Map<string, string>();
  for (const [key, raw] of Object.entries(source ?? {})) {
    // JSON.stringify(undefined) is undefined; keep such a value visible rather than crash on it.
    const value = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? String(raw));
    const fits = key.length <= METADATA_MAX_KEY && value.length <= METADATA_MAX_VALUE && metadata.size < METADATA_MAX_PAIRS;
    (fits ? metadata : overflow).set(key, value);
  }

  const warnings: MigrationWarning[] = [];
  if (overflow.size) {
    warnings.push({
      code: "metadata_overflow",
      detail: `metadata keys kept in ferry only (over the conversation's limits): ${[...overflow.keys()].join(", ")}`,
    });
  }
  if (!metadata.has(THREAD_ID_KEY)) {
    if (metadata.size < METADATA_MAX_PAIRS) metadata.set(THREAD_ID_KEY, threadId);
    else warnings.push({ code: "metadata_no_room_for_thread_id", detail: `metadata already holds ${METADATA_MAX_PAIRS} pairs` });
  }
  // Object.fromEntries defines own data properties, so every key (even "__proto__") survives.
  return { metadata: Object.fromEntries(metadata), overflow: Object.fromEntries(overflow), warnings };
}
