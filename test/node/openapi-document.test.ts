// Contract §2: GET /openapi.json is a valid OpenAPI 3.1 document. Runs in Node because the
// validator compiles its schemas with eval and the client generator needs Node (see vitest.config.ts);
// what the document promises about real answers is checked inside workerd (test/openapi/).
import { Validator } from "@seriousme/openapi-schema-validator";
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from "openapi-typescript";
import { expect, it } from "vitest";
import { app } from "../../src/handlers/http/app";

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

async function document(): Promise<OpenAPI3 & Record<string, unknown>> {
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

// test/openapi/client.test.ts compiles against these types, so a change to the document that
// breaks a generated client fails `tsc`. Refresh them with `npx vitest run --project node -u`.
it("generates the client types committed beside the typed-client test", async () => {
  const types = astToString(await openapiTS(await document()));
  await expect(COMMENT_HEADER + types).toMatchFileSnapshot("../openapi/ferry-api.d.ts");
});
