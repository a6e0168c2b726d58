import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { AisDecoder } from '../decoders/ais';
import { AisJsonLineWriter } from './ais-json-line';

/** The streams a command talks to; tests and other commands may pass their own. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** What one `seawall decode` run saw; also printed to stderr unless `--quiet`. */
export interface DecodeSummary {
  /** Lines read, blank ones included. */
  lines: number;
  /** JSON objects written: one per complete message. */
  decoded: number;
  /** Lines (or joined messages) turned away, by the decoder's reason. */
  rejected: Record<string, number>;
  /** First fragments still waiting for the rest when the input ended. */
  incomplete: number;
}

export const DECODE_USAGE = `Usage: seawall decode [--quiet] [FILE|-]

Decodes NMEA 0183 AIS sentences (!AIVDM/!AIVDO, optionally behind NMEA 4.0 tag blocks) from FILE, or from
stdin when FILE is - or absent, and writes one JSON object per decoded message per line to stdout.
Other and broken lines are skipped and counted; a summary goes to stderr at the end.

Options:
  -q, --quiet   no summary on stderr
  -h, --help    this text

Output fields: edge-gateway/src/cli/README.md
`;

// Output is gathered into buffers of about this many bytes per write.
const WRITE_BYTES = 1 << 20;
const READ_BYTES = 1 << 20;
// A "line" longer than this without a newline is not NMEA; it is dropped, not buffered without end.
const MAX_BUFFERED_LINE = 1 << 16;

/** `seawall decode`: returns the process exit code (0 done, 1 input unreadable, 2 bad usage). */
export async function run(args: readonly string[], io: CommandIo = processIo()): Promise<number> {
  let quiet = false;
  let input: string | null = null;
  for (const arg of args) {
    if (arg === '-h' || arg === '--help') {
      io.stdout.write(DECODE_USAGE);
      return 0;
    }
    if (arg === '-q' || arg === '--quiet') quiet = true;
    else if (arg.startsWith('-') && arg !== '-') return usageError(io, `unknown option ${arg}`);
    else if (input !== null) return usageError(io, `one input only, got ${input} and ${arg}`);
    else input = arg;
  }

  // Errors on stdout after the run (a reader gone after the last write) are not worth a stack trace.
  io.stdout.on('error', () => {});
  const source = input === null || input === '-' ? io.stdin : createReadStream(input, { highWaterMark: READ_BYTES });
  let summary: DecodeSummary;
  try {
    // Process stdout (file, pipe or terminal) is done with a buffer once its write calls back.
    summary = await decodeStream(source, io.stdout, { reuseBuffers: io.stdout === process.stdout });
  } catch (error) {
    if (isBrokenPipe(error)) return 0;
    io.stderr.write(`seawall decode: ${input ?? 'stdin'}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (!quiet) io.stderr.write(formatSummary(summary));
  return 0;
}

/** Tuning for {@link decodeStream}. */
export interface DecodeStreamOptions {
  /**
   * Refill an output buffer once its write has called back. Only for outputs that are done with a
   * chunk by then (files, pipes, sockets), not for a Transform or PassThrough, which pass it on.
   */
  reuseBuffers?: boolean;
}

/**
 * Decodes every line of `input` with one {@link AisDecoder} and writes JSON Lines to `output`,
 * in large writes, waiting for `drain` when the output is behind. Never holds more than a chunk of
 * input and about {@link WRITE_BYTES} of output.
 */
export async function decodeStream(
  input: Readable,
  output: Writable,
  options: DecodeStreamOptions = {},
): Promise<DecodeSummary> {
  const decoder = new AisDecoder();
  const text = new StringDecoder('utf8');
  let lines = 0;
  let tooLong = 0;
  let partial = '';
  let skipping = false;
  const out = new AisJsonLineWriter(WRITE_BYTES + (WRITE_BYTES >> 2));

  // The broken pipe of `seawall decode big.log | head` ends the run quietly (see run()).
  let outputError: unknown = null;
  const onError = (error: unknown) => {
    outputError ??= error;
  };
  output.on('error', onError);

  const flush = async () => {
    const chunk = out.take();
    const full = !(options.reuseBuffers ? output.write(chunk, () => out.recycle(chunk)) : output.write(chunk));
    if (outputError !== null) throw outputError;
    if (full) await once(output, 'drain');
  };

  try {
    for await (const chunk of input) {
      const data = typeof chunk === 'string' ? chunk : text.write(chunk as Buffer);
      // Lines are stamped with when their chunk arrived: a live feed times out lost fragments.
      const nowMs = Date.now();
      let from = 0;
      let to = data.indexOf('\n');
      if (to < 0) {
        if (!skipping) partial += data;
        if (partial.length > MAX_BUFFERED_LINE) {
          partial = '';
          skipping = true;
        }
        continue;
      }
      while (to >= 0) {
        let line = data.slice(from, to);
        if (partial.length > 0) {
          line = partial + line;
          partial = '';
        }
        from = to + 1;
        to = data.indexOf('\n', from);
        lines++;
        if (skipping) {
          skipping = false;
          tooLong++;
          continue;
        }
        if (isBlank(line)) continue;
        const r = decoder.push(line, nowMs);
        if (r.ok && r.value !== null) {
          out.write(r.value);
          if (out.length >= WRITE_BYTES) await flush();
        }
      }
      partial = data.slice(from);
      if (partial.length > MAX_BUFFERED_LINE) {
        partial = '';
        skipping = true;
      }
      if (out.length > 0) await flush();
    }
    const last = partial + text.end();
    if (skipping) {
      lines++;
      tooLong++;
    } else if (last.length > 0) {
      lines++;
      const r = isBlank(last) ? null : decoder.push(last, Date.now());
      if (r?.ok && r.value !== null) out.write(r.value);
    }
    if (out.length > 0) await flush();
  } finally {
    output.off('error', onError);
  }

  const stats = decoder.stats;
  const rejected: Record<string, number> = { ...stats.rejected };
  if (tooLong > 0) rejected['line-too-long'] = (rejected['line-too-long'] ?? 0) + tooLong;
  return { lines, decoded: stats.decoded, rejected, incomplete: stats.assembler.pending };
}

/** The stderr summary: totals, then one line per rejection reason, most frequent first. */
export function formatSummary(s: DecodeSummary): string {
  const reasons = Object.entries(s.rejected).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const rejected = reasons.reduce((sum, [, n]) => sum + n, 0);
  let text = `seawall decode: ${s.lines} lines, ${s.decoded} messages decoded, ${rejected} rejected, ${s.incomplete} incomplete at end\n`;
  for (const [reason, n] of reasons) text += `  ${reason}: ${n}\n`;
  return text;
}

/** An empty line, or the bare CR of an empty CRLF line: skipped without a reason. */
function isBlank(line: string): boolean {
  return line.length === 0 || (line.length === 1 && line.charCodeAt(0) === 13);
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`seawall decode: ${message}\n\n${DECODE_USAGE}`);
  return 2;
}

function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPIPE';
}

function processIo(): CommandIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
