// Vector store ingestion, asynchronous but deterministic: files attached by a batch or a store
// create start in_progress and finish on a later /v1 read once the `ingest` config captured at
// creation is met (README "Ingestion"). `/__control/files/{id}/fail-ingest` makes a file fail.

import { notFound } from "./errors";
import { route, type Route } from "./routes";
import { checkBody, enumOf, req, str } from "./schema";

export interface IngestConfig {
  /** Status reads (GET of the batch or of the store) that still answer in_progress. Default 0. */
  afterPolls: number;
  /** Milliseconds before files are processed. Default 0 = processed on the next read. */
  afterMs: number;
}
export interface IngestError {
  code: "server_error" | "unsupported_file" | "invalid_file";
  message: string;
}
export type VectorStoreFileStatus = "in_progress" | "completed" | "failed" | "cancelled";
export const FILE_STATUSES: readonly VectorStoreFileStatus[] = ["in_progress", "completed", "failed", "cancelled"];

/** One ingestion run (a batch, or the file_ids of a store create/seed); done once its config is met. */
export interface IngestJob {
  createdMs: number;
  afterPolls: number;
  afterMs: number;
  polls: number;
  done: boolean;
}
/** A file attached to a store, as ingestion sees it. */
export interface IngestingFile {
  file_id: string;
  status: VectorStoreFileStatus;
  last_error: IngestError | null;
  job: IngestJob | null;
}

/** Body of POST /__control/files/{id}/fail-ingest (VectorStoreFileObject.last_error). */
export function checkIngestError(body: unknown): IngestError {
  return checkBody(body, {
    code: req(enumOf(["server_error", "unsupported_file", "invalid_file"])),
    message: req(str),
  }) as unknown as IngestError;
}

export class Ingestion {
  /** file id → the error its ingestion ends with (any store, until cleared). */
  private failures = new Map<string, IngestError>();

  constructor(
    private readonly config: () => IngestConfig,
    private readonly fileExists: (id: string) => boolean,
  ) {}

  /** A job that finishes per the config as it is now. */
  newJob(): IngestJob {
    const { afterPolls, afterMs } = this.config();
    return { createdMs: Date.now(), afterPolls, afterMs, polls: 0, done: false };
  }

  /** Finishes every in_progress file whose job is due: completed, or failed with its marked error. */
  settle(files: Iterable<IngestingFile>): void {
    const now = Date.now();
    for (const f of files) {
      const job = f.job;
      if (f.status !== "in_progress" || !job) continue;
      if (!job.done && job.polls >= job.afterPolls && now - job.createdMs >= job.afterMs) job.done = true;
      if (!job.done) continue;
      const error = this.failures.get(f.file_id);
      f.status = error ? "failed" : "completed";
      f.last_error = error ? { ...error } : null;
    }
  }

  /** One poll for each distinct job that still has an in_progress file among `files`. */
  countPoll(files: Iterable<IngestingFile>): void {
    const jobs = new Set<IngestJob>();
    for (const f of files) if (f.status === "in_progress" && f.job && !f.job.done) jobs.add(f.job);
    for (const job of jobs) job.polls++;
  }

  /** From now on, ingestion of this file (in any store) ends `failed` with this error. */
  fail(fileId: string, error: IngestError): void {
    if (!this.fileExists(fileId)) throw notFound(`No such File object: ${fileId}`, "id");
    this.failures.set(fileId, { ...error });
  }
  clear(fileId: string): boolean {
    return this.failures.delete(fileId);
  }
}

export const ingestionRoutes: Route[] = [
  route("POST", "/__control/files/{id}/fail-ingest", (c) => {
    const last_error = checkIngestError(c.body());
    c.state.vectorStores.ingestion.fail(c.params.id, last_error);
    return { id: c.params.id, last_error };
  }),
  route("DELETE", "/__control/files/{id}/fail-ingest", (c) => ({ id: c.params.id, cleared: c.state.vectorStores.ingestion.clear(c.params.id) })),
];
