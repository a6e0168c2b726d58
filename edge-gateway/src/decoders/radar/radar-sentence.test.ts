import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyNmeaChecksum } from '../nmea';
import { parseRadarSentence, type RadarRejectReason, type RadarSentence } from './radar-sentence';
import { radarSentence } from './test-support';

// /work/shared/fixtures/radar from edge-gateway/src/decoders/radar.
const FIXTURES = new URL('../../../../../shared/fixtures/radar/', import.meta.url);
const fixtureText = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixtureLines = (name: string) => fixtureText(name).split('\n').map((l) => l.trim()).filter((l) => l !== '');

interface FixtureCase {
  id: string;
  raw: string;
  checksumOk: boolean;
  expected?: Record<string, unknown>;
}
const EXPECTED = JSON.parse(fixtureText('ttm-tll-expected.json')) as { valid: FixtureCase[]; invalid: FixtureCase[] };

/** The fixture's field names and encodings, as this decoder names them. */
function asFixtureFields(s: RadarSentence): Record<string, unknown> {
  const common = {
    talker: s.talker, sentence: s.sentence, targetNumber: s.targetNumber, name: s.name, timeUtc: s.timeUtc,
    status: s.status, referenceTarget: s.referenceTarget ? 'R' : null, fieldCount: s.fieldCount,
  };
  if (s.sentence === 'TLL') return { ...common, lat: s.lat, lon: s.lon };
  return {
    ...common, distance: s.distance, bearing: s.bearingDeg, bearingRef: s.bearingRef, speed: s.speed, course: s.courseDeg,
    courseRef: s.courseRef, cpaDistance: s.cpaDistance, tcpaMinutes: s.tcpaMinutes, units: s.units, acquisition: s.acquisition,
  };
}

/** Why each negative case of ttm-tll-invalid.nmea must be turned away (go-nmea's error, as our reason). */
const INVALID_REASONS: Record<string, RadarRejectReason> = {
  'gonmea-ttm-bad-number': 'bad-target-number',
  'gonmea-ttm-bad-distance': 'bad-distance',
  'gonmea-ttm-bad-bearing-type': 'bad-bearing-reference',
  'gonmea-ttm-bad-speed-units': 'bad-units',
  'gonmea-ttm-bad-time': 'bad-time',
  'gonmea-tll-bad-number': 'bad-target-number',
  'gonmea-tll-bad-lat': 'bad-latitude',
  'gonmea-tll-bad-status': 'bad-status',
};

