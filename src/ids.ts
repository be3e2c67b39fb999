/** Contract §2: ids are validated before any I/O. */
export const THREAD_ID = /^thread_[A-Za-z0-9_-]{1,64}$/;
export const ASSISTANT_ID = /^asst_[A-Za-z0-9_-]{1,64}$/;
export const EXPORT_ID = /^exp_[A-Za-z0-9]{1,64}$/;

/** Thread ids one call may carry: POST /v1/threads/lookup, POST /v1/threads/import. */
export const LOOKUP_MAX_IDS = 100;
export const IMPORT_MAX_IDS = 1000;

/** A new export id: `exp_` and 24 random letters and digits. */
export function newExportId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `exp_${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("")}`;
}
