import type { Alert, Observation } from '@seawall/contracts';
import { createClassifier } from '@seawall/geodata';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRONE_SENSOR_ID, DRONE_SORTIE_PLAN } from '../edge-gateway/src/scenario/drone-patrol';
import { feedPayload } from '../edge-gateway/src/scenario/feed-line';
import { RADAR_CONTACTS, RADAR_ONLY_CONTACTS, scenarioMessages } from '../edge-gateway/src/scenario/hainan-scenario';
import { SCENARIO_THREATS } from '../edge-gateway/src/scenario/hainan-threats';
import { decodeThroughGateway } from '../edge-gateway/src/scenario/test-support';
import { AlertBook } from '../server/src/alerts/alert-book';
import { TrackTable } from '../server/src/fusion/track-table';
import { Pipeline } from '../server/src/pipeline';
import { loadRuleConfig } from '../server/src/rules/rule-config';
import { settled, startTestSystem, type TestSystem } from './support/system';

const DAY = Date.UTC(2026, 0, 15);
const H = 3600_000;
const S = 1000;
// The scheduled threats and the hours around them (UTC), every sensor kind. The drone's fixes carry the
// scenario time from its MAVLink SYSTEM_TIME, so they replay on observation time like the rest.
const WINDOWS: [number, number][] = [
  [5.33 * H, 8 * H], // ship-to-ship meeting 05:30-06:10, spoofed MMSI 06:30-07:30, the 07:00 drone sortie (link 06:57-07:54)
  [10.67 * H, 11.5 * H], // AIS dark 10:50-11:15
  [17.33 * H, 19.5 * H], // night landing 17:30-19:20
];
const feed = WINDOWS.flatMap(([a, b]) => scenarioMessages(DAY + a, DAY + b, { kinds: ['ais', 'radar', 'json', 'drone'], startMs: DAY + a }));
/** The drone sortie in the feed, whole: from link-up to a minute past link-down, when its track is lost. */
const SORTIE = DRONE_SORTIE_PLAN[1]!;
const DRONE_TRACK = `drone:${DRONE_SENSOR_ID}:1`;

/** The same feed through the gateway's handlers and the server's pipeline, in memory: the reference run. */
function replayInMemory(): Alert[] {
  const pipeline = new Pipeline(new TrackTable(), new AlertBook(), loadRuleConfig(), createClassifier(), {
    trackChanged: () => undefined,
    tracksRemoved: () => undefined,
    event: () => undefined,
    alert: () => undefined,
  });
  for (const obs of decodeThroughGateway(feed).observations) pipeline.handle(obs);
  return pipeline.alerts.all();
}

/** The scenario contact id (radar-only) behind a radar track, from its ARPA target number. */
const radarContact = (trackId: string): { id?: string } | undefined => {
  const m = /^radar:[^:]+:(\d+)$/.exec(trackId);
  return m ? (RADAR_CONTACTS[Number(m[1]) - 1]?.source as { id?: string } | undefined) : undefined;
};
const SAMPANS = new Set(RADAR_ONLY_CONTACTS.filter((c) => c.id.startsWith('sampan')).map((c) => c.id));
const T = SCENARIO_THREATS;