describe('parseRadarSentence', () => {
  it('resolves the fixtures folder to /work/shared beside the repo, and the .nmea files hold exactly the JSON cases', () => {
    expect(fileURLToPath(FIXTURES)).toMatch(/\/shared\/fixtures\/radar\/$/);
    expect(fixtureLines('ttm-tll-valid.nmea')).toEqual(EXPECTED.valid.map((c) => c.raw));
    expect(fixtureLines('ttm-tll-invalid.nmea')).toEqual(EXPECTED.invalid.map((c) => c.raw));
    expect(fixtureText('ttm-tll-valid.nmea')).toContain('\r\n');
  });

  describe('ttm-tll-expected.json, valid cases (ttm-tll-valid.nmea)', () => {
    it.each(EXPECTED.valid.map((c) => [c.id, c] as const))('%s: checksum verdict and every expected field', (_id, c) => {
      expect(verifyNmeaChecksum(c.raw, 0).ok).toBe(c.checksumOk);
      const r = parseRadarSentence(c.raw);
      if (!r.ok) throw new Error(`${c.id} rejected: ${r.reason} ${r.detail ?? ''}`);
      const actual = asFixtureFields(r.value);
      const expected = c.expected!;
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const [key, value] of Object.entries(expected)) {
        if (typeof value === 'number' && !Number.isInteger(value)) expect(actual[key], key).toBeCloseTo(value, 8);
        else expect(actual[key], key).toEqual(value);
      }
      expect(r.value.line).toBe(c.raw);
      expect(r.value.tagBlock).toBeNull();
    });
  });

  describe('ttm-tll-expected.json, invalid cases (ttm-tll-invalid.nmea): valid checksum, malformed field', () => {
    it('names a reason for every negative case', () => {
      expect(EXPECTED.invalid.map((c) => c.id).sort()).toEqual(Object.keys(INVALID_REASONS).sort());
    });
    it.each(EXPECTED.invalid.map((c) => [c.id, c] as const))('%s is rejected with its field named', (id, c) => {
      expect(verifyNmeaChecksum(c.raw, 0).ok).toBe(c.checksumOk);
      const r = parseRadarSentence(c.raw);
      expect(r.ok ? 'accepted' : r.reason).toBe(INVALID_REASONS[id]);
    });
  });

  it('accepts any talker, a tag block, surrounding whitespace and a lower-case checksum', () => {
    const body = 'ARTTM,3,2.5,045.0,R,12.0,090.0,T,0.5,-4.5,K,PILOT,T,R,010203,A';
    const tagged = radarSentence(body, 's:rdr-haikou,c:1764201600');
    const r = parseRadarSentence(` ${tagged}\r\n`);
    expect(r.ok && r.value).toMatchObject({
      sentence: 'TTM', talker: 'AR', line: tagged, tagBlock: { source: 'rdr-haikou', timeMs: 1_764_201_600_000 },
      targetNumber: 3, distance: 2.5, bearingDeg: 45, bearingRef: 'R', speed: 12, courseDeg: 90, courseRef: 'T',
      cpaDistance: 0.5, tcpaMinutes: -4.5, units: 'K', name: 'PILOT', status: 'T', referenceTarget: true,
      timeUtc: '010203', acquisition: 'A', fieldCount: 15,
    });
    const lower = radarSentence('RATLL,7,1801.200,N,10930.000,E,,,T,').replace(/\*([0-9A-F]{2})$/, (_m, h: string) => `*${h.toLowerCase()}`);
    expect(parseRadarSentence(lower).ok).toBe(true);
  });

  it('reads a pre-NMEA 3.0 TTM of 13 fields, statute units, 360° as 0° and an all-empty TTM', () => {
    const old = parseRadarSentence(radarSentence('RATTM,99,3.0,360,T,,,,,,S,,L,'));
    expect(old.ok && old.value).toMatchObject({ fieldCount: 13, targetNumber: 99, bearingDeg: 0, units: 'S', status: 'L', timeUtc: null, acquisition: null, speed: null });
    const empty = parseRadarSentence(radarSentence('RATTM,,,,,,,,,,,,,,,'));
    expect(empty.ok && empty.value).toMatchObject({ targetNumber: null, distance: null, bearingDeg: null, units: null, status: null });
  });

  it('reads southern and western coordinates, and degrees written without leading zeros', () => {
    const r = parseRadarSentence(radarSentence('RATLL,12,3345.000,S,7030.000,W,,,,'));
    expect(r.ok && r.value.sentence === 'TLL' && [r.value.lat, r.value.lon]).toEqual([-33.75, -70.5]);
  });

  it.each<[string, string, RadarRejectReason]>([
    ['an empty line', '  \r', 'empty-line'],
    ['a line over 1,000 characters', radarSentence(`RATTM,1,1,1,T,1,1,T,1,1,N,${'X'.repeat(1000)},T,,,A`), 'line-too-long'],
    ['a wrong checksum', '$RATTM,02,1.43,170.5,T,0.16,264.4,T,1.42,36.9,N,,T,,,M*2B', 'bad-checksum'],
    ['no checksum', '$RATTM,02,1.43,170.5,T,0.16,264.4,T,1.42,36.9,N,,T,,,M', 'missing-checksum'],
    ['a one-digit checksum', '$RATLL,,3647.422,N,01432.592,E,,,,*5', 'missing-checksum'],
    ['a tag block with a wrong checksum', `\\c:1764201600*00\\${radarSentence('RATLL,1,1801.2,N,10930.0,E,,,T,')}`, 'bad-tag-block-checksum'],
    ['text that is not NMEA', 'hello radar', 'not-nmea'],
    ['another NMEA sentence', '$GPRMC,092211.00,A,5759.09700,N,01144.34344,E,5.257,28.27,200715,,,A*58', 'unsupported-sentence'],
    ['a TTM sent with !', `!${radarSentence('RATTM,1,1,1,T,1,1,T,1,1,N,,T,,,A').slice(1)}`, 'unsupported-sentence'],
    ['a TTM of 12 fields', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,1,N,,T'), 'bad-field-count'],
    ['a TTM of 16 fields, the last not empty', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,1,N,,T,,,A,X'), 'bad-field-count'],
    ['a TLL of 8 fields', radarSentence('RATLL,1,1801.2,N,10930.0,E,,,T'), 'bad-field-count'],
    ['target number 1000', radarSentence('RATLL,1000,1801.2,N,10930.0,E,,,T,'), 'bad-target-number'],
    ['a bearing over 360', radarSentence('RATTM,1,1.0,360.5,T,1,1,T,1,1,N,,T,,,A'), 'bad-bearing'],
    ['a negative distance', radarSentence('RATTM,1,-1.0,10,T,1,1,T,1,1,N,,T,,,A'), 'bad-distance'],
    ['a speed with two dots', radarSentence('RATTM,1,1.0,10,T,1.2.3,1,T,1,1,N,,T,,,A'), 'bad-speed'],
    ['a course of NaN', radarSentence('RATTM,1,1.0,10,T,1,NaN,T,1,1,N,,T,,,A'), 'bad-course'],
    ['a course reference M', radarSentence('RATTM,1,1.0,10,T,1,1,M,1,1,N,,T,,,A'), 'bad-course-reference'],
    ['a CPA written 1e3', radarSentence('RATTM,1,1.0,10,T,1,1,T,1e3,1,N,,T,,,A'), 'bad-cpa-distance'],
    ['a TCPA of "-"', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,-,N,,T,,,A'), 'bad-tcpa'],
    ['a reference-target field X', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,1,N,,T,X,,A'), 'bad-reference-target'],
    ['an hour of 24', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,1,N,,T,,240000,A'), 'bad-time'],
    ['acquisition type X', radarSentence('RATTM,1,1.0,10,T,1,1,T,1,1,N,,T,,,X'), 'bad-acquisition'],
    ['60 minutes of latitude', radarSentence('RATLL,1,1860.0,N,10930.0,E,,,T,'), 'bad-latitude'],
    ['a latitude over 90°', radarSentence('RATLL,1,9100.0,N,10930.0,E,,,T,'), 'bad-latitude'],
    ['a latitude without hemisphere', radarSentence('RATLL,1,1801.2,,10930.0,E,,,T,'), 'bad-latitude'],
    ['a longitude with hemisphere N', radarSentence('RATLL,1,1801.2,N,10930.0,N,,,T,'), 'bad-longitude'],
    ['a longitude over 180°', radarSentence('RATLL,1,1801.2,N,18100.0,E,,,T,'), 'bad-longitude'],
  ])('rejects %s', (_name, line, reason) => {
    const r = parseRadarSentence(line);
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });
});
