/// <reference types="vite/client" />
// The folders of src/ are layers; a module imports only from its own folder and from layers below
// it (README "Layout"). The sources are read as text at build time, so a new upward import fails here.
import { expect, it } from "vitest";

const sources = import.meta.glob<string>("../src/**/*.{ts,tsx}", { query: "?raw", import: "default", eager: true });

/** Lowest first. Folders on one layer do not import each other. */
const LAYERS: string[][] = [
  ["ids", "config", "retry", "conversion", "status"],
  ["exports"],
  ["db", "queue", "client"],
  ["source", "target", "pacing"],
  ["migration", "files", "backfill", "ingest"],
  ["handlers"],
  ["index"],
];

const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));
const folderOf = (path: string) => path.replace(/^(\.\.\/)?src\//, "").replace(/\.tsx?$/, "").split("/")[0]!;

function imports(path: string, text: string): string[] {
  const dir = path.split("/").slice(0, -1);
  return [...text.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => {
    const parts = [...dir];
    for (const segment of m[1]!.split("/")) {
      if (segment === "..") parts.pop();
      else if (segment !== ".") parts.push(segment);
    }
    return parts.join("/");
  });
}

it("every folder of src/ has a layer", () => {
  expect(Object.keys(sources).length).toBeGreaterThan(40);
  const folders = new Set(Object.keys(sources).map(folderOf));
  expect([...folders].filter((f) => layerOf(f) < 0 && f !== "worker-configuration.d")).toEqual([]);
});

it("no import runs upward or sideways between layers", () => {
  const wrong: string[] = [];
  for (const [path, text] of Object.entries(sources)) {
    const from = folderOf(path);
    for (const target of imports(path, text)) {
      if (!target.startsWith("../src/")) continue; // migrations/*.sql and the like
      const to = folderOf(target);
      if (to !== from && layerOf(to) >= layerOf(from)) wrong.push(`${path} → ${target}`);
    }
  }
  expect(wrong).toEqual([]);
});
