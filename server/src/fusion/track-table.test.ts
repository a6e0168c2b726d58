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

describe('TrackTable fusion', () => {
  it('fuses a radar target that follows an AIS vessel: the AIS track becomes fused with both sources, the radar target leaves the picture', () => {
    const table = new TrackTable();
    const changes = [];
    for (let i = 0; i < 3; i++) {
      const t = T0 + i * 10_000;
      table.apply(ais(413000001, t - 2_000, 110.3, 20.1 + i * 0.0006));
      changes.push(table.apply({ ...radar(5, t), lon: 110.3005, lat: 20.1 + i * 0.0006, sogKn: 12, cogDeg: 8 }));
    }
    expect(changes[2]!.removed).toEqual(['radar:rdr-haikou:5']);
    expect(changes[2]!.alsoChanged).toEqual([expect.objectContaining({ id: 'ais:413000001', kind: 'fused', sources: ['rx-haikou', 'rdr-haikou'] })]);
    expect(table.all().map((t) => t.id)).toEqual(['ais:413000001']);
    expect(table.fusedWith('radar:rdr-haikou:5' as never)).toBe('ais:413000001');
  });

  it('leaves a radar target with no AIS vessel near it on its own, counting its updates', () => {
    const table = new TrackTable();
    table.apply(ais(413000001, T0, 110.1, 20.1));
    for (let i = 0; i < 6; i++) table.apply(radar(9, T0 + i * 10_000));
    expect(table.all().map((t) => t.id).sort()).toEqual(['ais:413000001', 'radar:rdr-haikou:9']);
    expect(table.radarUpdates('radar:rdr-haikou:9' as never)).toBe(6);
    expect(table.fusedWith('radar:rdr-haikou:9' as never)).toBeNull();
  });
});
