import type { MigrationWarning } from "./types";

/** Stored warnings are capped so a pathological thread cannot grow its row without bound. */
export const MAX_STORED_WARNINGS = 1000;

const key = (w: MigrationWarning) => `${w.code}\u0000${w.message_id ?? ""}\u0000${w.detail}`;

/** `existing` plus the new warnings not already in it (a resumed run meets the same ones again). */
export function mergeWarnings(existing: readonly MigrationWarning[], added: readonly MigrationWarning[]): MigrationWarning[] {
  const merged = [...existing];
  const seen = new Set(existing.map(key));
  for (const w of added) {
    if (merged.length >= MAX_STORED_WARNINGS) break;
    if (seen.has(key(w))) continue;
    seen.add(key(w));
    merged.push(w);
  }
  return merged;
}
