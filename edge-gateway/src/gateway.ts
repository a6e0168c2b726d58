import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { parseSensorTopic, topics, type GatewayStatus, type SensorKind } from '@seawall/contracts';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { createGatewayMetrics } from './metrics';
import type { HandleResult, SensorHandler } from './pipeline/sensor-handler';
import { toDeadLetter } from './publish/dead-letter';
import { DiskQueue, type OverflowPolicy } from './publish/disk-queue';
import { ObservationBatcher } from './publish/observation-batcher';
import { Uplink } from './publish/uplink';
import { redactUrl } from './redact-url';

export interface GatewayOptions {
  /** The central broker observations, dead letters and status go to. */
  mqttUrl: string;
  /** The broker sensors publish raw data to; the central one when omitted. */
  sensorMqttUrl?: string;
  gatewayId: string;
  handlers: Partial<Record<SensorKind, SensorHandler>>;
  queue: { dir: string; maxBytes: number; overflow: OverflowPolicy };
  log: Logger;
  /** Where /health and /metrics listen; port 0 picks a free port; omit for none. */
  http?: { host: string; port: number };
  /** Receipt time of a payload; injected so tests can replay. */
  now?: () => number;
}

export interface RunningGateway {
  httpUrl: string | null;
  /** Connected to the central broker. */
  connected(): boolean;
  /** Messages waiting in the store-and-forward queue. */
  backlog(): number;
  close(): Promise<void>;
}

/**
 * The edge gateway: reads `sensors/<kind>/<sensorId>`, publishes observations on `obs/v1/<kind>/<sensorId>`
 * and every rejected input on `dlq/<gatewayId>/<kind>`, through an on-disk queue that holds them while the
 * central broker is unreachable. Its liveness is retained on `status/gateway/<id>`, with a last will that
 * marks it offline.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { gatewayId, log } = opts;
  const now = opts.now ?? Date.now;
  const metrics = createGatewayMetrics();
  const statusTopic = topics.gatewayStatus(gatewayId);
  const status = (state: GatewayStatus['state']): string => JSON.stringify({ gatewayId, state, atMs: now() });

  const queue = new DiskQueue(opts.queue.dir, {
    maxBytes: opts.queue.maxBytes,
    overflow: opts.queue.overflow,
    onDrop: (n) => {
      metrics.queueDropped.inc(n);
      log.warn({ dropped: n, policy: opts.queue.overflow }, 'store-and-forward queue full: messages dropped');
    },
  });
  if (queue.length > 0) log.info({ backlog: queue.length }, 'store-and-forward queue reloaded from disk');

  const central = mqtt.connect(opts.mqttUrl, {
    clientId: `seawall-gateway-${gatewayId}-out`,
    log: mqttLog,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
    // Pings on the keep-alive period alone: by default mqtt.js re-arms its ping timer for every acknowledgement.
    reschedulePings: false,
    will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
  });
  const uplink = new Uplink(central, queue);
  const holdCentralWrites = coalesceWrites(central);
  central.on('connect', () => {
    metrics.mqttConnected.set(1);
    log.info({ url: redactUrl(opts.mqttUrl), backlog: queue.length }, 'connected to the central broker');
    central.publish(statusTopic, status('online'), { qos: 1, retain: true });
  });
  central.on('close', () => metrics.mqttConnected.set(0));
  central.on('error', (err) => log.warn({ err: err.message }, 'central MQTT error'));

  // A persistent session on the sensor side: raw data that arrives while the gateway restarts waits for it.
  const sensors = mqtt.connect(opts.sensorMqttUrl ?? opts.mqttUrl, {
    clientId: `seawall-gateway-${gatewayId}-in`,
    log: mqttLog,
    clean: false,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
    reschedulePings: false,
  });
  const batcher = new ObservationBatcher();
  let drainScheduled = false;
  const drainBatches = (): void => {
    drainScheduled = false;
    if (batcher.empty) return;
    for (const m of batcher.drain()) uplink.send(m.topic, m.payload);
    queue.flush();
  };
  // At the end of each turn of input: the turn's observations go out as few messages and are on disk before
  // the sensor broker hears they were taken (its PUBACKs leave after this).
  const holdSensorWrites = coalesceWrites(sensors, drainBatches);
  const sensorTopics = new SensorTopics();
  let lastInputAtMs: number | null = null;
  sensors.on('connect', () => {
    const kinds = Object.keys(opts.handlers) as SensorKind[];
    sensors.subscribe(kinds.map((k) => topics.sensorFilter(k)), { qos: 1 }, (err) => {
      if (err) log.error({ err }, 'subscribe to sensor topics failed');
    });
  });
  sensors.on('error', (err) => log.warn({ err: err.message }, 'sensor MQTT error'));

  sensors.on('message', (topic, payload) => {
    // The PUBACK of this message and the observations it yields go out with the rest of this turn's.
    holdSensorWrites();
    holdCentralWrites();
    const receivedAtMs = now();
    lastInputAtMs = receivedAtMs;
    const source = sensorTopics.parse(topic);
    const handler = source && opts.handlers[source.kind];
    const kind = source?.kind ?? 'unknown';
    metrics.payloadsReceived.inc(kind);
    let result: HandleResult;
    try {
      result = handler
        ? handler.handle(source.sensorId, payload, receivedAtMs)
        : { observations: [], rejections: [{ reason: 'unsupported-topic', raw: payload }] };
    } catch (err) {
      // Handlers must not throw; if one does, the input is still accounted for and the stream goes on.
      log.error({ err, topic }, 'sensor handler threw');
      result = { observations: [], rejections: [{ reason: 'handler-error', detail: String(err), raw: payload }] };
    }
    for (const obs of result.observations) {
      batcher.add(topics.observation(kind as SensorKind, obs.sensorId), JSON.stringify(obs));
      metrics.observationsPublished.inc(obs.kind);
    }
    // Drained by the sensor connection's end of turn; this covers a turn whose writes could not be held.
    if (!batcher.empty && !drainScheduled) {
      drainScheduled = true;
      setImmediate(drainBatches);
    }
    if (result.ignored) for (const reason of result.ignored) metrics.inputsIgnored.inc(kind, reason);
    for (const rejection of result.rejections) {
      metrics.deadLetters.inc(kind, rejection.reason);
      const letter = toDeadLetter(gatewayId, source?.sensorId ?? '', kind, topic, rejection, receivedAtMs);
      uplink.send(topics.deadLetter(gatewayId, source?.kind ?? 'unknown'), JSON.stringify(letter));
      log.debug({ topic, reason: rejection.reason }, 'dead-lettered input');
    }
  });

  const health = async () => {
    const ok = central.connected && sensors.connected;
    const deadLetters: Record<string, number> = {};
    for (const v of (await metrics.deadLetters.counter.get()).values) {
      const reason = String(v.labels.reason);
      deadLetters[reason] = (deadLetters[reason] ?? 0) + v.value;
    }
    return {
      status: ok ? 'ok' : 'degraded',
      gatewayId,
      centralBroker: { connected: central.connected },
      sensorBroker: { connected: sensors.connected },
      queue: { messages: queue.length, bytes: queue.sizeBytes, maxBytes: opts.queue.maxBytes },
      // A site whose sensors went quiet shows here first: seconds since the last sensor payload (null: none yet).
      input: { lastAgeS: lastInputAtMs === null ? null : Math.max(0, now() - lastInputAtMs) / 1000, deadLetters },
    };
  };

  let http: Server | undefined;
  let httpUrl: string | null = null;
  if (opts.http) {
    http = createServer((req, res) => {
      if (req.url === '/health') {
        health().then(
          (report) => {
            res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
            res.end(JSON.stringify(report));
          },
          () => {
            res.writeHead(500).end();
          },
        );
      } else if (req.url === '/metrics') {
        metrics.queueDepth.set(queue.length);
        for (const [kind, handler] of Object.entries(opts.handlers)) {
          for (const [event, total] of Object.entries(handler.counters?.() ?? {})) metrics.decoderEvents.set({ kind, event }, total);
        }
        metrics.registry.metrics().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.registry.contentType });
            res.end(text);
          },
          () => {
            res.writeHead(500);
            res.end();
          },
        );
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"not-found"}');
      }
    });
    const { host, port } = opts.http;
    await new Promise<void>((resolve, reject) => {
      http!.once('error', reject);
      http!.listen(port, host, () => resolve());
    });
    httpUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${(http.address() as AddressInfo).port}`;
  }

  return {
    httpUrl,
    connected: () => central.connected,
    backlog: () => queue.length,
    async close() {
      await sensors.endAsync();
      drainBatches();
      if (central.connected) await central.publishAsync(statusTopic, status('offline'), { qos: 1, retain: true }).catch(() => undefined);
      await central.endAsync();
      queue.close();
      if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
    },
  };
}

/**
 * Sensor topics as parsed, by topic: a handful of sensors send all the messages, and splitting each topic again
 * showed in profiles. Bounded, since topics come from outside.
 */
