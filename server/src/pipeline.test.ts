import type { Alert, RadarTargetObservation, Ring, Track } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { AlertBook, type AlertEvent } from './alerts/alert-book';
import { TrackTable } from './fusion/track-table';
import { Pipeline, type PlaceLookup } from './pipeline';
import { loadRuleConfig } from './rules/rule-config';

// A coast running east-west at 18.30 N: shoreline within ~2 km of it, inland north of it, near-sea south.
const places: PlaceLookup = {
  classify(_lon, lat) {
    const ring: Ring = lat >= 18.31 ? 'inland' : lat >= 18.28 ? 'shoreline' : lat >= 17.9 ? 'near-sea' : 'outside';
    return { ring, zones: [], inPortZone: false };
  },
};
const T0 = Date.UTC(2026, 0, 15, 16, 0, 0); // local midnight in Hainan

function run(observations: RadarTargetObservation[]) {
  const events: AlertEvent[] = [];
  const tracks: Track[] = [];
  const pipeline = new Pipeline(new TrackTable(), new AlertBook(), loadRuleConfig(), places, {
    trackChanged: (t) => tracks.push(t),
    tracksRemoved: () => undefined,
    event: () => undefined,
    alert: (e) => events.push(e),
  });
  for (const o of observations) pipeline.handle(o);
  return { events, tracks, pipeline };
}

/** A fast boat without AIS running north to the beach, one radar update every 10 s, stopping on the sand. */
function runToBeach(): RadarTargetObservation[] {
  const out: RadarTargetObservation[] = [];
  for (let i = 0; i <= 40; i++) {
    const lat = Math.min(18.2 + i * 0.003, 18.295);
    out.push({
      kind: 'radar.target', obsId: `r-${i}`, sensorId: 'rdr-sanya', gatewayId: 'gw', observedAtMs: T0 + i * 10_000, receivedAtMs: T0 + i * 10_000,
      targetNumber: 9, lon: 109.9, lat, sogKn: lat >= 18.295 ? 0.2 : 20, cogDeg: 0, rangeM: null, bearingDeg: null, status: 'tracking', name: null,
    });
  }
  return out;
}

describe('pipeline: a vessel without AIS running to a beach', () => {
  it('raises one alert that goes yellow in near-sea, orange in the shoreline ring and red when it stops on the beach', () => {
    const { events } = run(runToBeach());
    const alert = (e: AlertEvent): Alert => e.alert;
    const raised = events.filter((e) => e.type === 'raised');
    expect(raised).toHaveLength(1);
    expect(alert(raised[0]!)).toMatchObject({ rule: 'unidentified-target', level: 'yellow', raisedAtMs: T0 + 240_000 });
    const escalations = events.filter((e) => e.type === 'updated' && e.escalated).map((e) => [e.alert.level, e.alert.updatedAtMs]);
    expect(escalations).toEqual([
      ['orange', T0 + 270_000],
      ['red', T0 + 320_000],
    ]);
    // Not before four minutes of tracking: the slowest AIS reporting interval is three.
    expect(events.every((e) => e.alert.raisedAtMs >= T0 + 240_000)).toBe(true);
    expect(new Set(events.map((e) => e.alert.id)).size).toBe(1);
  });

  it('gives the track the level of its highest open alert', () => {
    const { tracks } = run(runToBeach());
    expect(tracks.filter((t) => t.id === 'radar:rdr-sanya:9').at(-1)).toMatchObject({ level: 'red', ring: 'shoreline' });
  });

  it('raises the same alerts, with the same ids and times, when the feed is replayed', () => {
    const strip = (events: AlertEvent[]) => events.map((e) => JSON.stringify(e));
    expect(strip(run(runToBeach()).events)).toEqual(strip(run(runToBeach()).events));
  });
});

