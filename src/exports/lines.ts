/** One line of an export, with the exact bytes it spans (its newline included) for checkpoints and ranges. */
export interface Line {
  /** The line without its line ending; null when it could not be kept (see `problem`). */
  text: string | null;
  problem?: "too_long" | "not_utf8";
  start: number;
  end: number;
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines as it arrives, never holding more than one line (up to
 * `maxLineBytes`; a longer one is passed over and reported, not kept). `start` is the byte offset
 * of the stream's first byte in its object. Stopping early cancels the stream.
 */
export async function* readLines(body: ReadableStream<Uint8Array>, start: number, maxLineBytes: number): AsyncGenerator<Line> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let parts: Uint8Array[] = [];
  let kept = 0; // bytes of the line held in `parts`
  let spanned = 0; // bytes the line spans so far, its newline included
  let tooLong = false;
  let lineStart = start;
  const finish = (): Line => {
    const end = lineStart + spanned;
    const line: Line = tooLong ? { text: null, problem: "too_long", start: lineStart, end } : decode(decoder, parts, kept, lineStart, end);
    parts = [];
    kept = spanned = 0;
    tooLong = false;
    lineStart = end;
    return line;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let from = 0;
      while (from < value.length) {
        const nl = value.indexOf(NEWLINE, from);
        const to = nl < 0 ? value.length : nl;
        if (!tooLong && kept + (to - from) > maxLineBytes) {
          tooLong = true;
          parts = [];
        }
        if (!tooLong) {
          parts.push(value.subarray(from, to));
          kept += to - from;
        }
        spanned += to - from;
        if (nl < 0) break;
        spanned += 1;
        yield finish();
        from = nl + 1;
      }
    }
    if (spanned > 0) yield finish();
  } finally {
    await reader.cancel().catch(() => {});
  }
}

function decode(decoder: TextDecoder, parts: Uint8Array[], length: number, start: number, end: number): Line {
  const bytes = parts.length === 1 ? parts[0]! : concatBytes(parts, length);
  try {
    const text = decoder.decode(bytes);
    return { text: text.endsWith("\r") ? text.slice(0, -1) : text, start, end };
  } catch {
    return { text: null, problem: "not_utf8", start, end };
  }
}

export function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
