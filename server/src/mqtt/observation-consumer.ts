import { topics } from '@seawall/contracts';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { parseObservation } from '../ingest/parse-observation';
import type { ServerMetrics } from '../metrics';
import type { Observation } from '@seawall/contracts';

export interface ObservationConsumer {
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * Subscribes to `obs/v1/#` and hands every valid observation to `onObservation`. Invalid messages are
 * counted by reason and logged; nothing that arrives can throw out of the message handler.
 */
export function consumeObservations(
  url: string,
  clientId: string,
  onObservation: (obs: Observation) => void,
  metrics: ServerMetrics,
  log: Logger,
): ObservationConsumer {
  const client: MqttClient = mqtt.connect(url, {
    clientId,
    // mqtt.js traces every packet through `debug`, arguments formatted even when nobody listens; DEBUG set: as usual.
    log: process.env.DEBUG ? undefined : () => undefined,
    clean: false, // a persistent session: the broker queues QoS 1 observations while we restart
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
  });
  coalesceWrites(client);
  client.on('connect', () => {
    metrics.mqttConnected.set(1);
    log.info({ url }, 'connected to MQTT broker');
    client.subscribe(topics.observationFilter, { qos: 1 }, (err) => {
      if (err) log.error({ err }, 'subscribe to observations failed');
    });
  });
  client.on('close', () => metrics.mqttConnected.set(0));
  client.on('error', (err) => log.warn({ err: err.message }, 'MQTT error'));
  client.on('message', (topic, payload) => {
    const parsed = parseObservation(payload);
    if (!parsed.ok) {
      metrics.observationsRejected.inc({ reason: parsed.reason });
      log.warn({ topic, reason: parsed.reason, detail: parsed.detail }, 'rejected observation');
      return;
    }
    try {
      onObservation(parsed.value);
      metrics.observationsReceived.inc({ kind: parsed.value.kind });
    } catch (err) {
      metrics.observationsRejected.inc({ reason: 'handler-error' });
      log.error({ err, topic }, 'observation handler failed');
    }
  });
  return {
    connected: () => client.connected,
    close: () => client.endAsync(),
  };
}

/**
 * Few writes and no delay on the connection. mqtt.js writes every PUBACK on its own (a system call and a TCP
 * segment each, a tenth of the server's time at 10,000 observations/s): from each packet received to the end of
 * the event-loop turn the connection's writes are held and then sent as one. Nagle's algorithm is off, or the
 * acknowledgements left would wait for the previous segment's, and the broker's in-flight window with them (the
 * deployment's Mosquitto sets `set_tcp_nodelay true` on its side).
 */
function coalesceWrites(client: MqttClient): void {
  let held = false;
  client.on('connect', () => (client.stream as Partial<Socket>).setNoDelay?.(true));
  client.on('packetreceive', () => {
    const stream = client.stream as Partial<Writable> | undefined;
    if (held || !stream || typeof stream.cork !== 'function' || stream.destroyed || stream.writableEnded) return;
    held = true;
    stream.cork();
    setImmediate(() => {
      held = false;
      stream.uncork!();
    });
  });
}
