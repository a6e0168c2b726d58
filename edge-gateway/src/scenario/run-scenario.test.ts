import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedPayload } from './feed-line';
import { scenarioMessages } from './hainan-scenario';
import { runScenario, type ScenarioLogger } from './run-scenario';

const silent: ScenarioLogger = { info() {}, warn() {}, error() {} };

describe('runScenario on an in-process broker', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let subscriber: MqttClient;

  beforeEach(async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    subscriber = await connectAsync(url);
    await subscriber.subscribeAsync('sensors/#', { qos: 0 });
  });

  afterEach(async () => {
    await subscriber.endAsync();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('publishes the scenario live, tick by tick, from the start time it was given: text and binary', async () => {
    // During the first drone sortie, so that every kind of sensor is on the air.
    const startMs = Date.UTC(2026, 0, 15, 1, 10, 0);
    const received: { topic: string; payload: Buffer }[] = [];
    subscriber.on('message', (topic, payload) => received.push({ topic, payload: Buffer.from(payload) }));

    const runner = runScenario({ mqttUrl: url, log: silent, tickMs: 100, startMs });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    await runner.stop();
    await runner.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const expected = scenarioMessages(startMs, startMs + 10_000, { startMs }).map((m) => ({ topic: m.topic, payload: feedPayload(m) }));
    expect(received.length).toBeGreaterThanOrEqual(scenarioMessages(startMs, startMs + 3_000, { startMs }).length);
    expect(received).toEqual(expected.slice(0, received.length));
    expect(received.some((m) => /!AIVDM,2,1,\d,[AB],5/.test(m.payload.toString()))).toBe(true);
    expect(new Set(received.map((m) => m.topic.split('/')[1]))).toEqual(new Set(['ais', 'radar', 'json', 'drone']));
    expect(received.find((m) => m.topic === 'sensors/drone/uav-sanya')!.payload[0]).toBe(0xfd);
  });
});
