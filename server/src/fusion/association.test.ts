import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { Associator, withinGate } from './association';
import { deadReckon, distanceM } from './geo-math';

const T0 = Date.UTC(2026, 0, 15, 2, 0, 0);
function track(id: string, kind: Track['kind'], t: number, lon: number, lat: number, sogKn: number, cogDeg: number): Track {
  return {
    id: id as TrackId, kind, state: 'active', lon, lat, sogKn, cogDeg, headingDeg: null, mmsi: null, name: null, callsign: null,
    shipType: null, destination: null, ring: null, level: null, sources: [], firstSeenMs: T0, lastSeenMs: t, updates: 1,
  };
}

// A ferry leaving Haikou Xiuying northbound at 14 kn.
const start: [number, number] = [110.2749, 20.045];
function ferryAt(t: number): [number, number] {
  return deadReckon(start[0], start[1], 14, 350, t - T0);
}

describe('radar-to-AIS association', () => {
  it('dead reckoning moves 14 kn for 10 min by 4.32 km', () => {
    const [lon, lat] = deadReckon(start[0], start[1], 14, 0, 600_000);
    expect(distanceM(start[0], start[1], lon, lat)).toBeCloseTo(14 * 1852 / 6, -1);
  });

  it('associates a radar target that follows an AIS vessel within the gate on three updates in a row', () => {
    const associator = new Associator();
    // AIS reported 8 s before each radar update; the radar position is 120 m off.
    const changes = [];
    for (let i = 0; i < 4; i++) {
      const t = T0 + i * 10_000;
      const [alon, alat] = ferryAt(t - 8_000);
      const [rlon, rlat] = ferryAt(t);
      const ais = track('ais:413521110', 'ais', t - 8_000, alon, alat, 14, 350);
      const radar = track('radar:rdr-haikou:3', 'radar', t, rlon + 0.001, rlat, 13.2, 347);
      changes.push(associator.update(radar, [ais]));
    }
    expect(changes.map((c) => c?.aisId ?? null)).toEqual([null, null, 'ais:413521110', null]);
    expect(associator.associatedWith('radar:rdr-haikou:3' as TrackId)).toBe('ais:413521110');
  });

  it('never associates a fast radar-only boat with a slow fishing vessel 300 m away', () => {
    const fishing = track('ais:412451186', 'ais', T0, 109.5, 18.2, 3, 90);
    const boat = track('radar:rdr-sanya:9', 'radar', T0 + 5_000, 109.5028, 18.2, 28, 20);
    expect(withinGate(boat, fishing)).toBe(false);
  });

  it('releases an association after three updates outside the gate', () => {
    const associator = new Associator();
    const ais = (t: number) => track('ais:1', 'ais', t, 110, 20, 0, 0);
    for (let i = 0; i < 3; i++) associator.update(track('radar:r:1', 'radar', T0 + i * 10_000, 110.001, 20, 0, 0), [ais(T0 + i * 10_000)]);
    expect(associator.associatedWith('radar:r:1' as TrackId)).toBe('ais:1');
    const away = (i: number) => associator.update(track('radar:r:1', 'radar', T0 + (3 + i) * 10_000, 110.05, 20, 0, 0), [ais(T0 + (3 + i) * 10_000)]);
    expect([away(0), away(1)]).toEqual([null, null]);
    expect(away(2)).toEqual({ radarId: 'radar:r:1', aisId: null, previous: 'ais:1' });
  });
});
