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
