import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AisDecoder, type DecodedAis } from '../decoders/ais';
import { armour, sentence, textFields } from '../decoders/ais/test-support';
import { AisJsonLineWriter, formatAisJsonLine } from './ais-json-line';
import { decodeStream } from './decode';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SEAWALL = fileURLToPath(new URL('../../bin/seawall.mjs', import.meta.url));
// shared/ sits beside the repository (/work/shared beside /work/main here; CI lays it out the same way).
const FIXTURES = new URL('../../../../shared/fixtures/ais/', import.meta.url);
const SAMPLE = fileURLToPath(new URL('gpsd-sample.aivdm', FIXTURES));
const CORPORA = ['gpsd-sample.aivdm', 'libais-test.aivdm', 'gpsd-ais-18-27.log', 'gpsd-ais-nmea-type6-fid55.log',
  'gpsd-ais-nmea.log', 'gpsd-ais-raw-messages.log', 'gpsd-ais_unpack_sixbit.log', 'libais-tagblock.nmea',
  'libais-typeexamples.nmea', 'opencpn-hakefjord-excerpt.nmea', 'pyais-mixed.txt', 'pyais-nmea_data_sample.txt'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `seawall` bin as a child process, optionally feeding `input` to its stdin. */
function runSeawall(args: readonly string[], input?: string | Buffer): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SEAWALL, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', fail);
    child.on('close', (code) =>
      done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(input);
  });
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** A type 5 sentence (ITU-R M.1371-5 Annex 8) carrying the given six-bit texts. */
function staticVoyageSentence(shipName: string, destination: string, callsign: string, tag?: string): string {
  const { payload, fillBits } = armour([
    [5, 6], [0, 2], [412_000_123, 30], [0, 2], [9_123_456, 30],
    ...textFields(callsign, 7), ...textFields(shipName, 20),
    [70, 8], [100, 9], [20, 9], [5, 6], [6, 6], [1, 4], [11, 4], [27, 5], [8, 5], [30, 6], [85, 8],
    ...textFields(destination, 20), [0, 1], [0, 1],
  ]);
  return sentence(`AIVDM,1,1,,A,${payload},${fillBits}`, tag);
}

