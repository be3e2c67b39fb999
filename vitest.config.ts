import { readFileSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import type { Plugin } from "vite";
import { configDefaults, defineConfig } from "vitest/config";
import { DEMO_WEBHOOK_SECRET } from "./scripts/demo-secrets.ts";

// Tools that need Node (the OpenAPI validator compiles with eval, which workerd forbids; the client
// generator uses Node's built-ins) run in their own project; everything else runs inside workerd.
const NODE_TESTS = "test/node/**";
// End-to-end tests drive ferry under `wrangler dev` over HTTP from Node, as a user would.
const E2E_FILES = "test/e2e/**";
/** wrangler.toml's Text [[rules]], as one pattern. */
const TEXT_MODULES = /(\.sql|\.browser\.js|\.css|\.svg|\/swagger-ui-bundle\.js)$/;

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const workers = {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          compatibilityFlags: ["service_binding_extra_handlers"],
          // Replaces wrangler.toml's consumer settings (it does not merge): fewer retries keep the
          // dead-letter test short; everything else as deployed.
          queueConsumers: {
            "ferry-migrations": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 2, deadLetterQueue: "ferry-migrations-dlq" },
            "ferry-migrations-dlq": { maxBatchSize: 10, maxBatchTimeout: 1 },
          },
          bindings: {
            TEST_MIGRATIONS: migrations,
            OPENAI_BASE_URL: `${inject("fakeOpenAIUrl")}/v1`,
            ASSISTANTS_BASE_URL: "",
            OPENAI_API_KEY: "sk-test",
            ASSISTANTS_API_KEY: "",
            OPENAI_TIMEOUT_MS: "1500", // hang faults trip the timeout quickly
            API_TOKEN: "test-token",
            WEBHOOK_SECRET: DEMO_WEBHOOK_SECRET,
          },
        },
      })),
    ],
    test: {
      name: "workers",
      exclude: [...configDefaults.exclude, NODE_TESTS, E2E_FILES],
      globalSetup: ["./test/global-setup.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      fileParallelism: false, // one fake OpenAI server serves every file
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  };
  // The app embeds migrations/*.sql and the pages' files as text (wrangler.toml [[rules]]); Node
  // gets them the same way, under an id of their own so that no CSS or JS handling comes first.
  const TEXT = "?ferry-text";
  const textModules: Plugin = {
    name: "text-modules",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!TEXT_MODULES.test(source)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved && resolved.id + TEXT;
    },
    load: (id) => (id.endsWith(TEXT) ? `export default ${JSON.stringify(readFileSync(id.slice(0, -TEXT.length), "utf8"))};` : null),
  };
  const node = { plugins: [textModules], test: { name: "node", include: [NODE_TESTS], environment: "node" } };
  const e2e = {
    test: {
      name: "e2e",
      include: ["test/e2e/**/*.test.ts"],
      environment: "node",
      globalSetup: ["./test/e2e/global-setup.ts"],
      fileParallelism: false, // one ferry and one fake serve every file, and its counts are global
      testTimeout: 120_000,
      hookTimeout: 180_000, // wrangler dev's first build
    },
  };
  return { test: { projects: [workers, node, e2e] } };
});