class SensorTopics {
  private readonly parsed = new Map<string, ReturnType<typeof parseSensorTopic>>();

  parse(topic: string): ReturnType<typeof parseSensorTopic> {
    let source = this.parsed.get(topic);
    if (source === undefined) {
      source = parseSensorTopic(topic);
      if (this.parsed.size >= MAX_CACHED_TOPICS) this.parsed.clear();
      this.parsed.set(topic, source);
    }
    return source;
  }
}
const MAX_CACHED_TOPICS = 10_000;

/**
 * mqtt.js traces every packet through `debug` (formatting its arguments even when nobody listens, a few per cent
 * of the gateway's time); with DEBUG set, its own tracing as usual.
 */
const mqttLog = process.env.DEBUG ? undefined : () => undefined;

/**
 * Few writes and no delay on one MQTT connection. mqtt.js writes every packet on its own (each PUBACK, each
 * PUBLISH: a system call and a TCP segment each, a fifth of the gateway's time at 10,000 messages/s); the returned
 * function holds the connection's writes until the current event-loop turn ends and sends them as one, and is
 * also called for every packet received. Nagle's algorithm is off: the small packets that remain would otherwise
 * wait for the previous segment's acknowledgement, tens of milliseconds a hop, and the broker's in-flight window
 * with them (the deployment's Mosquitto sets `set_tcp_nodelay true` on its side).
 */
function coalesceWrites(client: mqtt.MqttClient, beforeRelease?: () => void): () => void {
  let held = false;
  const hold = (): void => {
    const stream = client.stream as Partial<Writable> | undefined;
    if (held || !stream || typeof stream.cork !== 'function' || stream.destroyed || stream.writableEnded) return;
    held = true;
    stream.cork();
    setImmediate(() => {
      held = false;
      beforeRelease?.();
      stream.uncork!();
    });
  };
  client.on('connect', () => (client.stream as Partial<Socket>).setNoDelay?.(true));
  client.on('packetreceive', hold);
  return hold;
}
