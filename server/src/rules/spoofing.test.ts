import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { loadRuleConfig } from './rule-config';
import { checkSpoofing, maxSpeedKn } from './spoofing';

const params = loadRuleConfig().spoofing;
const T0 = Date.UTC(2026, 0, 15, 2, 0, 0);
function vessel(shipType: number | null): Track {
  return {
    id: 'ais:413521110' as TrackId, kind: 'ais', state: 'active', lon: 110.2, lat: 20.1, sogKn: 14, cogDeg: 0, headingDeg: 0,
    mmsi: 413521110, name: 'HAIXIA 11', callsign: null, shipType, destination: null, ring: 'near-sea', level: null, sources: [],
    firstSeenMs: T0, lastSeenMs: T0, updates: 1,
  };
}

describe('spoofing', () => {
  it('caps speed by ship type: high-speed craft may do 60 kn, a passenger ferry 40', () => {
    expect(maxSpeedKn(41, params)).toBe(60);
    expect(maxSpeedKn(60, params)).toBe(40);
    expect(maxSpeedKn(null, params)).toBe(40);
  });

  it('flags one MMSI in two places: Haikou and Sanya (215 km) 10 s apart', () => {
    const f = checkSpoofing(vessel(60), { atMs: T0, lon: 110.28, lat: 20.05, sensorId: 'rx-haikou' }, { atMs: T0 + 10_000, lon: 109.5, lat: 18.25, sensorId: 'rx-sanya' }, params);
    expect(f).toMatchObject({ rule: 'spoofing', level: 'yellow', evidence: { capKn: 40 } });
    expect((f!.evidence as { distanceM: number }).distanceM).toBeGreaterThan(210_000);
  });

  it('lets a high-speed craft do 50 kn, and ignores GNSS jitter', () => {
    const hsc = vessel(41);
    const km = 50 * 1852 / 3600 * 60; // 50 kn for a minute
    expect(checkSpoofing(hsc, { atMs: T0, lon: 110.2, lat: 20.1, sensorId: 'a' }, { atMs: T0 + 60_000, lon: 110.2, lat: 20.1 + km / 111_195, sensorId: 'a' }, params)).toBeNull();
    expect(checkSpoofing(vessel(60), { atMs: T0, lon: 110.2, lat: 20.1, sensorId: 'a' }, { atMs: T0 + 1, lon: 110.2, lat: 20.1005, sensorId: 'a' }, params)).toBeNull();
  });
});
