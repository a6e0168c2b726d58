import type { Alert, Observation, Track } from '@seawall/contracts';
import { createClassifier } from '@seawall/geodata';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedPayload } from '../edge-gateway/src/scenario/feed-line';
import { scenarioMessages } from '../edge-gateway/src/scenario/hainan-scenario';
import { SCENARIO_THREATS } from '../edge-gateway/src/scenario/hainan-threats';
import { decodeThroughGateway } from '../edge-gateway/src/scenario/test-support';
import { AlertBook, type AlertEvent } from '../server/src/alerts/alert-book';
import { TrackTable } from '../server/src/fusion/track-table';
import { Pipeline, type PipelineState } from '../server/src/pipeline';
import { loadRuleConfig } from '../server/src/rules/rule-config';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { eventually, settled, startTestSystem, type TestSystem } from './support/system';

const DAY = Date.UTC(2026, 0, 15);
const H = 3600_000;
const MIN = 60_000;
const T = SCENARIO_THREATS;
// Two windows of the scenario day, each with a threat whose detection needs memory of the past: the
// ship-to-ship meeting (an encounter watch running for 20 min) and the AIS vessel going dark (the
// radar target's association with it, and its last AIS fix).
const WINDOWS: [number, number][] = [
  [5.33 * H, 6.4 * H],
  [10.67 * H, 11.4 * H],
];
// The server restarts in the middle of each: ten minutes into the meeting, five into the silence.
const RESTARTS = [DAY + T.shipToShip.meetFromS * 1000 + 10 * MIN, DAY + T.aisDark.darkFromS * 1000 + 5 * MIN];

const feed = WINDOWS.flatMap(([a, b]) => scenarioMessages(DAY + a, DAY + b, { kinds: ['ais', 'radar', 'json'], startMs: DAY + a }));
const observations = decodeThroughGateway(feed).observations;
const rules = loadRuleConfig();
const places = createClassifier();

interface Run {
  alerts: Alert[];
  tracks: Track[];
  /** Distinct (track, time) keys of history rows: what `track_history` must hold. */
  historyKeys: Set<string>;
  /** Alert events by audit action, as the alert store writes them. */
  audit: Map<string, number>;
}

/** The feed through the pipeline in memory; at each index in `restartAt` the pipeline's state is saved as JSON and a new pipeline carries on from it. */
function runInMemory(restartAt: readonly number[] = []): Run {
  const historyKeys = new Set<string>();
  const audit = new Map<string, number>();
  const count = (action: string) => audit.set(action, (audit.get(action) ?? 0) + 1);
  const sinks = {
    trackChanged: (_t: Track, h: { trackId: string; observedAtMs: number } | null) => void (h && historyKeys.add(`${h.trackId}|${h.observedAtMs}`)),
    tracksRemoved: () => undefined,
    event: () => undefined,
    alert: (e: AlertEvent) => {
      if (e.type === 'raised') count('alert.raised');
      else if (e.type === 'updated' && e.escalated) count('alert.escalated');
      else if (e.type === 'status') count(`alert.${e.alert.status}`);
    },
  };
  const make = () => new Pipeline(new TrackTable(), new AlertBook(), rules, places, sinks);
  let pipeline = make();
  observations.forEach((obs, i) => {
    if (restartAt.includes(i)) {
      const saved = JSON.parse(JSON.stringify(pipeline.snapshot())) as PipelineState;
      pipeline = make();
      pipeline.restoreFrom(saved);
    }
    pipeline.handle(obs);
  });
  return { alerts: pipeline.alerts.all(), tracks: pipeline.table.all(), historyKeys, audit };
}

