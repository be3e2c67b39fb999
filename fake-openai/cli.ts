// Standalone run for manual poking:  npx tsx fake-openai/cli.ts [port] [--empty]
// Serves the demo data unless --empty is given; Ctrl-C to stop.
import { startFakeOpenAI } from "./index";

const args = process.argv.slice(2);
const fake = await startFakeOpenAI({
  port: Number(args.find((a) => /^\d+$/.test(a)) ?? 8790),
  seed: args.includes("--empty") ? "none" : "demo",
});
console.log(`fake OpenAI on ${fake.url}/v1 (key sk-test)`);
process.on("SIGINT", () => void fake.close().then(() => process.exit(0)));
