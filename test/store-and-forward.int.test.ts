import type { Observation } from '@seawall/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAisHandler } from '../edge-gateway/src/pipeline/ais-handler';
import { scenarioMessages } from '../edge-gateway/src/scenario/hainan-scenario';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { eventually, startTestSystem, type TestSystem } from './support/system';

const FEED_SIZE = 5_000;
const GATEWAY_ID = 'gw-store-forward';

/** The first messages of the Hainan scenario that yield exactly FEED_SIZE observations, and those observations' ids per sensor. */
function buildFeed() {
  const start = Date.UTC(2026, 0, 15, 0, 0, 0);
  const all = scenarioMessages(start, start + 12 * 3600_000, { kinds: ['ais'] });
  const decode = createAisHandler(GATEWAY_ID);
  const messages: typeof all = [];
  const expected = new Map<string, string[]>();
  let count = 0;
  for (const m of all) {
    const { observations } = decode.handle(m.topic.split('/')[2]!, Buffer.from(m.payload), 0);
    if (count + observations.length > FEED_SIZE) break;
    messages.push(m);
    for (const o of observations) {
      if (!expected.has(o.sensorId)) expected.set(o.sensorId, []);
      expected.get(o.sensorId)!.push(o.obsId);
    }
    count += observations.length;
  }
  return { messages, expected, count };
}

describe.skipIf(!mosquittoAvailable())('store and forward: the central broker goes down in the middle of a feed', () => {
  let central: OwnMosquitto;
  let edge: OwnMosquitto;
  let system: TestSystem;
  const received = new Map<string, string[]>();

  beforeAll(async () => {
    central = await startOwnMosquitto();
    edge = await startOwnMosquitto();
    system = await startTestSystem({
      centralMqttUrl: central.url,
      sensorMqttUrl: edge.url,
      gatewayId: GATEWAY_ID,
      onObservation: (o: Observation) => {
        if (!received.has(o.sensorId)) received.set(o.sensorId, []);
        received.get(o.sensorId)!.push(o.obsId);
      },
    });
    await eventually(() => (system.gateway.connected() ? true : undefined), 10_000, 'gateway connected');
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await central?.dispose();
    await edge?.dispose();
  });

  it('delivers every observation to the server exactly once, in order per sensor', async () => {
    const feed = buildFeed();
    expect(feed.count).toBe(FEED_SIZE);
    const sensor = await mqtt.connectAsync(edge.url, { clientId: `sensor-sf-${process.pid}` });
    let backlogWhileDown = 0;
    try {
      for (let i = 0; i < feed.messages.length; i++) {
        const m = feed.messages[i]!;
        await sensor.publishAsync(m.topic, m.payload, { qos: 1 });
        if (i === Math.floor(feed.messages.length / 3)) {
          await central.stop();
        }
        if (i === Math.floor(feed.messages.length / 2)) {
          await eventually(() => (system.gateway.backlog() > 0 ? true : undefined), 10_000, 'a backlog while the broker is down');
          backlogWhileDown = system.gateway.backlog();
          await central.start();
        }
        if (i % 200 === 0) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await sensor.endAsync();
    }
    const total = () => [...received.values()].reduce((n, ids) => n + ids.length, 0);
    await eventually(() => (total() >= FEED_SIZE && system.gateway.backlog() === 0 ? true : undefined), 60_000, `${FEED_SIZE} observations at the server`);
    await new Promise((r) => setTimeout(r, 500)); // anything late would be a duplicate

    const got = total();
    const unique = new Set([...received.values()].flat()).size;
    console.log(`store-and-forward: sent ${FEED_SIZE}, received ${got}, lost ${FEED_SIZE - unique}, duplicated ${got - unique}; backlog while the broker was down: ${backlogWhileDown}`);
    expect(backlogWhileDown).toBeGreaterThan(0);
    expect(got).toBe(FEED_SIZE);
    expect(unique).toBe(FEED_SIZE);
    for (const [sensorId, ids] of feed.expected) expect(received.get(sensorId), sensorId).toEqual(ids);
  });
});