const byId = <X extends { id: string }>(list: X[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const restartIndices = RESTARTS.map((at) => observations.findIndex((o) => o.observedAtMs >= at));
const reference = runInMemory();

describe('a server restarted in the middle of the scenario', () => {
  it('carries on from its saved state: the same alerts and tracks as a run without restarts', () => {
    expect(restartIndices.every((i) => i > 0)).toBe(true);
    const restarted = runInMemory(restartIndices);
    expect(reference.alerts.map((a) => a.rule)).toEqual(expect.arrayContaining(['encounter', 'ais-dark']));
    expect(byId(restarted.alerts)).toEqual(byId(reference.alerts));
    expect(byId(restarted.tracks)).toEqual(byId(reference.tracks));
    expect(restarted.historyKeys).toEqual(reference.historyKeys);
    expect(restarted.audit).toEqual(reference.audit);
  });

  it('without its saved state would have missed the meeting and the vessel gone dark (the test can fail)', () => {
    const forgetful = (() => {
      const alerts: Alert[] = [];
      let pipeline: Pipeline | null = null;
      const sinks = { trackChanged: () => undefined, tracksRemoved: () => undefined, event: () => undefined, alert: () => undefined };
      observations.forEach((obs, i) => {
        if (!pipeline || restartIndices.includes(i)) {
          if (pipeline) alerts.push(...pipeline.alerts.all());
          pipeline = new Pipeline(new TrackTable(), new AlertBook(), rules, places, sinks);
        }
        pipeline.handle(obs);
      });
      return [...alerts, ...pipeline!.alerts.all()];
    })();
    const rulesOf = (list: Alert[]) => list.filter((a) => a.rule === 'encounter' || a.rule === 'ais-dark').map((a) => a.id).sort();
    expect(rulesOf(forgetful)).not.toEqual(rulesOf(reference.alerts));
  });

  describe.runIf(mosquittoAvailable())('through Mosquitto, the edge gateway, the server and the database', () => {
    let mosquitto: OwnMosquitto;
    let system: TestSystem;
    const applied: Observation[] = [];
    const atRestart: { applied: number; published: number }[] = [];
    let alerts: Alert[];

    beforeAll(async () => {
      // A broker of the test's own: it queues everything for the server's session while the server is down.
      mosquitto = await startOwnMosquitto();
      system = await startTestSystem({ centralMqttUrl: mosquitto.url, persistentData: true, onObservation: (o) => applied.push(o) });
      const sensor = await mqtt.connectAsync(mosquitto.url, { clientId: `restart-sensor-${process.pid}` });
      let published = 0;
      const publishing = (async () => {
        for (const m of feed) {
          await sensor.publishAsync(m.topic, feedPayload(m), { qos: 1 });
          // About 2,000 messages a second: the restarts happen while the feed flows.
          if (++published % 200 === 0) await new Promise((r) => setTimeout(r, 100));
        }
      })();
      for (const at of RESTARTS) {
        await eventually(() => (applied.some((o) => o.observedAtMs >= at) ? true : undefined), 120_000, `the feed to reach ${new Date(at).toISOString()}`);
        atRestart.push({ applied: applied.length, published });
        await system.restartServer();
      }
      await publishing;
      await sensor.endAsync();
      await settled(system, () => applied.length);
      alerts = (await (await system.api('/api/alerts?limit=5000')).json()).alerts;
    }, 420_000);

    afterAll(async () => {
      await system?.stop();
      await mosquitto?.dispose();
    });

    it('restarted twice while the feed was still flowing', () => {
      console.log(`restart: ${feed.length} messages, ${observations.length} observations; restarts at`, atRestart);
      expect(atRestart).toHaveLength(2);
      for (const r of atRestart) {
        expect(r.applied).toBeGreaterThan(0);
        expect(r.published).toBeLessThan(feed.length);
      }
    });

    it('applied every observation exactly once', () => {
      const ids = applied.map((o) => o.obsId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(observations.map((o) => o.obsId)));
    });

    it('lost and duplicated no alert: the same alerts, audit trail included, as the run without restarts', async () => {
      expect(byId(alerts)).toEqual(byId(reference.alerts));
      const { rows } = await system.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts`);
      expect(rows[0]!.n).toBe(reference.alerts.length);
      const audit = await system.server.db.query<{ action: string; n: number }>(`SELECT action, count(*)::int AS n FROM audit_log GROUP BY action`);
      expect(new Map(audit.rows.map((r) => [r.action, r.n]))).toEqual(reference.audit);
    });

    it('lost and duplicated no history row', async () => {
      const { rows } = await system.server.db.query<{ n: number; keys: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT (track_id, observed_at))::int AS keys FROM track_history`,
      );
      expect(rows[0]).toEqual({ n: reference.historyKeys.size, keys: reference.historyKeys.size });
    });
  });
});
