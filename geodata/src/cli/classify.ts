import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createClassifier } from '../index';

const USAGE = `usage: seawall classify [--zones] [FILE|-]
Reads "lon,lat" lines (WGS 84 degrees; further comma-separated fields are ignored) from FILE or
standard input and writes one line per input line: the ring (near-sea, shoreline, inland, outside),
with --zones followed by a tab and the comma-separated ids of the zones the point is in.
A line that is not a position gets "invalid"; the exit status is then 1 (2 for usage or I/O errors).`;

/** Where the command reads and writes; the process streams unless a test passes its own. */
export interface ClassifyIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const FLUSH_BYTES = 64 * 1024;

/** `seawall classify`: streams positions through the ring classifier, line for line. Returns the exit status. */
export async function main(argv: string[], io: ClassifyIo = process): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { zones: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`seawall classify: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) {
    io.stderr.write(`seawall classify: one input at most\n${USAGE}\n`);
    return 2;
  }
  const path = positionals[0] ?? '-';
  const input = path === '-' ? io.stdin : createReadStream(path);
  const classifier = createClassifier();
  const withZones = values.zones === true;

  let out = '';
  let invalid = 0;
  let lineNo = 0;
  const emit = async (line: string) => {
    lineNo++;
    const [lonText = '', latText = ''] = line.split(',', 2);
    const lon = Number(lonText);
    const lat = Number(latText);
    // Number('') is 0: a blank field must not pass as the equator or the prime meridian.
    const ok = lonText.trim() !== '' && latText.trim() !== '' && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
    if (!ok) {
      invalid++;
      if (invalid <= 10) io.stderr.write(`seawall classify: line ${lineNo}: not "lon,lat"\n`);
      out += 'invalid\n';
    } else if (withZones) {
      const c = classifier.classify(lon, lat);
      out += `${c.ring}\t${c.zones.join(',')}\n`;
    } else {
      out += `${classifier.ring(lon, lat)}\n`;
    }
    if (out.length >= FLUSH_BYTES) await flush();
  };
  const flush = async () => {
    const chunk = out;
    out = '';
    if (chunk && !io.stdout.write(chunk)) await once(io.stdout, 'drain');
  };

  try {
    let pending = '';
    input.setEncoding('utf8');
    for await (const chunk of input as AsyncIterable<string>) {
      pending += chunk;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        await emit(pending.slice(start, nl).replace(/\r$/, ''));
        start = nl + 1;
      }
      pending = pending.slice(start);
      // Streaming: what is classified goes out with each input chunk, not at the end.
      await flush();
    }
    if (pending !== '') await emit(pending.replace(/\r$/, ''));
    await flush();
  } catch (err) {
    io.stderr.write(`seawall classify: ${(err as Error).message}\n`);
    return 2;
  }
  if (invalid > 10) io.stderr.write(`seawall classify: ${invalid} invalid lines in all\n`);
  return invalid > 0 ? 1 : 0;
}

/** The `seawall` dispatcher's name for a command's entry point (edge-gateway/bin/seawall.mjs). */
export { main as run };
