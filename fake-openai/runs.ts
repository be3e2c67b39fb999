// Assistants runs and their steps: seeding over /__control (a run with its tool calls, linked to
// the thread's messages), the store, and the /v1 reads ferry makes (retrieve, list, list steps).
// Who may call these routes (beta header, shutdown) is the Assistants gate's business.

import { ApiError, invalid, notFound } from "./errors";
import { newId, nowSec } from "./ids";
import { checkInclude, checkListQuery, paginate, type ListQuery, type Page } from "./pagination";
import { route, type Route } from "./routes";
import { anyObject, arrayOf, checkBody, enumOf, metadataField, nonNegInt, nullable, numberIn, object, opt, req, str, TYPE, union, type Metadata, type Obj } from "./schema";
import { seedTool, type AssistantStore } from "./assistants";
import type { MessageSpec, ThreadStore } from "./threads";

const RUN_STATUSES = ["queued", "in_progress", "requires_action", "cancelling", "cancelled", "failed", "completed", "incomplete", "expired"] as const;
const STEP_STATUSES = ["in_progress", "cancelled", "failed", "completed", "expired"] as const;
type RunStatus = (typeof RUN_STATUSES)[number];
type StepStatus = (typeof STEP_STATUSES)[number];
interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
interface LastError {
  code: string;
  message: string;
}

export interface RunStepObject {
  id: string;
  object: "thread.run.step";
  created_at: number;
  assistant_id: string;
  thread_id: string;
  run_id: string;
  type: "message_creation" | "tool_calls";
  status: StepStatus;
  step_details: { type: "message_creation"; message_creation: { message_id: string } } | { type: "tool_calls"; tool_calls: Obj[] };
  last_error: LastError | null;
  expired_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  metadata: Metadata;
  usage: Usage | null;
}
export interface RunObject {
  id: string;
  object: "thread.run";
  created_at: number;
  thread_id: string;
  assistant_id: string;
  status: RunStatus;
  required_action: { type: "submit_tool_outputs"; submit_tool_outputs: { tool_calls: Obj[] } } | null;
  last_error: LastError | null;
  expires_at: number | null;
  started_at: number | null;
  cancelled_at: number | null;
  failed_at: number | null;
  completed_at: number | null;
  incomplete_details: { reason: string } | null;
  model: string;
  instructions: string;
  tools: Obj[];
  metadata: Metadata;
  usage: Usage | null;
  temperature: number | null;
  top_p: number | null;
  max_prompt_tokens: number | null;
  max_completion_tokens: number | null;
  truncation_strategy: { type: "auto" | "last_messages"; last_messages: number | null };
  tool_choice: unknown;
  parallel_tool_calls: boolean;
  response_format: unknown;
}

/** A `message_creation` step names a message of the thread, or brings one to create in order. */
export interface StepSpec {
  type: "message_creation" | "tool_calls";
  id?: string;
  status?: StepStatus;
  last_error?: LastError | null;
  usage?: Usage | null;
  metadata?: Metadata;
  message_id?: string;
  /** Role assistant unless given; its run_id and assistant_id are the run's. */
  message?: Omit<MessageSpec, "role" | "run_id" | "assistant_id"> & { role?: MessageSpec["role"] };
  tool_calls?: Obj[];
}
/** POST /__control/threads/{id}/runs. Unset fields come from the assistant when it is seeded. */
export interface RunSpec {
  id?: string;
  assistant_id: string;
  status: RunStatus;
  model?: string;
  instructions?: string;
  tools?: Obj[];
  metadata?: Metadata;
  last_error?: LastError | null;
  incomplete_details?: { reason: string } | null;
  usage?: Usage | null;
  temperature?: number | null;
  top_p?: number | null;
  steps?: StepSpec[];
}

// ---------- seed validation (spec: RunObject / RunStepObject and its step details) ----------

