import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from '@seawall/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, readMetric, sleep, tally } from './support/fault-feed';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { eventually, startTestSystem, type TestSystem } from './support/system';

// An edge site whose gateway (a process of its own) is SIGKILLed while the central broker is down, so that its
// backlog exists only in its on-disk queue, and started again while the sensors keep publishing to the site's
// broker. It reloads the queue, takes what the site's broker kept for it, and drains everything once the central
// broker is back: nothing lost; what it sends twice (unacknowledged at the kill) the server drops by observation id.

const FEED_SIZE = 3_000;
const PER_SECOND = 100;
const GATEWAY_ID = 'gw-fault-restart';

describe.skipIf(!mosquittoAvailable())('the edge gateway SIGKILLed and restarted while the central broker is down', () => {
  let central: OwnMosquitto;
  let edge: OwnMosquitto;
  let system: TestSystem;
  let gateway: GatewayProcess;
  let queueDir: string;
  const applied: Observation[] = [];

  beforeAll(async () => {
    central = await startOwnMosquitto();
    edge = await startOwnMosquitto();
    // The test system's own in-process gateway reads sensors on the central broker, where none publish: the
    // site's sensors are read only by the gateway process below.
    system = await startTestSystem({ centralMqttUrl: central.url, sensorMqttUrl: central.url, onObservation: (o) => applied.push(o) });
    queueDir = mkdtempSync(join(tmpdir(), 'seawall-gw-queue-'));
    gateway = await startGatewayProcess({ mqttUrl: central.url, sensorMqttUrl: edge.url, gatewayId: GATEWAY_ID, queueDir });
    await eventually(async () => ((await gateway.health())?.status === 'ok' ? true : undefined), 20_000, 'the gateway connected to both brokers');
    await gatewayListening(edge.url, central.url, GATEWAY_ID);
  }, 120_000);

  afterAll(async () => {
    await gateway?.dispose();
    await system?.stop();
    await central?.dispose();
    await edge?.dispose();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  it('loses nothing and applies nothing twice: the queue on disk survives the kill and drains on reconnect', async () => {
    const feed = buildAisFeed(FEED_SIZE, GATEWAY_ID);
    expect(feed.observations).toHaveLength(FEED_SIZE);
    const sensor = await publishSteadily(edge.url, `sensor-fault-gw-${process.pid}`, feed.messages, PER_SECOND);
    const backlog = async () => (await gateway.health())?.queue.messages ?? -1;

    await eventually(() => (sensor.published() >= feed.messages.length / 6 ? true : undefined), 30_000, 'the feed under way');
    await central.stop();
    await eventually(async () => ((await backlog()) >= 300 ? true : undefined), 20_000, 'a backlog on disk');
    const backlogAtKill = await backlog();
    await gateway.kill();
    const publishedAtKill = sensor.published();
    await sleep(2_000);
    const publishedWhileDead = sensor.published() - publishedAtKill;
    await gateway.start();
    const backlogAfterRestart = await backlog();
    await sleep(3_000);
    await central.start();

    await sensor.done;
    await eventually(async () => (applied.length >= FEED_SIZE && (await backlog()) === 0 ? true : undefined), 60_000, `${FEED_SIZE} observations applied`).catch(async (err: Error) => {
      const lost = tally(feed.observations.map((o) => o.obsId), applied.map((o) => o.obsId));
      throw new Error(`${err.message}: ${formatTally(lost)}; gateway ${JSON.stringify(await gateway.health())}\n--- gateway output ---\n${gateway.output()}`);
    });
    await sleep(1_000); // anything late would be a duplicate
    await system.server.flush();

    const observations = tally(feed.observations.map((o) => o.obsId), applied.map((o) => o.obsId));
    const atConsumer = await readMetric(system.server.url, 'seawall_server_observations_received_total');
    const repeats = await readMetric(system.server.url, 'seawall_server_observations_duplicate_total');
    const expectedKeys = new Set(historyRowsOf(applied).map((r) => historyKey(r.trackId, r.observedAtMs)));
    const { rows } = await system.server.db.query<{ track_id: string; ms: number }>(HISTORY_KEYS_SQL);
    const history = tally([...expectedKeys], rows.map((r) => historyKey(r.track_id, Math.round(r.ms))));
    console.log(
      `gateway SIGKILL with the central broker down (${system.backend}): observations ${formatTally(observations)}; ` +
        `arrived at the server's consumer ${atConsumer}, of which repeats dropped by observation id ${repeats}; ` +
        `history rows ${formatTally(history, ['expected', 'written'])}; backlog on disk at the kill ${backlogAtKill}, ` +
        `after the restart ${backlogAfterRestart}; sensor messages published while the gateway was dead ${publishedWhileDead}`,
    );

    expect(backlogAtKill).toBeGreaterThan(0);
    expect(backlogAfterRestart).toBeGreaterThanOrEqual(backlogAtKill);
    expect(publishedWhileDead).toBeGreaterThan(0);
    expect(observations).toEqual({ sent: FEED_SIZE, received: FEED_SIZE, lost: 0, duplicated: 0 });
    expect(atConsumer).toBe(FEED_SIZE + repeats);
    expect(history).toEqual({ sent: expectedKeys.size, received: expectedKeys.size, lost: 0, duplicated: 0 });
  }, 150_000);
});
