import type { TestProject } from "vitest/node";
import { startFakeOpenAI } from "../fake-openai";

// One fake OpenAI for the whole run; tests reach it (and its /__control API)
// through the URL provided here.
export default async function setup(project: TestProject) {
  const fake = await startFakeOpenAI({ apiKeys: ["sk-test"] });
  project.provide("fakeOpenAIUrl", fake.url);
  return () => fake.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    fakeOpenAIUrl: string;
  }
}
