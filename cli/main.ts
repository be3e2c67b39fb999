// `ferry`: the operator's command line for a running ferry (contract §8). Every command is a
// call of ferry's HTTP API; this file wires the commands to commander and the exit codes.
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { THREAD_STATUSES } from "../src/db/schema";
import { CliError, connection, EXIT, type Connection, type ConnectionFlags } from "./client";
import { importFile, renderImport } from "./import";
import { exportMapping, pause, renderBackfillState, renderExportSummary, resume, type ExportOptions } from "./mapping";
import { print, type OutputFlags } from "./output";
import { getStatus, renderStatus, watchStatus } from "./status";
import { lookup, preview, renderPreview, renderThreads } from "./threads";
import { exportFailed, renderExport, upload } from "./upload";

type GlobalFlags = ConnectionFlags & OutputFlags;

const program = new Command("ferry")
  .description("Operate a running ferry: import thread ids, follow the migration, look threads up, export the mapping.")
  .option("--url <url>", "ferry's address (default: FERRY_URL, else http://127.0.0.1:8787)")
  .option("--token <token>", "ferry's API_TOKEN (default: FERRY_TOKEN)")
  .option("--json", "print one JSON document for scripts instead of text")
  .addHelpText(
    "after",
    `
Exit codes: 0 done, 1 failures were reported (bad lines, an error from ferry, ferry unreachable), 2 usage.

Examples:
  FERRY_URL=http://127.0.0.1:8787 FERRY_TOKEN=dev-token npx ferry status
  npx ferry import thread-ids.csv
  npx ferry export --status failed --format csv -o failed.csv`,
  )
  .exitOverride()
  .showHelpAfterError("(ferry --help lists the commands and options)");

let exitCode: number = EXIT.ok;

/** An action that resolves with its exit code (commander ignores what actions return). */
const action =
  <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
  async (...args: A) => {
    exitCode = await fn(...args);
  };

/** The connection and output flags, wherever on the line they were given. */
const globals = (cmd: Command): GlobalFlags => cmd.optsWithGlobals<GlobalFlags>();

/** A command that prints ferry's answer about its first argument (if it takes one) and exits 0. */
const printing = <V, T>(get: (conn: Connection, value: V) => Promise<T>, render: (answer: T) => string) =>
  action(async (...args: unknown[]) => {
    const g = globals(args.at(-1) as Command); // commander passes the command last
    print(g, await get(connection(g), args[0] as V), render);
    return EXIT.ok;
  });

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of seconds, at least 1");
  return n;
};

program
  .command("import")
  .description("register thread ids for the backfill, 1,000 a call; a killed run resumes where it stopped")
  .argument("<file>", "ids in a .txt (one a line), .csv (a header row, the ids in --column) or .ndjson/.jsonl ({\"thread_id\": …} a line)")
  .option("--column <name>", "the CSV column holding the ids", "thread_id")
  .option("--restart", "ignore <file>.ferry-import and import from the first line")
  .action(
    action(async (file: string, opts: { column: string; restart?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const summary = await importFile(connection(g), file, opts);
      print(g, summary, renderImport);
      return summary.bad_line_count ? EXIT.failed : EXIT.ok;
    }),
  );

program
  .command("status")
  .description("threads by status, throughput, the shutdown and the projected finish")
  .option("--watch", "keep polling with a progress bar until nothing is left to migrate")
  .option("--interval <seconds>", "seconds between polls with --watch", positiveInt, 5)
  .action(
    action(async (opts: { watch?: boolean; interval: number }, cmd: Command) => {
      const g = globals(cmd);
      const conn = connection(g);
      if (!opts.watch) print(g, await getStatus(conn), renderStatus);
      else await watchStatus(conn, { ...g, intervalSeconds: opts.interval });
      return EXIT.ok;
    }),
  );

program
  .command("lookup")
  .description("what ferry knows of threads (never calls OpenAI); unknown ids show as unknown")
  .argument("<thread_ids...>")
  .action(printing(lookup, renderThreads));

program
  .command("preview")
  .description("dry-run a thread's migration: the items, writes and warnings it would make, writing nothing")
  .argument("<thread_id>")
  .action(printing(preview, renderPreview));

program
  .command("export")
  .description("the whole thread → conversation mapping, streamed (one page of it in memory at a time)")
  .addOption(new Option("--format <format>", "csv or ndjson").choices(["csv", "ndjson"]).default("ndjson"))
  .addOption(new Option("--status <status>", "only threads in this status").choices(THREAD_STATUSES))
  .option("--after <thread_id>", "start after this thread id: carries on an export that was cut off")
  .option("-o, --output <file>", "write to this file (default: stdout) and report what was written")
  .action(
    action(async (opts: ExportOptions, cmd: Command) => {
      const g = globals(cmd);
      const summary = await exportMapping(connection(g), opts);
      // On stdout the mapping itself is the output; a summary goes there only beside a file.
      if (opts.output) print(g, summary, renderExportSummary);
      return EXIT.ok;
    }),
  );

program.command("pause").description("pause the backfill's OpenAI traffic; lazy migrations go on").action(printing(pause, renderBackfillState));
program.command("resume").description("resume the backfill").action(printing(resume, renderBackfillState));

program
  .command("upload")
  .description("upload an Assistants export (contract §6.2), streamed, for ferry to register its threads")
  .argument("<export_file>", ".ndjson/.jsonl (one record, message or transcript a line) or .json")
  .option("--wait", "follow the ingestion until it is done")
  .action(
    action(async (file: string, opts: { wait?: boolean }, cmd: Command) => {
      const g = globals(cmd);
      const exp = await upload(connection(g), file, opts);
      print(g, exp, renderExport);
      return exportFailed(exp) ? EXIT.failed : EXIT.ok;
    }),
  );

/** Output piped into a reader that stopped early (`ferry export | head`) is no failure. */
const readerLeft = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code === "EPIPE";

/** Runs the command line; resolves with the exit code. */
export async function run(argv: string[]): Promise<number> {
  for (const cmd of program.commands) cmd.exitOverride().showHelpAfterError("(ferry --help lists the commands and options)");
  process.stdout.on("error", (err) => {
    if (!readerLeft(err)) throw err;
    process.exit(exitCode);
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // --help exits 0; commander printed the rest
    if (readerLeft(err)) return exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`ferry: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
