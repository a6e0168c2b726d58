import { readFileSync } from 'node:fs';
import { RadarTargetObservation } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { parseRadarSentence, type RadarSentence } from '../decoders/radar';
import { radarSentence } from '../decoders/radar/test-support';
import { toRadarObservation, type RadarObservationContext } from './radar-observation';
import type { RadarSite } from './radar-observation-sites';

// /work/shared/fixtures/radar from edge-gateway/src/normalize.
const FIXTURES = new URL('../../../../shared/fixtures/radar/', import.meta.url);
const validLines = readFileSync(new URL('ttm-tll-valid.nmea', FIXTURES), 'utf8').split('\r\n');

const T0 = 1_764_201_600_000;
const HAIKOU: RadarSite = { name: 'Haikou Xiuying', lon: 110.28, lat: 20.02, headingSource: 'north-up' };
const SANYA: RadarSite = { name: 'Sanya', lon: 109.5, lat: 18.23, headingSource: 'fixed', headingDeg: 180 };
const at = (site: RadarSite | undefined): RadarObservationContext => ({ sensorId: 'rdr-test', gatewayId: 'gw-main', site, receivedAtMs: T0 });

function parse(line: string): RadarSentence {
  const r = parseRadarSentence(line);
  if (!r.ok) throw new Error(`${r.reason}: ${line}`);
  return r.value;
}