describe('pipeline: an AIS vessel going dark near the coast', () => {
  const MMSI = 413999001;
  const at = (i: number) => T0 + i * 10_000;
  const lat = (i: number) => 18.0 + i * 0.0004; // 8.6 kn northbound
  function aisReport(i: number, receivedAtMs = at(i)) {
    return {
      kind: 'ais.position' as const, obsId: `a-${i}`, sensorId: 'rx-sanya', gatewayId: 'gw', observedAtMs: at(i), receivedAtMs,
      mmsi: MMSI as never, msgType: 1, aisClass: 'A' as const, lon: 109.9, lat: lat(i), sogKn: 8.6, cogDeg: 0, headingDeg: 0,
      navStatus: 0, rotDegPerMin: 0, accuracy: true,
    };
  }
  function radarReport(i: number): RadarTargetObservation {
    return {
      kind: 'radar.target', obsId: `r-${i}`, sensorId: 'rdr-sanya', gatewayId: 'gw', observedAtMs: at(i) + 3_000, receivedAtMs: at(i) + 3_000,
      targetNumber: 4, lon: 109.9003, lat: lat(i) + 0.00012, sogKn: 8.4, cogDeg: 2, rangeM: null, bearingDeg: null, status: 'tracking', name: null,
    };
  }
  // AIS for 2 minutes, then silence while the radar follows the vessel for 14 more minutes.
  function feed() {
    const out = [];
    for (let i = 0; i <= 96; i++) {
      if (i <= 12) out.push(aisReport(i));
      out.push(radarReport(i));
    }
    return out;
  }

  it('raises one orange alert on the vessel and its radar target once it has been silent for 10 minutes', () => {
    const { events } = run(feed() as never);
    const dark = events.filter((e) => e.alert.rule === 'ais-dark');
    expect(dark[0]).toMatchObject({ type: 'raised', alert: { level: 'orange', trackIds: [`ais:${MMSI}`, 'radar:rdr-sanya:4'], raisedAtMs: at(72) + 3_000 } });
    expect(dark[0]!.alert.evidence).toMatchObject({ lastAisAtMs: at(12), silentMs: at(72) + 3_000 - at(12) });
    expect(events.filter((e) => e.alert.rule === 'unidentified-target')).toEqual([]);
  });

  it('withdraws the alert when AIS reports from inside the silence arrive late', () => {
    const late = [24, 36, 48, 60].map((i) => aisReport(i, at(96) + 5_000));
    const { events } = run([...feed(), ...late] as never);
    expect(events.at(-1)).toMatchObject({ type: 'status', from: 'open', actor: 'system', alert: { rule: 'ais-dark', status: 'resolved' } });
  });
});

