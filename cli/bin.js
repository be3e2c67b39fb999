#!/usr/bin/env node
// `npx ferry`: registers tsx's loader so the TypeScript sources run as they are on Node 20,
// with no build step to forget; the exit code is the command's (contract §8).
import { register } from "tsx/esm/api";

register();
const { run } = await import("./main.ts");
process.exitCode = await run(process.argv.slice(2));