function observe(line: string, site: RadarSite | undefined = HAIKOU): RadarTargetObservation {
  const r = toRadarObservation(parse(line), at(site));
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail ?? ''}`);
  expect(RadarTargetObservation.parse(r.value)).toEqual(r.value);
  return r.value;
}

// Expected positions come from PROJ 9.1.1 `geod +ellps=WGS84 -f %.11f` (GeographicLib, Karney 2013), an
// implementation independent of ours: `echo "20.02 110.28 13.7 46855.6" | geod +ellps=WGS84 -f "%.11f"`.
const GEOD_TOLERANCE_DEG = 1e-9;

describe('toRadarObservation', () => {
  it('positions a TTM from its site: marineapi-ttm-1 (25.3 NM at 013.7° T) from Haikou', () => {
    const obs = observe(validLines[3]!);
    expect(obs).toMatchObject({
      kind: 'radar.target', sensorId: 'rdr-test', gatewayId: 'gw-main', targetNumber: 11, status: 'query', name: 'NAME',
      rangeM: 25.3 * 1852, bearingDeg: 13.7, sogKn: 7, cogDeg: 20, observedAtMs: T0, receivedAtMs: T0,
    });
    expect(Math.abs(obs.lon - 110.38633560621)).toBeLessThan(GEOD_TOLERANCE_DEG);
    expect(Math.abs(obs.lat - 20.43116567933)).toBeLessThan(GEOD_TOLERANCE_DEG);
    expect(obs.obsId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('positions the recorded OpenCPN TTM (opencpn-hakefjord-ttm, 11.4 NM at 013.6° T) from Haikou', () => {
    const obs = observe(validLines[7]!);
    expect(obs).toMatchObject({ targetNumber: 11, status: 'query', name: null, rangeM: 11.4 * 1852 });
    expect(Math.abs(obs.lon - 110.3275023076)).toBeLessThan(GEOD_TOLERANCE_DEG);
    expect(Math.abs(obs.lat - 20.20535732003)).toBeLessThan(GEOD_TOLERANCE_DEG);
  });

  it('turns a relative bearing and course true with the heading of a fixed site, and km/h into knots', () => {
    // Sanya's heading marker points at 180°: 20° relative is 200° true; 12 km along it (geod: 18.12811622195, 109.46121791742).
    const obs = observe(radarSentence('RATTM,5,12.0,20.0,R,18.52,10.0,R,,,K,,T,,,A'), SANYA);
    expect(obs).toMatchObject({ bearingDeg: 200, cogDeg: 190, rangeM: 12_000, status: 'tracking' });
    expect(obs.sogKn).toBeCloseTo(10, 12);
    expect(Math.abs(obs.lon - 109.46121791742)).toBeLessThan(GEOD_TOLERANCE_DEG);
    expect(Math.abs(obs.lat - 18.12811622195)).toBeLessThan(GEOD_TOLERANCE_DEG);
  });

  it('reads a relative bearing from a north-up site as true, since its azimuth zero is north', () => {
    const relative = observe(radarSentence('RATTM,11,25.3,13.7,R,7.0,20.0,R,,,N,,T,,,A'));
    const truth = observe(radarSentence('RATTM,11,25.3,13.7,T,7.0,20.0,T,,,N,,T,,,A'));
    expect([relative.lon, relative.lat, relative.bearingDeg, relative.cogDeg]).toEqual([truth.lon, truth.lat, truth.bearingDeg, truth.cogDeg]);
  });

  it('converts statute miles and mph (25 mi at 333.3° T from Sanya; geod: 18.55466076782, 109.3287599912)', () => {
    const obs = observe(radarSentence('RATTM,8,25,333.3,T,10,,,,,S,,T,,,M'), SANYA);
    expect(obs.rangeM).toBeCloseTo(40_233.6, 6);
    expect(obs.sogKn).toBeCloseTo(8.68976241900648, 10);
    expect(obs.cogDeg).toBeNull();
    expect(Math.abs(obs.lon - 109.3287599912)).toBeLessThan(GEOD_TOLERANCE_DEG);
    expect(Math.abs(obs.lat - 18.55466076782)).toBeLessThan(GEOD_TOLERANCE_DEG);
  });

  it('takes a TLL position as sent, with no site needed: gonmea-tll-2 (west longitude, lost)', () => {
    const obs = observe(validLines[2]!, undefined);
    expect(obs).toMatchObject({ targetNumber: 1, status: 'lost', name: 'test', rangeM: null, bearingDeg: null, sogKn: null, cogDeg: null });
    expect(obs.lat).toBeCloseTo(36.775711, 8);
    expect(obs.lon).toBeCloseTo(-2.589629667, 8);
  });

  it('stamps the observation with its tag-block c: time, and the id depends on the whole line', () => {
    const line = radarSentence('RATLL,7,1801.200,N,10930.000,E,,,T,', 's:rdr-sanya,c:1764201590');
    const obs = observe(line);
    expect(obs.observedAtMs).toBe(1_764_201_590_000);
    expect(obs.receivedAtMs).toBe(T0);
    expect(observe(line).obsId).toBe(obs.obsId);
    expect(observe(radarSentence('RATLL,7,1801.200,N,10930.000,E,,,T,', 's:rdr-sanya,c:1764201591')).obsId).not.toBe(obs.obsId);
  });

  it('takes an empty status as tracking', () => {
    expect(observe(radarSentence('RATLL,7,1801.200,N,10930.000,E,,,,')).status).toBe('tracking');
  });

  it.each([
    ['a TTM from a sensor without a site', radarSentence('RATTM,1,1.0,10,T,,,,,,N,,T,,,A'), undefined, 'unknown-radar-site'],
    ['a TTM without units', radarSentence('RATTM,1,1.0,10,T,,,,,,,,T,,,A'), HAIKOU, 'missing-units'],
    ['a TTM without bearing reference', radarSentence('RATTM,1,1.0,10,,,,,,,N,,T,,,A'), HAIKOU, 'missing-bearing-reference'],
    ['a TTM without distance', radarSentence('RATTM,1,,10,T,,,,,,N,,T,,,A'), HAIKOU, 'no-position'],
    ['a TLL without position', radarSentence('RATLL,1,,,,,,,T,'), HAIKOU, 'no-position'],
    ['gonmea-tll-1, which has no target number', validLines[1]!, HAIKOU, 'no-target-number'],
    ['a name longer than the contract allows', radarSentence(`RATLL,1,1801.2,N,10930.0,E,${'N'.repeat(300)},,T,`), HAIKOU, 'invalid-observation'],
  ] as const)('rejects %s', (_name, line, site, reason) => {
    const r = toRadarObservation(parse(line), at(site));
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });
});
