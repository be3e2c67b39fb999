// Ids and timestamps shaped like the real API's.

import { randomBytes } from "node:crypto";

export const nowSec = () => Math.floor(Date.now() / 1000);

let lastSeq = 0;
/** Ids that sort in creation order (time-based hex prefix) and never repeat across resets/restarts. */
export function newId(prefix: string, hexLen: number): string {
  lastSeq = Math.max(lastSeq + 1, Date.now() * 4096);
  return prefix + lastSeq.toString(16).padStart(14, "0") + randomBytes(hexLen).toString("hex").slice(0, hexLen - 14);
}
