// ferry's export routes as tests call them, and the fixtures they upload (export-fixtures.ts).
import { vi } from "vitest";
import type { Export } from "../../src/handlers/http/schemas";
import { api, type EnvOverrides } from "./ferry";

export * from "./export-fixtures";

export async function postExport(body: string, opts: { contentType?: string; env?: EnvOverrides } = {}) {
  // As curl --data-binary sends it: with its length, which an upload streamed into R2 needs.
  const headers = { "content-type": opts.contentType ?? "application/x-ndjson", "content-length": String(new TextEncoder().encode(body).length) };
  const res = await api("/v1/exports", { method: "POST", body, headers, env: opts.env });
  return { res, body: (await res.json()) as Export };
}

export async function getExport(id: string): Promise<Export> {
  return (await (await api(`/v1/exports/${id}`)).json()) as Export;
}

/** Waits for the local queue to finish ingesting an export. */
export async function ingested(id: string, timeout = 60_000): Promise<Export> {
  return vi.waitUntil(
    async () => {
      const e = await getExport(id);
      return e.status !== "ingesting" ? e : false;
    },
    { timeout, interval: 100 },
  );
}

/** A conversation's items as an app sees them: without the ids and statuses the API gave them. */
export const itemsOf = (items: readonly object[]) => items.map((item) => Object.fromEntries(Object.entries(item).filter(([k]) => k !== "id" && k !== "status")));
