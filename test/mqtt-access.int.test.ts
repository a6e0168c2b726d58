import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { topics } from '@seawall/contracts';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_FILES, writeCredentials } from '../server/src/mqtt/credentials';
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/src/mqtt/embedded-broker';
import type { MqttIdentity } from '../server/src/mqtt/identities';
import { createServerMetrics } from '../server/src/metrics';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';

/** One identity list for both brokers, as in a deployment. */
const IDENTITIES: MqttIdentity[] = [
  { username: 'server-t', role: 'server' },
  { username: 'gw-t', role: 'gateway', gatewayId: 'gw-t' },
  { username: 'ais.rx-haikou', role: 'sensor', sensorKind: 'ais', sensorId: 'rx-haikou' },
  { username: 'ais.rx-sanya', role: 'sensor', sensorKind: 'ais', sensorId: 'rx-sanya' },
];

const dir = mkdtempSync(join(tmpdir(), 'seawall-mqtt-access-'));
let passwords: Record<string, string>;
beforeAll(async () => {
  passwords = await writeCredentials(IDENTITIES, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const clientId = (what: string) => `access-${what}-${process.pid}-${++seq}`;

function connect(url: string, username: string | undefined, opts: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId: clientId(username ?? 'anon'),
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...(username ? { username, password: passwords[username] } : {}),
    ...opts,
  });
}

/** Ends a client; one the broker has closed is only released (ending it gracefully would wait forever). */
function release(client: MqttClient): Promise<void> {
  if (client.connected) return client.endAsync();
  client.end(true);
  return Promise.resolve();
}

/** Resolves with the connection error; fails the test if the broker accepts the connection. */
async function refusal(url: string, opts: IClientOptions): Promise<Error> {
  try {
    const client = await mqtt.connectAsync(url, { clientId: clientId('refused'), reconnectPeriod: 0, connectTimeout: 5_000, ...opts });
    await client.endAsync();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the broker accepted the connection');
}

/** The QoS the broker granted per filter (128: refused; mqtt.js rejects then, with the SUBACK attached). */
async function grantedQos(client: MqttClient, filter: string): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filter, { qos: 1 })).map((g) => g.qos);
  } catch (err) {
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted;
    if (!granted) throw err;
    return granted;
  }
}

