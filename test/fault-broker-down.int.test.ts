import type { Observation } from '@seawall/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, readMetric, sleep, tally } from './support/fault-feed';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { eventually, startTestSystem, type TestSystem } from './support/system';

// An edge site: the sensors publish raw AIVDM to the site's own broker, the gateway forwards observations to the
// central broker, and the central broker is down for 30 s in the middle of a steady feed. The sensors never
// notice; the gateway holds what it decodes on disk and drains it on reconnect; the server applies every
// observation once and writes every history row once.

const FEED_SIZE = 4_000;
const PER_SECOND = 100;
const OUTAGE_MS = 30_000;
const GATEWAY_ID = 'gw-fault-broker';

describe.skipIf(!mosquittoAvailable())('the central MQTT broker down for 30 s during a steady feed', () => {
  let central: OwnMosquitto;
  let edge: OwnMosquitto;
  let system: TestSystem;
  const applied: Observation[] = [];

  beforeAll(async () => {
    central = await startOwnMosquitto();
    edge = await startOwnMosquitto();
    system = await startTestSystem({ centralMqttUrl: central.url, sensorMqttUrl: edge.url, gatewayId: GATEWAY_ID, onObservation: (o) => applied.push(o) });
    await eventually(() => (system.gateway.connected() ? true : undefined), 10_000, 'gateway connected');
    await gatewayListening(edge.url, central.url, GATEWAY_ID);
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await central?.dispose();
    await edge?.dispose();
  });

  it('delivers every observation once and writes every history row once', async () => {
    const feed = buildAisFeed(FEED_SIZE, GATEWAY_ID);
    expect(feed.observations).toHaveLength(FEED_SIZE);
    const sensor = await publishSteadily(edge.url, `sensor-fault-broker-${process.pid}`, feed.messages, PER_SECOND);

    await eventually(() => (sensor.published() >= feed.messages.length / 8 ? true : undefined), 30_000, 'the feed under way');
    await central.stop();
    const publishedAtStop = sensor.published();
    const outageEnds = Date.now() + OUTAGE_MS;
    let serverHealth: { status: string; mqtt: { connected: boolean } } | undefined;
    while (Date.now() < outageEnds) {
      await sleep(1_000);
      const res = await fetch(`${system.server.url}/health`);
      if (res.status === 503) serverHealth = await res.json();
    }
    const backlogAtReconnect = system.gateway.backlog();
    const publishedAtStart = sensor.published();
    const gatewayHealth = await fetch(`${system.gateway.httpUrl}/health`);
    await central.start();

    await sensor.done;
    await eventually(() => (applied.length >= FEED_SIZE && system.gateway.backlog() === 0 ? true : undefined), 60_000, `${FEED_SIZE} observations applied`);
    await sleep(500); // anything late would be a duplicate
    await system.server.flush();

    const observations = tally(feed.observations.map((o) => o.obsId), applied.map((o) => o.obsId));
    const expectedRows = historyRowsOf(applied);
    const expectedKeys = new Set(expectedRows.map((r) => historyKey(r.trackId, r.observedAtMs)));
    const { rows } = await system.server.db.query<{ track_id: string; ms: number }>(HISTORY_KEYS_SQL);
    const writtenKeys = rows.map((r) => historyKey(r.track_id, Math.round(r.ms)));
    const history = tally([...expectedKeys], writtenKeys);
    const redelivered = await readMetric(system.server.url, 'seawall_server_observations_duplicate_total');
    console.log(
      `broker down ${OUTAGE_MS / 1000} s (${system.backend}): observations ${formatTally(observations)}; ` +
        `history rows ${formatTally(history, ['expected', 'written'])}; sensor messages published while the broker was down: ${publishedAtStart - publishedAtStop}; ` +
        `gateway backlog at reconnect: ${backlogAtReconnect}; repeats dropped by the server: ${redelivered}`,
    );

    expect(publishedAtStart - publishedAtStop).toBeGreaterThan(0);
    expect(backlogAtReconnect).toBeGreaterThan(0);
    expect(gatewayHealth.status).toBe(503);
    expect(serverHealth).toMatchObject({ status: 'degraded', mqtt: { connected: false } });
    expect(observations).toEqual({ sent: FEED_SIZE, received: FEED_SIZE, lost: 0, duplicated: 0 });
    expect(expectedKeys.size).toBeGreaterThan(FEED_SIZE / 2);
    expect(history).toEqual({ sent: expectedKeys.size, received: expectedKeys.size, lost: 0, duplicated: 0 });
  }, 150_000);
});
