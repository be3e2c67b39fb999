// Contract §6.1: an Entra token is fetched once and reused by every call of the isolate until
// 5 minutes before it expires; callers that need one at the same moment share one fetch.
import { beforeEach, expect, it } from "vitest";
import { AZURE_ROUTES, foundrySource, registerEntraApp } from "../support/azure";
import { fake } from "../support/fake";
import { api, uniqueThreadId } from "../support/ferry";
import type { ThreadMigration } from "../../src/handlers/http/schemas";

beforeEach(() => fake.reset());

const tokenFetches = async () => (await fake.calls()).byRoute[AZURE_ROUTES.token] ?? 0;

it("N migrations, concurrent and then one after another, fetch one token", async () => {
  const app = await registerEntraApp();
  const env = foundrySource(app);
  const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => fake.createThread({ id: uniqueThreadId(`reuse${i}`), generate: 3 })));

  // Each request reads its configuration anew (a fresh env object), as separate requests to one isolate do.
  const migrate = async (id: string) => (await (await api(`/v1/threads/${id}/migrate`, { method: "POST", env })).json()) as ThreadMigration;
  const concurrent = await Promise.all(ids.slice(0, 5).map(migrate));
  const sequential: ThreadMigration[] = [];
  for (const id of ids.slice(5)) sequential.push(await migrate(id));

  expect([...concurrent, ...sequential].map((t) => t.status)).toEqual(Array(8).fill("migrated"));
  expect(await tokenFetches()).toBe(1);
});
