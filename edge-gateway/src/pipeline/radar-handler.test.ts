import { readFileSync } from 'node:fs';
import { RadarTargetObservation } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { radarSentence } from '../decoders/radar/test-support';
import type { RadarSite } from '../normalize/radar-observation-sites';
import { createRadarHandler } from './radar-handler';
import type { HandleResult } from './sensor-handler';

// /work/shared/fixtures from edge-gateway/src/pipeline.
const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);
const fixture = (path: string) => readFileSync(new URL(path, FIXTURES));

const T0 = 1_764_201_600_000;
const SITES = new Map<string, RadarSite>([
  ['rdr-haikou', { name: 'Haikou Xiuying', lon: 110.28, lat: 20.02, headingSource: 'north-up' }],
]);
const handler = createRadarHandler('gw-main', SITES);
const bytes = (s: string) => Buffer.from(s, 'utf8');

/** The observations, checked against the contract's radar schema. */
const targets = (r: HandleResult): RadarTargetObservation[] => r.observations.map((o) => RadarTargetObservation.parse(o));

/** Every non-empty line ends up as exactly one observation, rejection or ignored entry. */
function expectAccounted(result: HandleResult, lines: number): void {
  expect(result.observations.length + result.rejections.length + (result.ignored?.length ?? 0)).toBe(lines);
}

describe('radar handler', () => {
  it('turns the whole of ttm-tll-valid.nmea (CRLF, one MQTT message) into observations', () => {
    const r = handler.handle('rdr-haikou', fixture('radar/ttm-tll-valid.nmea'), T0);
    expect(r.rejections).toEqual([]);
    // gonmea-tll-1 has no target number: valid, but nothing a track can be keyed on.
    expect(r.ignored).toEqual(['no-target-number']);
    expect(targets(r).map((o) => [o.targetNumber, o.status])).toEqual([
      [2, 'tracking'], [1, 'lost'], [11, 'query'], [1, 'tracking'], [1, 'tracking'], [1, 'tracking'], [11, 'query'],
    ]);
    for (const o of r.observations) {
      expect(o).toMatchObject({ sensorId: 'rdr-haikou', gatewayId: 'gw-main', observedAtMs: T0, receivedAtMs: T0 });
    }
    expect(new Set(r.observations.map((o) => o.obsId)).size).toBe(7);
  });

  it('dead-letters every sentence of ttm-tll-invalid.nmea with its reason and line', () => {
    const text = fixture('radar/ttm-tll-invalid.nmea').toString('utf8');
    const r = handler.handle('rdr-haikou', bytes(text), T0);
    expect(r.observations).toEqual([]);
    expect(r.rejections.map((x) => x.reason)).toEqual([
      'bad-target-number', 'bad-distance', 'bad-bearing-reference', 'bad-units', 'bad-time',
      'bad-target-number', 'bad-latitude', 'bad-status',
    ]);
    expect(r.rejections.map((x) => Buffer.from(x.raw).toString('latin1'))).toEqual(text.split('\n').map((l) => l.trim()).filter(Boolean));
  });

  it('takes the observation time from the tag block c: field', () => {
    const payload = [
      radarSentence('RATTM,4,3.2,250.0,T,9.5,80.0,T,,,N,,T,,,A', 's:rdr-haikou,c:1764201590'),
      radarSentence('RATLL,4,1959.100,N,11014.900,E,,,T,', 'c:1764201590500'),
    ].join('\r\n');
    const r = handler.handle('rdr-haikou', bytes(payload), T0);
    expect(r.rejections).toEqual([]);
    expect(r.observations.map((o) => o.observedAtMs)).toEqual([1_764_201_590_000, 1_764_201_590_500]);
  });

  it('rejects the TTM of a radar without a configured site but keeps its TLL, which needs none', () => {
    const payload = [radarSentence('RATTM,4,3.2,250.0,T,,,,,,N,,T,,,A'), radarSentence('RATLL,4,1959.100,N,11014.900,E,,,T,')].join('\n');
    const r = handler.handle('rdr-nowhere', bytes(payload), T0);
    expect(r.rejections).toEqual([{ reason: 'unknown-radar-site', raw: Buffer.from(radarSentence('RATTM,4,3.2,250.0,T,,,,,,N,,T,,,A'), 'latin1') }]);
    expect(r.observations).toHaveLength(1);
  });

  it('picks the recorded RATTM out of a mixed OpenCPN stream (ais/opencpn-hakefjord-excerpt.nmea)', () => {
    const text = fixture('ais/opencpn-hakefjord-excerpt.nmea').toString('utf8');
    const r = handler.handle('rdr-haikou', bytes(text), T0);
    expect(targets(r).map((o) => o.targetNumber)).toEqual([11, 11]);
    expect(new Set(r.ignored)).toEqual(new Set(['other-sentence']));
    expectAccounted(r, text.split('\n').filter((l) => l.trim() !== '').length);
  });

  it('turns away an oversize payload, and a line of binary bytes without losing the good line beside it', () => {
    const big = handler.handle('rdr-haikou', new Uint8Array(256 * 1024 + 1), T0);
    expect(big.rejections.map((x) => x.reason)).toEqual(['oversize']);
    expect((big.rejections[0]!.raw as Uint8Array).byteLength).toBe(1024);
    const good = radarSentence('RATTM,4,3.2,250.0,T,,,,,,N,,T,,,A');
    const mixed = handler.handle('rdr-haikou', Buffer.concat([Uint8Array.from([0x24, 0xff, 0xfe, 0x0a]), Buffer.from(good)]), T0);
    expect(mixed.rejections).toHaveLength(1);
    expect(Buffer.from(mixed.rejections[0]!.raw)).toEqual(Buffer.from([0x24, 0xff, 0xfe]));
    expect(mixed.observations).toHaveLength(1);
  });

  it('never throws on junk, and accounts for every line', () => {
    let state = 42;
    const random = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 2 ** 32;
    };
    const seen = { observations: 0, rejections: 0, ignored: 0 };
    const valid = fixture('radar/ttm-tll-valid.nmea').toString('utf8').split('\r\n').filter(Boolean);
    const alphabet = '$!\\*,.-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:c \t';
    for (let round = 0; round < 2000; round++) {
      const lines: string[] = [];
      for (let i = 0; i < 5; i++) {
        const base = valid[Math.floor(random() * valid.length)]!;
        const chars = [...base];
        // Mutate a few characters; tag some lines; sometimes pure noise.
        for (let k = Math.floor(random() * 4); k > 0; k--) chars[Math.floor(random() * chars.length)] = alphabet[Math.floor(random() * alphabet.length)]!;
        let line = random() < 0.1 ? Array.from({ length: Math.floor(random() * 80) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('') : chars.join('');
        if (random() < 0.2) line = radarSentence(line.slice(1).split('*')[0] ?? '', 'c:1764201590');
        lines.push(line);
      }
      const payload = lines.join(random() < 0.5 ? '\n' : '\r\n');
      let result: HandleResult | undefined;
      expect(() => (result = handler.handle(random() < 0.5 ? 'rdr-haikou' : 'rdr-x', bytes(payload), T0))).not.toThrow();
      expectAccounted(result!, lines.filter((l) => l.trim() !== '').length);
      for (const o of result!.observations) expect(RadarTargetObservation.safeParse(o).success).toBe(true);
      seen.observations += result!.observations.length;
      seen.rejections += result!.rejections.length;
      seen.ignored += result!.ignored?.length ?? 0;
    }
    // The junk exercised every outcome.
    expect(Object.values(seen).every((n) => n > 100)).toBe(true);
  });
});
