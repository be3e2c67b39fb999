import type { TestProject } from "vitest/node";
import http from "node:http";

export default async function setup(project: TestProject) {
  const server = http.createServer((_req, res) => res.end("{}"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  project.provide("fakeOpenAIUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((r) => server.close(() => r()));
}

declare module "vitest" {
  export interface ProvidedContext {
    fakeOpenAIUrl: string;
  }
}
