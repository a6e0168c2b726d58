import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { loadRuleConfig } from './rule-config';
import { checkUnidentifiedTarget } from './unidentified-target';

const params = loadRuleConfig().unidentifiedTarget;
const T0 = Date.UTC(2026, 0, 15, 16, 0, 0);
function radarTrack(ring: Track['ring'], sogKn: number): Track {
  return {
    id: 'radar:rdr-sanya:9' as TrackId, kind: 'radar', state: 'active', lon: 109.9, lat: 18.4, sogKn, cogDeg: 20, headingDeg: null,
    mmsi: null, name: null, callsign: null, shipType: null, destination: null, ring, level: null, sources: ['rdr-sanya'],
    firstSeenMs: T0, lastSeenMs: T0 + 300_000, updates: 31,
  };
}
const ctx = { radarUpdates: params.minRadarUpdates, fused: false, inPortZone: false };

describe('unidentified radar target', () => {
  it('is yellow in near-sea, orange in the shoreline ring, red inland', () => {
    expect(checkUnidentifiedTarget(radarTrack('near-sea', 25), ctx, params)?.level).toBe('yellow');
    expect(checkUnidentifiedTarget(radarTrack('shoreline', 25), ctx, params)?.level).toBe('orange');
    expect(checkUnidentifiedTarget(radarTrack('inland', 5), ctx, params)?.level).toBe('red');
  });

  it('is red when it stops at the coast outside a port zone, orange when it stops inside one', () => {
    expect(checkUnidentifiedTarget(radarTrack('shoreline', 0.3), ctx, params)).toMatchObject({ level: 'red', evidence: { landed: true } });
    expect(checkUnidentifiedTarget(radarTrack('shoreline', 0.3), { ...ctx, inPortZone: true }, params)?.level).toBe('orange');
  });

  it('raises nothing for a fused target, a target still looking for its identity, or one outside the rings', () => {
    expect(checkUnidentifiedTarget({ ...radarTrack('near-sea', 25), lastSeenMs: T0 + params.minTrackedMs - 1 }, ctx, params)).toBeNull();
    expect(checkUnidentifiedTarget(radarTrack('near-sea', 25), { ...ctx, fused: true }, params)).toBeNull();
    expect(checkUnidentifiedTarget(radarTrack('near-sea', 25), { ...ctx, radarUpdates: params.minRadarUpdates - 1 }, params)).toBeNull();
    expect(checkUnidentifiedTarget(radarTrack('outside', 25), ctx, params)).toBeNull();
  });

  it('carries its evidence: position, time, updates and the parameters used', () => {
    const f = checkUnidentifiedTarget(radarTrack('near-sea', 25), ctx, params)!;
    expect(f).toMatchObject({ atMs: T0 + 300_000, trackIds: ['radar:rdr-sanya:9'], evidence: { position: [109.9, 18.4], radarUpdates: 6, parameters: params } });
  });
});