const usage = object({ prompt_tokens: req(nonNegInt), completion_tokens: req(nonNegInt), total_tokens: req(nonNegInt) });
const callId = opt(str);
const toolCall = union({
  function: object({
    type: TYPE,
    id: callId,
    function: req(object({ name: req(str), arguments: req(str), output: req(nullable(str)) })),
  }),
  code_interpreter: object({
    type: TYPE,
    id: callId,
    code_interpreter: req(
      object({
        input: req(str),
        outputs: req(arrayOf(union({ logs: object({ type: TYPE, logs: req(str) }), image: object({ type: TYPE, image: req(object({ file_id: req(str) })) }) }))),
      }),
    ),
  }),
  file_search: object({
    type: TYPE,
    id: callId,
    file_search: req(
      object({
        ranking_options: opt(object({ ranker: req(enumOf(["auto", "default_2024_08_21"])), score_threshold: req(numberIn(0, 1)) })),
        results: opt(
          arrayOf(
            object({
              file_id: req(str),
              file_name: req(str),
              score: req(numberIn(0, 1)),
              content: opt(arrayOf(object({ type: req(enumOf(["text"])), text: req(str) }))),
            }),
          ),
        ),
      }),
    ),
  }),
});
const stepFields = {
  type: TYPE,
  id: opt(str),
  status: opt(enumOf(STEP_STATUSES)),
  last_error: opt(nullable(object({ code: req(enumOf(["server_error", "rate_limit_exceeded"])), message: req(str) }))),
  usage: opt(nullable(usage)),
  metadata: metadataField,
};
const step = union({
  message_creation: object({ ...stepFields, message_id: opt(str), message: opt(anyObject) }, (o, path) => {
    if ((o.message_id === undefined) === (o.message === undefined))
      throw invalid(path, `Invalid '${path}': exactly one of 'message_id' or 'message' must be provided.`);
    return o;
  }),
  tool_calls: object({ ...stepFields, tool_calls: req(arrayOf(toolCall)) }),
});

function checkRunSeed(body: unknown): RunSpec {
  return checkBody(body, {
    id: opt(str),
    assistant_id: req(str),
    status: req(enumOf(RUN_STATUSES)),
    model: opt(str),
    instructions: opt(str),
    tools: opt(arrayOf(seedTool)),
    metadata: metadataField,
    last_error: opt(nullable(object({ code: req(enumOf(["server_error", "rate_limit_exceeded", "invalid_prompt"])), message: req(str) }))),
    incomplete_details: opt(nullable(object({ reason: req(enumOf(["max_completion_tokens", "max_prompt_tokens"])) }))),
    usage: opt(nullable(usage)),
    temperature: opt(nullable(numberIn(0, 2))),
    top_p: opt(nullable(numberIn(0, 1))),
    steps: opt(arrayOf(step)),
  }) as unknown as RunSpec;
}

// ---------- building runs and steps ----------

const RUNNING: readonly RunStatus[] = ["queued", "in_progress", "requires_action", "cancelling"];
const NO_USAGE: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
const SERVER_ERROR: LastError = { code: "server_error", message: "Sorry, something went wrong." };
/** How long a run may wait (the real API's 10 minutes) before it expires. */
const RUN_TTL_SEC = 600;

/**
 * A step's status when the seed leaves it out: every step of a finished run is completed; a run
 * that stopped (or still goes on) stopped at its last step, which takes the run's state.
 */
function defaultStepStatus(run: RunStatus, last: boolean): StepStatus {
  if (!last || run === "completed" || run === "incomplete") return "completed";
  if (run === "cancelled" || run === "failed" || run === "expired") return run;
  return "in_progress";
}

/** The function calls a paused run waits on: output still null, in a step that is still in progress. */
function pendingCalls(steps: readonly StepSpec[]): Obj[] {
  return steps
    .filter((s) => s.status === "in_progress" && s.type === "tool_calls")
    .flatMap((s) => s.tool_calls!)
    .filter((c) => c.type === "function" && (c.function as Obj).output === null)
    .map((c) => ({ id: c.id, type: "function", function: { name: (c.function as Obj).name, arguments: (c.function as Obj).arguments } }));
}

/** file_search results carry their `content` only when the steps list asks for it. */
function withoutResultContent(s: RunStepObject): RunStepObject {
  if (s.step_details.type !== "tool_calls") return s;
  const tool_calls = s.step_details.tool_calls.map((c) => {
    const fs = c.file_search as Obj | undefined;
    if (c.type !== "file_search" || !fs?.results) return c;
    return { ...c, file_search: { ...fs, results: (fs.results as Obj[]).map(({ content: _content, ...r }) => r) } };
  });
  return { ...s, step_details: { type: "tool_calls", tool_calls } };
}

const STEP_INCLUDE = ["step_details.tool_calls[*].file_search.results[*].content"] as const;

