// Contract §4.1: concurrent requests for one thread produce one conversation holding each message once.
import { beforeEach, expect, it } from "vitest";
import { fake, ROUTES } from "../support/fake";
import { migrate, settled, uniqueThreadId } from "../support/ferry";

beforeEach(() => fake.reset());

it("20 concurrent migrate requests on one thread make one conversation", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("race"), generate: 120 });
  await fake.configure({ latencyMs: 30 }); // keeps the first holder busy while the others arrive

  const answers = await Promise.all(Array.from({ length: 20 }, () => migrate(threadId)));

  expect(answers.every(({ res }) => res.status === 200 || res.status === 202)).toBe(true);
  const busy = answers.filter(({ res }) => res.status === 202);
  expect(busy.length).toBeGreaterThan(0);
  for (const { res, body } of busy) {
    expect(body.status).toBe("migrating");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  }

  const result = await settled(threadId);
  expect(result.status).toBe("migrated");
  const conversations = await fake.conversations();
  expect(conversations).toHaveLength(1);
  expect(conversations[0]!.items).toHaveLength(120);
  const { byRoute } = await fake.calls();
  expect(byRoute[ROUTES.create]).toBe(1);
  expect(byRoute[ROUTES.append]).toBe(5);
  expect(byRoute[ROUTES.thread]).toBe(1);
});

it("a migrate request for a migrated thread answers 200 without calling OpenAI", async () => {
  const threadId = await fake.createThread({ id: uniqueThreadId("again"), generate: 3 });
  const first = await migrate(threadId);
  expect(first.body.status).toBe("migrated");
  await fake.clearCalls();

  const again = await migrate(threadId);
  expect(again.res.status).toBe(200);
  expect(again.body).toEqual(first.body);
  expect((await fake.calls()).total).toBe(0);
});
