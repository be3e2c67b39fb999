// A Foundry source with an api-version it does not serve: every call answers 400. Each thread
// fails once with Azure's own message, GET /v1/status names the cause, and nothing is re-sent.
import { beforeEach, expect, it } from "vitest";
import { AZURE_ROUTES, foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { api, lookup, uniqueThreadId } from "../support/ferry";
import { drainQueue } from "../support/queue";

beforeEach(() => fake.reset());

const AZURE_MESSAGE = "Unsupported api version '2024-02-15-preview'. The supported versions are 'v1', '2025-05-01', '2025-05-15-preview'";

it("a wrong api-version: the thread fails with Azure's message, status names it, no retry storm", async () => {
  const app = await registerEntraApp();
  const env = foundrySource(app, "2024-02-15-preview");
  const ids = await Promise.all(Array.from({ length: 5 }, (_, i) => fake.createThread({ id: uniqueThreadId(`ver${i}`), generate: 2 })));

  const invocations = await drainQueue(ids.map((thread_id) => ({ type: "migrate_thread" as const, thread_id })), env);

  for (const id of ids) {
    expect(await lookup(id)).toMatchObject({
      status: "failed",
      conversation_id: null,
      error: { code: "openai_rejected", message: `the Assistants API answered 400: ${AZURE_MESSAGE}` },
    });
  }
  // One call per thread (its first read), no re-send, no queue retry, nothing written.
  const { byRoute } = await fake.calls();
  expect(byRoute[AZURE_ROUTES.thread]).toBe(ids.length);
  expect(byRoute[AZURE_ROUTES.messages]).toBeUndefined();
  expect(invocations.flatMap((i) => i.retryDelays)).toEqual([]);
  expect(await fake.conversations()).toEqual([]);

  const status = (await (await api("/v1/status", { env })).json()) as { source: unknown; last_failure: { error: { message: string } } };
  expect(status.source).toMatchObject({ api_version: "2024-02-15-preview", auth: "entra" });
  expect(status.last_failure).toMatchObject({ status: "failed", error: { code: "openai_rejected", message: expect.stringContaining(AZURE_MESSAGE) } });
});