interface RunRef {
  runId: string;
  threadId: string;
  assistantId: string;
}

function newStep(s: StepSpec, details: RunStepObject["step_details"], ref: RunRef, created_at: number): RunStepObject {
  const status = s.status!;
  const at = (when: StepStatus) => (status === when ? created_at : null);
  return {
    id: s.id ?? newId("step_", 24),
    object: "thread.run.step",
    created_at,
    assistant_id: ref.assistantId,
    thread_id: ref.threadId,
    run_id: ref.runId,
    type: details.type,
    status,
    step_details: details,
    last_error: status === "failed" ? (s.last_error ?? SERVER_ERROR) : null,
    expired_at: at("expired"),
    cancelled_at: at("cancelled"),
    failed_at: at("failed"),
    completed_at: at("completed"),
    metadata: s.metadata ?? {},
    usage: s.usage !== undefined ? s.usage : status === "in_progress" ? null : NO_USAGE,
  };
}

// ---------- the store ----------

interface RunRecord {
  run: RunObject;
  steps: RunStepObject[];
}

export class RunStore {
  /** Insertion order = creation order, across threads. */
  private runs = new Map<string, RunRecord>();

  constructor(
    private readonly threads: ThreadStore,
    private readonly assistants: AssistantStore,
  ) {}

  /**
   * Seeds a run with its steps, all-or-nothing: inline step messages are created in order (role
   * assistant unless given) with the run's id; a named message must be in the thread and not
   * belong to another run, and is linked to this one. Answers the run's id and the messages its
   * steps created or named, in step order.
   */
  create(threadId: string, body: unknown): { id: string; message_ids: string[] } {
    this.threads.get(threadId); // 404 before 400
    const spec = checkRunSeed(body);
    const ref = { runId: spec.id ?? newId("run_", 24), threadId, assistantId: spec.assistant_id };
    if (this.runs.has(ref.runId)) throw new ApiError(409, `Run '${ref.runId}' already exists.`, "invalid_request_error", "id");
    const specs = (spec.steps ?? []).map((s, i, all) => ({
      ...s,
      status: s.status ?? defaultStepStatus(spec.status, i === all.length - 1),
      ...(s.tool_calls ? { tool_calls: s.tool_calls.map((c) => ({ ...c, id: c.id ?? newId("call_", 24) })) } : {}),
    }));
    specs.forEach((s, i) => {
      if (s.message_id === undefined) return;
      const m = this.threads.message(threadId, s.message_id);
      const param = `steps[${i}].message_id`;
      if (!m) throw invalid(param, `Invalid '${param}': no message found with id '${s.message_id}' in thread '${threadId}'.`, null);
      if (m.run_id !== null && m.run_id !== ref.runId) throw invalid(param, `Invalid '${param}': message '${m.id}' belongs to run '${m.run_id}'.`, null);
    });
    const pending = pendingCalls(specs);
    if (spec.status === "requires_action" && !pending.length)
      throw invalid("status", "Invalid 'status': a requires_action run needs a function call with output null in an in_progress tool_calls step.");

    // Everything is checked (append checks its messages before writing any): nothing below fails.
    const created = this.threads.append(threadId, {
      messages: specs.flatMap((s) => (s.message ? [{ role: "assistant" as const, ...s.message, run_id: ref.runId, assistant_id: ref.assistantId }] : [])),
    });
    const created_at = nowSec();
    let clock = created_at;
    const messageIds: string[] = [];
    const steps = specs.map((s) => {
      if (s.type === "tool_calls") return newStep(s, { type: "tool_calls", tool_calls: s.tool_calls! }, ref, clock);
      const message_id = s.message_id ?? created.shift()!;
      messageIds.push(message_id);
      this.threads.linkRun(threadId, message_id, ref.runId, ref.assistantId);
      clock = Math.max(clock, this.threads.message(threadId, message_id)!.created_at);
      return newStep(s, { type: "message_creation", message_creation: { message_id } }, ref, clock);
    });
    this.runs.set(ref.runId, { run: this.newRun(spec, ref, pending, created_at, clock), steps });
    return { id: ref.runId, message_ids: messageIds };
  }

  get(threadId: string, runId: string): RunObject {
    return this.record(threadId, runId).run;
  }

