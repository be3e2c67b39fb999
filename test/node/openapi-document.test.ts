// Contract §2: GET /openapi.json is a valid OpenAPI 3.1 document. Runs in Node because the
// validator compiles its schemas with eval (see vitest.config.ts); what the document promises
// about real answers is checked inside workerd (test/openapi/answers.test.ts).
import { Validator } from "@seriousme/openapi-schema-validator";
import { expect, it } from "vitest";
import { app } from "../../src/handlers/http/app";

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

async function document(): Promise<{ paths?: Record<string, object> } & Record<string, unknown>> {
  const res = await app.request("/openapi.json");
  expect(res.status).toBe(200);
  return res.json();
}

it("validates against the OpenAPI 3.1 schema, every $ref resolving", async () => {
  expect(await new Validator().validate(await document())).toEqual({ valid: true });
});

it("names every operation, each name once (generated clients call them by it)", async () => {
  const { paths = {} } = await document();
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ at: `${method.toUpperCase()} ${path}`, id: (op as { operationId?: string }).operationId })),
  );
  expect(operations.filter((o) => !o.id).map((o) => o.at)).toEqual([]);
  expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
});