describe('seawall decode', () => {
  it('reads the shared fixtures from beside the repository', () => {
    expect(fileURLToPath(FIXTURES)).toBe(resolve(REPO, '../shared/fixtures/ais') + '/');
    expect(existsSync(SAMPLE)).toBe(true);
  });

  it('prints one JSON object per message of the gpsd sample, agreeing with gpsdecode', async () => {
    const run = await runSeawall(['decode', SAMPLE]);
    expect(run.code).toBe(0);
    const ours = jsonLines(run.stdout);
    const gpsd = jsonLines(readFileSync(new URL('gpsd-sample.gpsdecode.jsonl', FIXTURES), 'utf8'));
    // The sample has no type 24 part A/B pair for gpsdecode to merge, so records pair one to one.
    expect(ours).toHaveLength(gpsd.length);
    expect(ours.map((m) => [m.type, m.mmsi])).toEqual(gpsd.map((g) => [g.type, g.mmsi]));

    // Record 1: type 1, turning fast left (ROT -127), heading and course known.
    expect(ours[0]).toMatchObject({ type: 1, mmsi: 371798000, navStatus: 0, rot: null, rotRaw: -127, sog: 12.3, cog: 224, heading: 215 });
    expect(gpsd[0]).toMatchObject({ speed: 12.3, course: 224.0, heading: 215, lon: -123.395383, lat: 48.381633 });
    expect(ours[0]!.lon).toBeCloseTo(-123.395383, 6);
    expect(ours[0]!.lat).toBeCloseTo(48.381633, 6);

    // Record 6: type 5, static and voyage data.
    expect(ours[5]).toEqual({
      type: 5, repeat: 0, mmsi: 351759000, aisVersion: 0, imo: 9134270, callsign: '3FOF8', shipName: 'EVER DIADEM',
      shipType: 70, toBow: 225, toStern: 70, toPort: 1, toStarboard: 31, epfd: 1, eta: '05-15T14:00Z', draught: 12.2,
      destination: 'NEW YORK', dte: 0,
    });
    expect(gpsd[5]).toMatchObject({ imo: 9134270, callsign: '3FOF8', shipname: 'EVER DIADEM', eta: '05-15T14:00Z', draught: 12.2, destination: 'NEW YORK' });

    // Record 45: type 18 class B, heading 511 (not available) is null.
    expect(ours[44]).toMatchObject({ type: 18, mmsi: 338087471, sog: 0.1, cog: 79.6, heading: null, cs: true, msg22: true });
    expect(gpsd[44]).toMatchObject({ speed: 0.1, course: 79.6, heading: 511 });

    // Record 51: type 21 with the name extension.
    expect(ours[50]).toMatchObject({ type: 21, mmsi: 123456789, aidType: 20, name: 'CHINA ROSE MURPHY EXPRESS ALERT', toBow: 5 });
    expect(gpsd[50]).toMatchObject({ aid_type: 20, name: 'CHINA ROSE MURPHY EXPRESS ALERT' });
    expect(ours[50]!.lon).toBeCloseTo(-122.698592, 6);

    // Record 56: type 24 part B (gpsd reads a 7-character vendor id, M.1371-4 has 3 plus model and serial).
    expect(ours[55]).toMatchObject({ type: 24, partno: 1, mmsi: 271041815, shipType: 60, callsign: 'TC6163', vendorId: '1D0', model: 12, serial: 199796, toStern: 15 });
    expect(gpsd[55]).toMatchObject({ shiptype: 60, callsign: 'TC6163', vendorid: '1D00014', model: 12, serial: 199796, to_stern: 15 });

    expect(run.stderr).toBe(
      'seawall decode: 1121 lines, 102 messages decoded, 1002 rejected, 0 incomplete at end\n  unsupported-sentence: 1002\n',
    );
  });

  it('reads stdin when the file is -, and --quiet leaves stderr empty', async () => {
    const fromFile = await runSeawall(['decode', '--quiet', SAMPLE]);
    const fromStdin = await runSeawall(['decode', '--quiet', '-'], readFileSync(SAMPLE));
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stderr).toBe('');
    expect(fromStdin.stdout).toBe(fromFile.stdout);
    expect(jsonLines(fromStdin.stdout)).toHaveLength(102);
  });

  it('writes megabytes of output intact through its reused output buffers', async () => {
    const once = (await runSeawall(['decode', '--quiet', SAMPLE])).stdout;
    const many = await runSeawall(['decode', '--quiet', '-'], readFileSync(SAMPLE, 'utf8').repeat(300));
    expect(many.stdout.length).toBeGreaterThan(2 << 20);
    expect(many.stdout).toBe(once.repeat(300));
  });

  it('escapes hostile names and tag-block sources so every line round-trips through JSON.parse', async () => {
    // Six-bit ASCII has " and \ (ITU-R M.1371 Table 47); control characters and non-ASCII can only
    // come in through the tag block, whose s: field is free text.
    // Characters below U+0100 only: the tag-block checksum is a byte.
    const source = 'rx"\u0001\u001f\t\u007fé}';
    const lines = [
      staticVoyageSentence('A "QUOTED" \\SHIP\\', '\\"; DROP', 'C\\"1', `s:${source},c:1764201600`),
      staticVoyageSentence('[]"^_,:', '\\\\', '"'),
    ];
    const run = await runSeawall(['decode', '-'], `${lines.join('\r\n')}\r\n`);
    expect(run.code).toBe(0);
    const out = jsonLines(run.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      shipName: 'A "QUOTED" \\SHIP\\',
      destination: '\\"; DROP',
      callsign: 'C\\"1',
      source,
      sourceTimeMs: 1_764_201_600_000,
      eta: '11-27T08:30Z',
      draught: 8.5,
    });
    expect(out[1]).toMatchObject({ shipName: '[]"^_,:', destination: '\\\\', callsign: '"' });
  });

  it('skips and counts broken and foreign lines, and decodes a last line without a newline', async () => {
    const good = staticVoyageSentence('LAST', 'HAIKOU', 'BXYZ');
    const input = ['$GPRMC,092211.00,A,5759.09700,N,01144.34344,E,5.257,28.27,200715,,,A*58', '', 'garbage',
      good.replace(/\*..$/, '*00'), good].join('\n');
    const run = await runSeawall(['decode', '-'], input);
    expect(jsonLines(run.stdout).map((m) => m.shipName)).toEqual(['LAST']);
    expect(run.stderr).toBe(
      'seawall decode: 5 lines, 1 messages decoded, 3 rejected, 0 incomplete at end\n  unsupported-sentence: 2\n  bad-checksum: 1\n',
    );
  });

  it('answers --help, and refuses unknown commands and options with usage and exit code 2', async () => {
    const help = await runSeawall(['--help']);
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('decode')]);
    const unknown = await runSeawall(['frobnicate']);
    expect([unknown.code, unknown.stdout, unknown.stderr]).toEqual([2, '', expect.stringContaining('Usage: seawall <command>')]);
    const none = await runSeawall([]);
    expect(none.code).toBe(2);
    const badOption = await runSeawall(['decode', '--frob']);
    expect([badOption.code, badOption.stderr]).toEqual([2, expect.stringContaining('Usage: seawall decode')]);
    const missing = await runSeawall(['decode', '/nonexistent/feed.nmea']);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('ENOENT')]);
  });

  it('ends quietly when the reader of its output goes away', async () => {
    const input = readFileSync(SAMPLE, 'utf8').repeat(200);
    const child = spawn(process.execPath, [SEAWALL, 'decode', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Error|EPIPE/);
  });
});

