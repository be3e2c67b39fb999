// The e2e project's system: the fake OpenAI and ferry under `wrangler dev --local` (as
// `npm run dev` runs it), on free loopback ports with a D1/queue/R2 state of its own, so the tests
// can run beside a developer's `npm run dev`. Tests reach both over HTTP, as a user would.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeOpenAI } from "../../fake-openai";
import { applyMigrations, fakeVars, freePort, startWranglerDev, stopAll } from "../../scripts/local-ferry";

const FAKE_KEY = "sk-test"; // the key test/support/fake.ts calls the fake's /v1 API with
const TOKEN = "e2e-token";

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ferry-e2e-"));
  const persistTo = path.join(dir, "state");
  const logPath = path.join(dir, "wrangler.log"); // named in the error if ferry does not start
  const fake = await startFakeOpenAI({ apiKeys: [FAKE_KEY] });
  try {
    await applyMigrations({ persistTo, logPath: path.join(dir, "migrations.log") });
    const ferry = await startWranglerDev({ port: await freePort(), inspectorPort: await freePort(), persistTo, logPath, vars: fakeVars(fake.url, FAKE_KEY, TOKEN) });
    project.provide("ferryUrl", ferry.url);
    project.provide("ferryToken", TOKEN);
    project.provide("fakeUrl", fake.url);
    // The name test/support/fake.ts reads, so its control helpers serve these tests too.
    project.provide("fakeOpenAIUrl", fake.url);
  } catch (err) {
    await teardown();
    throw err;
  }

  async function teardown() {
    await stopAll();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return teardown;
}
