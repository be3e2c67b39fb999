// Files: `GET /v1/files/{id}` (how ferry resolves a citation's filename) and seeding them over
// /__control. Vector stores attach these files (vector-stores.ts).

import { randomBytes } from "node:crypto";
import { invalid, notFound } from "./errors";
import { nowSec } from "./ids";
import { route, type Route } from "./routes";

export interface FileSpec {
  id?: string;
  filename: string;
  bytes?: number;
  purpose?: string;
}

export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "processed";
}

export class FileStore {
  private files = new Map<string, FileObject>();

  create(spec: FileSpec): string {
    if (typeof spec?.filename !== "string") throw invalid("filename", "Missing required parameter: 'filename'.");
    const id = spec.id ?? `file-${randomBytes(11).toString("hex")}`;
    this.files.set(id, {
      id,
      object: "file",
      bytes: spec.bytes ?? 1024,
      created_at: nowSec(),
      filename: spec.filename,
      purpose: spec.purpose ?? "assistants",
      status: "processed",
    });
    return id;
  }

  get(id: string): FileObject {
    const f = this.files.get(id);
    if (!f) throw notFound(`No such File object: ${id}`, "id");
    return f;
  }

  exists = (id: string): boolean => this.files.has(id);

  /** Size of a file, 0 once it is gone. */
  bytes(id: string): number {
    return this.files.get(id)?.bytes ?? 0;
  }
}

export const fileRoutes: Route[] = [
  route("GET", "/v1/files/{id}", (c) => c.state.files.get(c.params.id)),
  route("POST", "/__control/files", (c) => {
    const b = c.body();
    // `{files: FileSpec[]}` seeds many at once (e.g. 2000 for a full file batch).
    if (Array.isArray(b.files)) return { ids: (b.files as FileSpec[]).map((f) => c.state.files.create(f)) };
    return { id: c.state.files.create(b as unknown as FileSpec) };
  }),
];