describe('decodeStream', () => {
  it('waits for a slow output instead of buffering without bound, and loses nothing', async () => {
    const text = readFileSync(SAMPLE, 'utf8').repeat(50);
    let writes = 0;
    let bytes = '';
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        writes++;
        bytes += chunk.toString('utf8');
        setTimeout(callback, 1);
      },
    });
    // Small input chunks, as from a pipe; one flush per chunk that produced output.
    const input = Readable.from(text.match(/[\s\S]{1,4096}/g)!.map((s) => Buffer.from(s)));
    const summary = await decodeStream(input, slow);
    expect(summary).toMatchObject({ lines: 1121 * 50, decoded: 102 * 50 });
    expect(jsonLines(bytes)).toHaveLength(102 * 50);
    expect(writes).toBeGreaterThan(1);
  });

  it('joins lines split across chunks, multi-byte characters included', async () => {
    const line = staticVoyageSentence('SPLIT', 'X', 'Y', 's:réception,c:1');
    const bytes = Buffer.from(`${line}\n${line}\n`);
    const input = new PassThrough();
    const sink = new PassThrough();
    let out = '';
    sink.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const done = decodeStream(input, sink);
    for (let i = 0; i < bytes.length; i += 7) input.write(bytes.subarray(i, i + 7));
    input.end();
    await done;
    expect(jsonLines(out).map((m) => [m.shipName, m.source])).toEqual([['SPLIT', 'réception'], ['SPLIT', 'réception']]);
  });
});

describe('AIS JSON lines', () => {
  it('carry every field of every message the decoder makes, in order, over all fixture corpora', () => {
    let checked = 0;
    for (const name of CORPORA) {
      const decoder = new AisDecoder();
      for (const line of readFileSync(new URL(name, FIXTURES), 'utf8').split('\n')) {
        const r = decoder.push(line, 0);
        if (!r.ok || r.value === null) continue;
        const expected = expectedJson(r.value);
        const parsed = JSON.parse(formatAisJsonLine(r.value)) as Record<string, unknown>;
        expect(Object.keys(parsed)).toEqual(Object.keys(expected));
        for (const [key, value] of Object.entries(expected)) {
          if ((key === 'lon' || key === 'lat') && typeof value === 'number') {
            // Printed to 7 decimals: within 5e-8 degrees, and the raw 1/600 000 degree step survives.
            expect(Math.abs((parsed[key] as number) - value)).toBeLessThanOrEqual(5e-8 + 1e-12);
            expect(Math.round((parsed[key] as number) * 600_000)).toBe(Math.round(value * 600_000));
          } else {
            expect(parsed[key], `${name} ${key}`).toStrictEqual(value);
          }
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('escape any string, lone surrogates and line separators included', () => {
    const hostile = ['\u0000\b\f\n\r\t\u001b', '"\\/', '\ud800', 'a\udc00b', '😀 é 中文', '\u2028\u2029', '', '"'.repeat(3000)];
    const writer = new AisJsonLineWriter(16);
    for (const s of hostile) {
      writer.write({
        message: { type: 24, repeat: 0, mmsi: 1, partno: 0, shipName: s },
        lines: [],
        talker: 'AI',
        formatter: 'VDM',
        channel: 'A',
        source: s,
        sourceTimeMs: null,
        receivedAtMs: 0,
      } satisfies DecodedAis);
    }
    const out = jsonLines(writer.take().toString('utf8'));
    expect(out.map((m) => m.shipName)).toEqual(hostile.map((s) => JSON.parse(JSON.stringify(s))));
    expect(out.map((m) => m.source)).toEqual(out.map((m) => m.shipName));
  });

  it('print numbers exactly as JSON.stringify does, apart from lat/lon', () => {
    const envelope = { lines: [], talker: 'AI', formatter: 'VDM', channel: 'A', source: null, sourceTimeMs: null, receivedAtMs: 0 } as const;
    const values = [0, 0.1, 0.5, 12.3, 102.2, 359.9, 360, 409.6, -4.4638, 708.7492, 1e21, 2 ** 53 + 2, -0, Number.NaN];
    for (const v of values) {
      // Type 27 prints speed and course as plain numbers, type 18 as tenths.
      const longRange = formatAisJsonLine({
        ...envelope,
        message: { type: 27, repeat: 0, mmsi: 1, accuracy: false, raim: false, navStatus: 0, lon: -0.0000001, lat: 0, sog: v, cog: v, positionLatency: false },
      });
      expect(longRange).toContain(`"lon":-0.0000001,"lat":0,"sog":${JSON.stringify(v)},"cog":${JSON.stringify(v)},`);
      const classB = formatAisJsonLine({
        ...envelope,
        message: {
          type: 18, repeat: 0, mmsi: 1, reserved: 0, sog: v, accuracy: false, lon: 181 - 1e-9, lat: -90, cog: v, heading: null, second: 0,
          regional: 0, cs: true, display: false, dsc: false, band: false, msg22: false, assigned: false, raim: false, radio: 0,
        },
      });
      expect(classB).toContain(`"sog":${JSON.stringify(v)},"accuracy":false,"lon":181,"lat":-90,"cog":${JSON.stringify(v)},"heading":null,`);
    }
  });
});

/** What the JSON line must hold: the message's fields, then the tag-block source and time when known. */
function expectedJson(d: DecodedAis): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d.message };
  if (d.source !== null) out.source = d.source;
  if (d.sourceTimeMs !== null) out.sourceTimeMs = d.sourceTimeMs;
  return out;
}
