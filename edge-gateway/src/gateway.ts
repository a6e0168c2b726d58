import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSensorTopic, topics, type GatewayStatus, type SensorKind } from '@seawall/contracts';
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { createGatewayMetrics } from './metrics';
import type { SensorHandler } from './pipeline/sensor-handler';
import { toDeadLetter } from './publish/dead-letter';

export interface GatewayOptions {
  mqttUrl: string;
  gatewayId: string;
  handlers: Partial<Record<SensorKind, SensorHandler>>;
  log: Logger;
  /** Where /health and /metrics listen; port 0 picks a free port; omit for none. */
  http?: { host: string; port: number };
  /** Receipt time of a payload; injected so tests can replay. */
  now?: () => number;
}

export interface RunningGateway {
  httpUrl: string | null;
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * The edge gateway: reads `sensors/<kind>/<sensorId>`, publishes observations on `obs/v1/<kind>/<sensorId>`
 * and every rejected input on `dlq/<gatewayId>/<kind>`. Its liveness is retained on `status/gateway/<id>`,
 * with a last will that marks it offline.
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { gatewayId, log } = opts;
  const now = opts.now ?? Date.now;
  const metrics = createGatewayMetrics();
  const statusTopic = topics.gatewayStatus(gatewayId);
  const status = (state: GatewayStatus['state']): string => JSON.stringify({ gatewayId, state, atMs: now() });

  const client = mqtt.connect(opts.mqttUrl, {
    clientId: `seawall-gateway-${gatewayId}`,
    clean: false,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
    will: { topic: statusTopic, payload: Buffer.from(status('offline')), qos: 1, retain: true },
  });
  client.on('connect', () => {
    metrics.mqttConnected.set(1);
    log.info({ url: opts.mqttUrl }, 'gateway connected to MQTT broker');
    client.publish(statusTopic, status('online'), { qos: 1, retain: true });
    const kinds = Object.keys(opts.handlers) as SensorKind[];
    client.subscribe(
      kinds.map((k) => topics.sensorFilter(k)),
      { qos: 1 },
      (err) => {
        if (err) log.error({ err }, 'subscribe to sensor topics failed');
      },
    );
  });
  client.on('close', () => metrics.mqttConnected.set(0));
  client.on('error', (err) => log.warn({ err: err.message }, 'MQTT error'));

  client.on('message', (topic, payload) => {
    const receivedAtMs = now();
    const source = parseSensorTopic(topic);
    const handler = source && opts.handlers[source.kind];
    const kind = source?.kind ?? 'unknown';
    metrics.payloadsReceived.inc({ kind });
    let result;
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
      client.publish(topics.observation(kind as SensorKind, obs.sensorId), JSON.stringify(obs), { qos: 1 });
      metrics.observationsPublished.inc({ kind: obs.kind });
    }
    for (const reason of result.ignored ?? []) metrics.inputsIgnored.inc({ kind, reason });
    for (const rejection of result.rejections) {
      metrics.deadLetters.inc({ kind, reason: rejection.reason });
      const letter = toDeadLetter(gatewayId, source?.sensorId ?? '', kind, topic, rejection, receivedAtMs);
      client.publish(topics.deadLetter(gatewayId, source?.kind ?? 'unknown'), JSON.stringify(letter), { qos: 1 });
      log.debug({ topic, reason: rejection.reason }, 'dead-lettered input');
    }
  });

  let http: Server | undefined;
  let httpUrl: string | null = null;
  if (opts.http) {
    http = createServer((req, res) => {
      if (req.url === '/health') {
        const ok = client.connected;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'degraded', gatewayId, mqtt: { connected: ok } }));
      } else if (req.url === '/metrics') {
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
    connected: () => client.connected,
    async close() {
      if (client.connected) await client.publishAsync(statusTopic, status('offline'), { qos: 1, retain: true }).catch(() => undefined);
      await client.endAsync();
      if (http) await new Promise<void>((resolve) => http!.close(() => resolve()));
    },
  };
}
