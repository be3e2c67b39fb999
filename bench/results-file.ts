// A results file (bench/results/*.md) is a part the bench writes, between two markers, and
// hand-written notes around it that the bench never rewrites: why a target is missed, how to read
// the numbers. A note explaining a target starts with a heading naming its id in backticks
// ("### `speedup` …"); the generated part flags misses without one and notes that no longer fit.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const BEGIN = "<!-- bench:begin — written by `npm run bench`; edit outside these markers only -->";
const END = "<!-- bench:end -->";
const TARGET_NOTE = /^#{2,6}\s+`([\w-]+)`/gm;

const STUB = `## Notes

Hand-written: \`npm run bench\` rewrites only the part between the markers above. Explain each missed
target under a heading that starts with its id in backticks, e.g. \`\`### \`speedup\` \`\`.
`;

/** The hand-written text before and after the generated part (a file without markers was generated whole). */
function handWritten(file: string): { before: string; after: string } {
  const text = existsSync(file) ? readFileSync(file, "utf8") : "";
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) return { before: "", after: STUB };
  return { before: text.slice(0, begin), after: text.slice(end + END.length).replace(/^\n+/, "") };
}

/** Ids of the targets the file's notes explain. */
export function explainedTargets(file: string): Set<string> {
  const { before, after } = handWritten(file);
  return new Set([...(before + after).matchAll(TARGET_NOTE)].map((m) => m[1]!));
}

/** Replaces the generated part, keeping the hand-written text (a new file gets a stub to fill in). */
export function writeResults(file: string, generated: string): void {
  const { before, after } = handWritten(file);
  writeFileSync(file, `${before}${BEGIN}\n${generated.trimEnd()}\n${END}\n\n${after}`);
}