describe('the Hainan threat scenario through MQTT, the gateway, the server and the database', () => {
  let system: TestSystem;
  let alerts: Alert[];
  const applied: Observation[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ onObservation: (o) => applied.push(o) });
    const sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `scenario-${process.pid}-${Date.now()}` });
    for (const m of feed) await sensor.publishAsync(m.topic, feedPayload(m), { qos: 1 });
    await sensor.endAsync();
    await settled(system, () => applied.length);
    alerts = (await (await system.api('/api/alerts?limit=5000')).json()).alerts;
  }, 420_000);

  afterAll(async () => {
    await system?.stop();
  });

  const find = (rule: Alert['rule'], pred: (a: Alert) => boolean) => alerts.filter((a) => a.rule === rule && pred(a));

  it('(a) a boat without AIS running to a beach at night: yellow at sea, red once it stops on the beach outside a port', () => {
    const landing = find('unidentified-target', (a) => radarContact(a.trackIds[0]!)?.id === T.nightLanding.contactId);
    expect(landing).toHaveLength(1);
    const [alert] = landing;
    expect(alert).toMatchObject({ level: 'red', ring: 'shoreline', evidence: { landed: true } });
    expect(alert!.raisedAtMs).toBeGreaterThanOrEqual(DAY + T.nightLanding.startS * S);
    expect(alert!.raisedAtMs).toBeLessThan(DAY + T.nightLanding.landedS * S);
    expect(alert!.updatedAtMs).toBeGreaterThanOrEqual(DAY + T.nightLanding.landedS * S);
  });

  it('(b) an AIS vessel going dark near the coast: orange, ten minutes into the silence, on the vessel and its radar target', () => {
    const dark = find('ais-dark', (a) => a.trackIds.includes(`ais:${T.aisDark.mmsi}` as never));
    expect(dark).toHaveLength(1);
    expect(dark[0]).toMatchObject({ level: 'orange' });
    expect(dark[0]!.raisedAtMs).toBeGreaterThanOrEqual(DAY + T.aisDark.darkFromS * S + 10 * 60 * S - 10 * S);
    expect(dark[0]!.raisedAtMs).toBeLessThan(DAY + T.aisDark.darkToS * S);
  });

  it('(c) a ship-to-ship meeting: orange, twenty minutes after the two vessels came together', () => {
    const meeting = find('encounter', (a) => T.shipToShip.mmsis.every((m) => a.trackIds.includes(`ais:${m}` as never)));
    expect(meeting).toHaveLength(1);
    expect(meeting[0]).toMatchObject({ level: 'orange', ring: 'near-sea' });
    expect(meeting[0]!.raisedAtMs).toBeGreaterThanOrEqual(DAY + T.shipToShip.meetFromS * S + 20 * 60 * S);
    expect(meeting[0]!.raisedAtMs).toBeLessThan(DAY + T.shipToShip.meetToS * S);
  });

  it('(d) a spoofed MMSI: yellow, when the second transmitter is first heard', () => {
    const spoof = find('spoofing', (a) => a.trackIds.includes(`ais:${T.spoofedMmsi.mmsi}` as never));
    expect(spoof).toHaveLength(1);
    expect(spoof[0]).toMatchObject({ level: 'yellow' });
    expect(spoof[0]!.raisedAtMs).toBeGreaterThanOrEqual(DAY + T.spoofedMmsi.fromS * S);
    expect(spoof[0]!.raisedAtMs).toBeLessThan(DAY + T.spoofedMmsi.fromS * S + 60 * S);
  });

  it('the benign traffic raises none of the threat alerts', () => {
    const explained = (a: Alert) =>
      (a.rule === 'unidentified-target' && SAMPANS.has(radarContact(a.trackIds[0]!)?.id ?? '')) ||
      (a.rule === 'identity' && a.trackIds[0] === `ais:${T.invalidMmsi.mmsi}`) ||
      (a.rule === 'unidentified-target' && radarContact(a.trackIds[0]!)?.id === T.nightLanding.contactId) ||
      (a.rule === 'ais-dark' && a.trackIds.includes(`ais:${T.aisDark.mmsi}` as never)) ||
      (a.rule === 'encounter' && T.shipToShip.mmsis.every((m) => a.trackIds.includes(`ais:${m}` as never))) ||
      (a.rule === 'spoofing' && a.trackIds.includes(`ais:${T.spoofedMmsi.mmsi}` as never));
    const falsePositives = alerts.filter((a) => !explained(a));
    console.log(`scenario: ${feed.length} messages, ${applied.length} observations, ${alerts.length} alerts; false positives: ${falsePositives.length}`, falsePositives.map((a) => `${a.rule}/${a.level} ${a.trackIds.join(',')}`));
    expect(falsePositives).toEqual([]);
    // The small craft without AIS are reported, as they should be, at the lowest level that fits their ring.
    expect(alerts.filter((a) => SAMPANS.has(radarContact(a.trackIds[0]!)?.id ?? '')).every((a) => a.level === 'yellow')).toBe(true);
  });

  // The drone's link goes down two minutes after it lands and disarms, as planned (`drone-patrol.ts`): a
  // drone switched off on its pad has not lost its link, so no alert.
  it('(e) the drone patrol: every fix on scenario time, no battery alert, no link alert when it is switched off after landing', () => {
    expect(DAY + SORTIE.linkUpS * S).toBeGreaterThanOrEqual(DAY + WINDOWS[0]![0]);
    expect(DAY + (SORTIE.linkDownS + 70) * S).toBeLessThanOrEqual(DAY + WINDOWS[0]![1]);
    const fixes = applied.filter((o) => o.kind === 'drone.telemetry').sort((a, b) => a.observedAtMs - b.observedAtMs);
    // Twice a second from link-up to link-down, each at its scenario time: the time of the message that
    // carried it, not the moment the gateway received it.
    expect(fixes).toHaveLength((SORTIE.linkDownS - SORTIE.linkUpS) * 2);
    expect(fixes.map((o) => o.observedAtMs)).toEqual(fixes.map((_, i) => DAY + SORTIE.linkUpS * S + i * 500));
    expect(fixes.every((o) => o.receivedAtMs !== o.observedAtMs)).toBe(true);
    const droneAlerts = alerts.filter((a) => a.trackIds.includes(DRONE_TRACK as never));
    expect(droneAlerts).toEqual([]);
    expect(fixes.at(-1)).toMatchObject({ armed: false });
  });

  it('stores every alert with its audit trail in the database', async () => {
    const { rows } = await system.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts`);
    expect(rows[0]!.n).toBe(alerts.length);
    const raised = await system.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'alert.raised'`);
    expect(raised.rows[0]!.n).toBe(alerts.length);
  });

  it('gives the same alerts — ids, levels, times, evidence — when the same feed is replayed', () => {
    const key = (list: Alert[]) => list.map((a) => JSON.stringify(a)).sort();
    const first = replayInMemory();
    expect(key(replayInMemory())).toEqual(key(first));
    const strip = (list: Alert[]) => list.map((a) => `${a.id} ${a.level} ${a.raisedAtMs} ${a.ring}`).sort();
    expect(strip(alerts)).toEqual(strip(first));
  });
});
