// Contract §2: the export routes are in /openapi.json, from the schemas that check them.
import { expect, it } from "vitest";
import { api } from "../support/ferry";

it("documents POST /v1/exports (NDJSON, JSON or a registration) and GET /v1/exports/{export_id}", async () => {
  const doc = (await (await api("/openapi.json", { token: null })).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>; components: { schemas: Record<string, unknown> } };
  expect(Object.keys(doc.paths["/v1/exports"]!)).toEqual(["post"]);
  expect(Object.keys(doc.paths["/v1/exports"]!.post!.requestBody!.content)).toEqual(["application/x-ndjson", "application/json"]);
  expect(JSON.stringify(doc.paths["/v1/exports/{export_id}"])).toContain("^exp_[A-Za-z0-9]{1,64}$");
  expect(doc.components.schemas).toHaveProperty("Export");
  expect(doc.components.schemas).toHaveProperty("ExportRegistration");
  expect(JSON.stringify(doc.components.schemas.ThreadMigration)).toContain('"export"');
});
