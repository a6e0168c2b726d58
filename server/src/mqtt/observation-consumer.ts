import { topics } from '@seawall/contracts';
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
    clean: false, // a persistent session: the broker queues QoS 1 observations while we restart
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
  });
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