/** Collects what a client receives; `until` resolves when a message on `topic` with `payload` has arrived. */
function collect(client: MqttClient) {
  const got: { topic: string; payload: string }[] = [];
  const waiters: { topic: string; payload: string; resolve: () => void }[] = [];
  client.on('message', (topic, payload) => {
    got.push({ topic, payload: payload.toString() });
    for (const w of waiters) if (w.topic === topic && w.payload === payload.toString()) w.resolve();
  });
  return {
    got,
    until: (topic: string, payload: string) =>
      new Promise<void>((resolve, reject) => {
        if (got.some((m) => m.topic === topic && m.payload === payload)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${payload} on ${topic} within 10 s`)), 10_000);
        waiters.push({ topic, payload, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

interface BrokerUnderTest {
  url: string;
  /** The broker grants a denied subscription (Mosquitto's ACL file checks on delivery, not at SUBSCRIBE). */
  grantsDeniedSubscriptions: boolean;
  /**
   * The broker may close the connection of a client whose publish it denies, which MQTT 3.1.1 allows
   * [MQTT-3.3.5-2] and Mosquitto 2.0 does; the embedded broker acknowledges and drops instead.
   */
  mayDisconnectOnDeniedPublish: boolean;
}

/**
 * Waits until the broker has dealt with everything `client` sent so far: either it closes the connection
 * (its answer to a denied publish) or it acknowledges a QoS 1 publish on `allowedTopic` sent after them.
 */
function settle(client: MqttClient, allowedTopic: string): Promise<'dropped' | 'disconnected'> {
  if (!client.connected) return Promise.resolve('disconnected');
  const closed = new Promise<'disconnected'>((resolve) => client.once('close', () => resolve('disconnected')));
  const acked = client.publishAsync(allowedTopic, 'sync', { qos: 1 }).then(
    () => 'dropped' as const,
    () => new Promise<never>(() => {}),
  );
  return Promise.race([closed, acked]);
}

function accessSuite(getBroker: () => BrokerUnderTest) {
  it('refuses a client without credentials', async () => {
    const err = await refusal(getBroker().url, {});
    expect(err.message).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  });

  it('refuses a wrong password and an unknown username', async () => {
    const wrong = await refusal(getBroker().url, { username: 'ais.rx-haikou', password: passwords['ais.rx-sanya'] });
    expect(wrong.message).toMatch(/not authori[sz]ed|bad user ?name or password/i);
    const unknown = await refusal(getBroker().url, { username: 'ais.rx-nowhere', password: passwords['ais.rx-haikou'] });
    expect(unknown.message).toMatch(/not authori[sz]ed|bad user ?name or password/i);
  });

  it("never delivers a sensor's publish under another sensor's topic, and delivers its own", async () => {
    const { url, mayDisconnectOnDeniedPublish } = getBroker();
    const own = topics.sensor('ais', 'rx-haikou');
    const gateway = await connect(url, 'gw-t');
    let sensor = await connect(url, 'ais.rx-haikou');
    try {
      const inbox = collect(gateway);
      await gateway.subscribeAsync('sensors/#', { qos: 1 });
      const forged = `forged-${seq}`;
      const marker = `own-${seq}`;
      sensor.publish(topics.sensor('ais', 'rx-sanya'), forged, { qos: 0, retain: true });
      sensor.publish(topics.sensor('ais', 'rx-sanya'), forged, { qos: 1 });
      const outcome = await settle(sensor, own);
      if (!mayDisconnectOnDeniedPublish) expect(outcome).toBe('dropped');
      if (outcome === 'disconnected') {
        await release(sensor);
        sensor = await connect(url, 'ais.rx-haikou');
      }
      await sensor.publishAsync(own, marker, { qos: 1 });
      // Had the broker routed the forged messages, they would have reached the gateway before the marker: same
      // publisher (or its next connection, opened after the broker closed the first), same subscriber.
      await inbox.until(own, marker);
      expect(inbox.got.filter((m) => m.payload !== 'sync')).toEqual([{ topic: own, payload: marker }]);
      // Not retained either: a new subscriber gets nothing on the forged topic.
      const late = await connect(url, 'gw-t');
      const lateInbox = collect(late);
      await late.subscribeAsync(topics.sensor('ais', 'rx-sanya'), { qos: 1 });
      await late.publishAsync(topics.observation('ais', 'rx-sanya'), 'sync', { qos: 1 });
      expect(lateInbox.got).toEqual([]);
      await late.endAsync();
    } finally {
      await Promise.all([gateway, sensor].map(release));
    }
  });

  it('keeps sensors off observations and statuses, and a gateway off another gateway\'s status', async () => {
    const { url, grantsDeniedSubscriptions, mayDisconnectOnDeniedPublish } = getBroker();
    const server = await connect(url, 'server-t');
    const gateway = await connect(url, 'gw-t');
    const forgingGateway = await connect(url, 'gw-t');
    const forger = await connect(url, 'ais.rx-haikou');
    const reader = await connect(url, 'ais.rx-sanya');
    try {
      const serverInbox = collect(server);
      const readerInbox = collect(reader);
      await server.subscribeAsync(['obs/v1/#', 'status/#'], { qos: 1 });

      const granted = await grantedQos(reader, 'obs/v1/#');
      if (!grantsDeniedSubscriptions) expect(granted).toEqual([128]);

      forger.publish(topics.observation('ais', 'rx-haikou'), 'forged-observation', { qos: 0 });
      forger.publish(topics.gatewayStatus('gw-t'), 'forged-status', { qos: 0, retain: true });
      forgingGateway.publish(topics.gatewayStatus('gw-other'), 'forged-status', { qos: 0, retain: true });
      const outcomes = await Promise.all([settle(forger, topics.sensor('ais', 'rx-haikou')), settle(forgingGateway, topics.deadLetter('gw-t', 'ais'))]);
      if (!mayDisconnectOnDeniedPublish) expect(outcomes).toEqual(['dropped', 'dropped']);

      const real = `real-${seq}`;
      await gateway.publishAsync(topics.observation('ais', 'rx-haikou'), real, { qos: 1 });
      await serverInbox.until(topics.observation('ais', 'rx-haikou'), real);
      // A round trip on the reader's connection after the broker fanned `real` out: had the reader been
      // subscribed, `real` would have been written to its socket before this acknowledgement.
      await reader.publishAsync(topics.sensor('ais', 'rx-sanya'), 'sync', { qos: 1 });
      expect(serverInbox.got.map((m) => m.payload)).toEqual([real]);
      expect(readerInbox.got).toEqual([]);
    } finally {
      await Promise.all([server, gateway, forgingGateway, forger, reader].map(release));
    }
  });
}

describe('MQTT access control on the embedded broker (identity file, MQTT_USERS_PATH)', () => {
  let broker: EmbeddedBroker;
  const metrics = createServerMetrics();
  const logs: { msg: string; reason?: string; topic?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });

  beforeAll(async () => {
    broker = await startEmbeddedBroker('127.0.0.1', 0, pino({ level: 'info' }, sink), {
      usersPath: join(dir, CREDENTIAL_FILES.users),
      refused: metrics.mqttRefused,
    });
  });
  afterAll(async () => {
    await broker?.close();
  });

  accessSuite(() => ({ url: broker.url, grantsDeniedSubscriptions: false, mayDisconnectOnDeniedPublish: false }));

  it('counts every refusal by reason and logs a refused publish once per client and topic', async () => {
    const count = async (reason: string) => (await metrics.mqttRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
    const before = { publish: await count('publish-denied'), anonymous: await count('anonymous') };
    const logged = () => logs.filter((l) => l.reason === 'publish-denied' && l.topic === 'sensors/ais/rx-yangpu').length;
    const loggedBefore = logged();

    await refusal(broker.url, {});
    const sensor = await connect(broker.url, 'ais.rx-haikou');
    // QoS 1: acknowledged (MQTT 3.1.1 cannot say no), dropped, and the connection stays, as with Mosquitto.
    for (let i = 0; i < 5; i++) await sensor.publishAsync('sensors/ais/rx-yangpu', `x${i}`, { qos: 1 });
    expect(sensor.connected).toBe(true);
    await sensor.endAsync();

    expect(await count('publish-denied')).toBe(before.publish + 5);
    expect(await count('anonymous')).toBe(before.anonymous + 1);
    expect(logged()).toBe(loggedBefore + 1);
  });

  it("refuses a connection whose last will is on a topic the identity may not publish to", async () => {
    const err = await refusal(broker.url, {
      username: 'ais.rx-haikou',
      password: passwords['ais.rx-haikou'],
      will: { topic: topics.gatewayStatus('gw-t'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    expect(err.message).toMatch(/not authori[sz]ed/i);
    // The gateway's own will on its own status topic is fine.
    const gateway = await connect(broker.url, 'gw-t', {
      will: { topic: topics.gatewayStatus('gw-t'), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    await gateway.endAsync();
  });

  it("lets the server's own in-process client read observations with a credential that exists only in memory", async () => {
    expect(broker.ownUrl).not.toBe(broker.url);
    const own = await mqtt.connectAsync(broker.ownUrl, { clientId: clientId('own'), reconnectPeriod: 0 });
    try {
      expect(await grantedQos(own, topics.observationFilter)).toEqual([1]);
      expect(await grantedQos(own, 'sensors/#')).toEqual([128]);
    } finally {
      await own.endAsync();
    }
  });

  it('without an identity file stays open, and says so in the log', async () => {
    const warnings: string[] = [];
    const open = await startEmbeddedBroker(
      '127.0.0.1',
      0,
      pino({ level: 'warn' }, new Writable({ write: (c: Buffer, _e, done) => (warnings.push(c.toString()), done()) })),
    );
    try {
      const anon = await mqtt.connectAsync(open.url, { clientId: clientId('open'), reconnectPeriod: 0 });
      await anon.endAsync();
      expect(warnings.join('')).toMatch(/anonymous/);
    } finally {
      await open.close();
    }
  });
});

describe.skipIf(!mosquittoAvailable())('MQTT access control on Mosquitto (password file and ACL from the same identity list)', () => {
  let mosquitto: OwnMosquitto;
  beforeAll(async () => {
    mosquitto = await startOwnMosquitto({
      extraConfig: [
        'allow_anonymous false',
        `password_file ${join(dir, CREDENTIAL_FILES.mosquittoPasswd)}`,
        `acl_file ${join(dir, CREDENTIAL_FILES.mosquittoAcl)}`,
      ],
    });
  });
  afterAll(async () => {
    await mosquitto?.dispose();
  });

  accessSuite(() => ({ url: mosquitto.url, grantsDeniedSubscriptions: true, mayDisconnectOnDeniedPublish: true }));
});
