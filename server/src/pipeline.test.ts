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
    expect(alert(raised[0]!)).toMatchObject({ rule: 'unidentified-target', level: 'yellow', raisedAtMs: T0 + 50_000 });
    const escalations = events.filter((e) => e.type === 'updated' && e.escalated).map((e) => [e.alert.level, e.alert.updatedAtMs]);
    expect(escalations).toEqual([
      ['orange', T0 + 270_000],
      ['red', T0 + 320_000],
    ]);
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
