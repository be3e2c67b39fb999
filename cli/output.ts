// What a person sees versus what a script reads: human text on stdout (a progress bar on stderr
// when it is a terminal), or with --json one JSON document on stdout and nothing else there.
import { Transform } from "node:stream";
import { SingleBar } from "cli-progress";

export interface OutputFlags {
  json?: boolean;
}

/** Prints `data` as JSON for scripts, else the human rendering of it. */
export function print<T>(flags: OutputFlags, data: T, human: (data: T) => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
}

export const count = (n: number) => n.toLocaleString("en-US");

/**
 * A bar with rate and ETA on stderr (the ETA from the progress seen, unless `eta` says another);
 * cli-progress draws nothing when stderr is not a terminal, so piped and scripted runs stay clean.
 */
export function progressBar(label: string, unit: string, eta = "ETA {eta_formatted}"): SingleBar {
  return new SingleBar({
    format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit} | {rate} | ${eta}`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    etaBuffer: 20,
    formatValue: (v, _o, type) => (type === "value" || type === "total" ? count(v) : String(v)),
  });
}

/** `{rate}` for progressBar: units a second since `since`. */
export function rate(done: number, since: number, unit: string): { rate: string } {
  const seconds = (Date.now() - since) / 1000;
  return { rate: `${count(Math.round(done / Math.max(seconds, 0.001)))} ${unit}/s` };
}

/** A pass-through stream that shows each chunk to `seen`: bars and tallies of what flows by. */
export const tap = (seen: (chunk: Buffer) => void) =>
  new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen(chunk);
      done(null, chunk);
    },
  });

/** Line ends in a chunk of bytes. */
export function newlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}