  list(threadId: string, q: ListQuery): Page<RunObject> {
    this.threads.get(threadId);
    return paginate([...this.runs.values()].filter((r) => r.run.thread_id === threadId).map((r) => r.run), q, "run");
  }

  listSteps(threadId: string, runId: string, q: ListQuery, include: ReadonlySet<string>): Page<RunStepObject> {
    const page = paginate(this.record(threadId, runId).steps, q, "run step");
    return include.has(STEP_INCLUDE[0]) ? page : { ...page, data: page.data.map(withoutResultContent) };
  }

  /** Assistant messages seeded later with a run's `run_id` are what it created next: a completed message_creation step each. */
  adopt(threadId: string, messageIds: readonly string[]): void {
    for (const mid of messageIds) {
      const m = this.threads.message(threadId, mid)!;
      const r = m.run_id ? this.runs.get(m.run_id) : undefined;
      if (!r || r.run.thread_id !== threadId || m.role !== "assistant") continue;
      const ref = { runId: r.run.id, threadId, assistantId: r.run.assistant_id };
      this.threads.linkRun(threadId, mid, ref.runId, ref.assistantId);
      r.steps.push(newStep({ type: "message_creation", status: "completed" }, { type: "message_creation", message_creation: { message_id: mid } }, ref, m.created_at));
    }
  }

  /** A deleted thread takes its runs with it. */
  dropThread(threadId: string): void {
    for (const [id, r] of this.runs) if (r.run.thread_id === threadId) this.runs.delete(id);
  }

  private record(threadId: string, runId: string): RunRecord {
    this.threads.get(threadId);
    const r = this.runs.get(runId);
    if (!r || r.run.thread_id !== threadId) throw notFound(`No run found with id '${runId}'.`);
    return r;
  }

  /** The run object; what the seed leaves out comes from its assistant when seeded, else the API's defaults. */
  private newRun(spec: RunSpec, ref: RunRef, pending: Obj[], created_at: number, ended_at: number): RunObject {
    const a = this.assistants.find(spec.assistant_id);
    const st = spec.status;
    return {
      id: ref.runId,
      object: "thread.run",
      created_at,
      thread_id: ref.threadId,
      assistant_id: ref.assistantId,
      status: st,
      required_action: st === "requires_action" ? { type: "submit_tool_outputs", submit_tool_outputs: { tool_calls: pending } } : null,
      last_error: st === "failed" ? (spec.last_error ?? SERVER_ERROR) : null,
      expires_at: RUNNING.includes(st) ? created_at + RUN_TTL_SEC : st === "expired" ? ended_at : null,
      started_at: st === "queued" ? null : created_at,
      cancelled_at: st === "cancelled" ? ended_at : null,
      failed_at: st === "failed" ? ended_at : null,
      completed_at: st === "completed" ? ended_at : null,
      incomplete_details: st === "incomplete" ? (spec.incomplete_details ?? { reason: "max_completion_tokens" }) : null,
      model: spec.model ?? a?.model ?? "gpt-4o",
      instructions: spec.instructions ?? a?.instructions ?? "",
      tools: spec.tools ?? a?.tools ?? [],
      metadata: spec.metadata ?? {},
      usage: spec.usage !== undefined ? spec.usage : RUNNING.includes(st) ? null : NO_USAGE,
      temperature: spec.temperature !== undefined ? spec.temperature : (a?.temperature ?? 1),
      top_p: spec.top_p !== undefined ? spec.top_p : (a?.top_p ?? 1),
      max_prompt_tokens: null,
      max_completion_tokens: null,
      truncation_strategy: { type: "auto", last_messages: null },
      tool_choice: "auto",
      parallel_tool_calls: true,
      response_format: a?.response_format ?? "auto",
    };
  }
}

export const runRoutes: Route[] = [
  route("GET", "/v1/threads/{id}/runs", (c) => c.state.runs.list(c.params.id, checkListQuery(c.query, true))),
  route("GET", "/v1/threads/{id}/runs/{run_id}", (c) => c.state.runs.get(c.params.id, c.params.run_id)),
  route("GET", "/v1/threads/{id}/runs/{run_id}/steps", (c) =>
    c.state.runs.listSteps(c.params.id, c.params.run_id, checkListQuery(c.query, true), checkInclude(c.query, STEP_INCLUDE)),
  ),

  route("POST", "/__control/threads/{id}/runs", (c) => c.state.runs.create(c.params.id, c.body())),
];