describe('pipeline: meetings and loitering', () => {
  const at = (i: number) => T0 + i * 30_000;
  function vesselAis(i: number, lat: number) {
    return {
      kind: 'ais.position' as const, obsId: `m-${i}`, sensorId: 'rx-sanya', gatewayId: 'gw', observedAtMs: at(i), receivedAtMs: at(i),
      mmsi: 413888001 as never, msgType: 1, aisClass: 'A' as const, lon: 109.95, lat, sogKn: 0.4, cogDeg: 90, headingDeg: 90,
      navStatus: 0, rotDegPerMin: 0, accuracy: true,
    };
  }
  function radarBoat(i: number, lon: number, lat: number, sogKn: number, target = 21): RadarTargetObservation {
    return {
      kind: 'radar.target', obsId: `b-${target}-${i}`, sensorId: 'rdr-sanya', gatewayId: 'gw', observedAtMs: at(i) + 5_000, receivedAtMs: at(i) + 5_000,
      targetNumber: target, lon, lat, sogKn, cogDeg: 90, rangeM: null, bearingDeg: null, status: 'tracking', name: null,
    };
  }

  it('raises an orange encounter for an AIS vessel and a radar-only boat side by side in near-sea for 20 minutes', () => {
    const feed = [];
    // The radar sees the AIS vessel (target 20, fused with it) and a boat without AIS (target 21), 2.5 km apart,
    // then alongside (180 m east) from step 10 for 30 min.
    for (let i = 0; i <= 70; i++) {
      feed.push(vesselAis(i, 18.1));
      feed.push(radarBoat(i, 109.9501, 18.1, 0.4, 20));
      feed.push(radarBoat(i, i < 10 ? 109.975 : 109.9517, 18.1, 0.6));
    }
    const { events } = run(feed as never);
    const encounter = events.find((e) => e.type === 'raised' && e.alert.rule === 'encounter');
    expect(encounter?.alert).toMatchObject({ level: 'orange', trackIds: ['ais:413888001', 'radar:rdr-sanya:21'], ring: 'near-sea' });
    const since = (encounter!.alert.evidence as { sinceMs: number }).sinceMs;
    expect(since).toBe(at(10) + 5_000);
    expect(encounter!.alert.raisedAtMs - since).toBeGreaterThanOrEqual(20 * 60_000);
    expect(encounter!.alert.raisedAtMs - since).toBeLessThan(21 * 60_000);
  });

  it('raises yellow loitering for a slow boat off a beach for an hour, not for one that keeps moving', () => {
    const feed = [];
    for (let i = 0; i <= 125; i++) {
      feed.push(radarBoat(i, 109.9 + i * 0.00001, 18.29, 1.0, 30));
      feed.push(radarBoat(i, 109.7 + i * 0.005, 18.29, 9, 31));
    }
    const { events } = run(feed as never);
    const loiter = events.filter((e) => e.type === 'raised' && e.alert.rule === 'loitering');
    expect(loiter.map((e) => e.alert.trackIds[0])).toEqual(['radar:rdr-sanya:30']);
    expect(loiter[0]!.alert).toMatchObject({ level: 'yellow', ring: 'shoreline', raisedAtMs: at(120) + 5_000 });
  });
});

describe('drone link', () => {
  /** Telemetry for 20 s (armed or not), then silence while a radar elsewhere keeps the feed clock moving. */
  function flight(armed: boolean | null) {
    const obs: Parameters<Pipeline['handle']>[0][] = [];
    for (let i = 0; i < 40; i++) {
      obs.push({
        kind: 'drone.telemetry', obsId: `d-${i}`, sensorId: 'uav-gw', gatewayId: 'gw', observedAtMs: T0 + i * 500, receivedAtMs: T0 + i * 500,
        systemId: 1, lon: 109.5, lat: 18.2, altitudeM: 150, groundSpeedMs: 15, headingDeg: 90, batteryPct: 70, armed, mode: 'AUTO',
      });
    }
    for (let i = 0; i < 12; i++) {
      obs.push({
        kind: 'radar.target', obsId: `far-${i}`, sensorId: 'rdr-far', gatewayId: 'gw', observedAtMs: T0 + 20_000 + i * 5_000, receivedAtMs: T0 + 20_000 + i * 5_000,
        targetNumber: 1, lon: 110.9, lat: 18.0, sogKn: 10, cogDeg: 0, rangeM: null, bearingDeg: null, status: 'tracking', name: null,
      });
    }
    const events: AlertEvent[] = [];
    const pipeline = new Pipeline(new TrackTable(), new AlertBook(), loadRuleConfig(), places, {
      trackChanged: () => undefined, tracksRemoved: () => undefined, event: () => undefined, alert: (e) => events.push(e),
    });
    for (const o of obs) pipeline.handle(o);
    return events.filter((e) => e.alert.rule === 'drone-link').map((e) => e.alert);
  }

  it('is lost, yellow, when an armed drone (or one whose state is unknown) falls silent', () => {
    expect(flight(true)).toEqual([expect.objectContaining({ level: 'yellow', trackIds: ['drone:uav-gw:1'], evidence: expect.objectContaining({ armed: true }) })]);
    expect(flight(null)).toHaveLength(1);
  });

  it('is not lost when a disarmed drone is switched off on its pad', () => {
    expect(flight(false)).toEqual([]);
  });
});
