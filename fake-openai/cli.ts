// Standalone run for manual poking:  npx tsx fake-openai/cli.ts [port] [--empty]
// Serves the demo data unless --empty is given; Ctrl-C to stop.
import { parseArgs } from "node:util";
import { startFakeOpenAI } from "./index";

const USAGE = "Usage: npx tsx fake-openai/cli.ts [port] [--empty]";
let args;
try {
  args = parseArgs({ options: { empty: { type: "boolean" } }, allowPositionals: true });
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [portArg, ...extra] = args.positionals;
if (extra.length || (portArg !== undefined && !/^\d+$/.test(portArg))) {
  console.error(USAGE);
  process.exit(2);
}

const fake = await startFakeOpenAI({ port: Number(portArg ?? 8790), seed: args.values.empty ? "none" : "demo" });
console.log(`fake OpenAI on ${fake.url}/v1 (key sk-test)`);
process.on("SIGINT", () => void fake.close().then(() => process.exit(0)));
