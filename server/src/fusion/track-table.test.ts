import type { AisPositionObservation, Mmsi, RadarTargetObservation } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { LOST_RETENTION_MS, TrackTable } from './track-table';

const T0 = Date.UTC(2026, 0, 15, 2, 0, 0);
function ais(mmsi: number, t: number, lon = 110.2, lat = 20.1): AisPositionObservation {
  return {
    kind: 'ais.position', obsId: `a${mmsi}-${t}`, sensorId: 'rx-haikou', gatewayId: 'gw', observedAtMs: t, receivedAtMs: t,
    mmsi: mmsi as Mmsi, msgType: 1, aisClass: 'A', lon, lat, sogKn: 12, cogDeg: 10, headingDeg: 11, navStatus: 0,
    rotDegPerMin: 0, accuracy: true,
  };
}
function radar(target: number, t: number): RadarTargetObservation {
  return {
    kind: 'radar.target', obsId: `r${target}-${t}`, sensorId: 'rdr-haikou', gatewayId: 'gw', observedAtMs: t, receivedAtMs: t,
    targetNumber: target, lon: 110.3, lat: 20.1, sogKn: 20, cogDeg: 180, rangeM: 5000, bearingDeg: 90, status: 'tracking', name: null,
  };
}

describe('TrackTable', () => {
  it('runs the lifecycle on the feed clock: a silent radar target goes stale, then lost, then leaves the picture', () => {
    const table = new TrackTable();
    table.apply(radar(7, T0));
    table.apply(ais(413000001, T0 + 30_000));
    expect(table.sweep().changed.map((t) => [t.id, t.state])).toEqual([['radar:rdr-haikou:7', 'stale']]);
    table.apply(ais(413000001, T0 + 130_000));
    expect(table.sweep().changed.map((t) => [t.id, t.state])).toEqual([['radar:rdr-haikou:7', 'lost']]);
    const later = T0 + 120_000 + LOST_RETENTION_MS;
    expect(table.sweep(later).removed).toEqual(['radar:rdr-haikou:7']);
  });

  it('does not let an observation stamped far ahead of its receipt move the clock', () => {
    const table = new TrackTable();
    table.apply(ais(413000001, T0));
    table.apply({ ...ais(413000002, T0 + 24 * 3600_000), receivedAtMs: T0 + 1_000 });
    expect(table.clockMs).toBe(T0);
  });

  it('keeps a late observation for history without moving the live track back in time', () => {
    const table = new TrackTable();
    table.apply(ais(413000001, T0 + 10_000, 110.3, 20.2));
    const late = table.apply(ais(413000001, T0, 110.1, 20.0))!;
    expect(late.history).toMatchObject({ observedAtMs: T0, lon: 110.1 });
    expect(late.track).toMatchObject({ lastSeenMs: T0 + 10_000, lon: 110.3 });
  });
});
