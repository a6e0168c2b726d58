import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics on a registry of its own. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'seawall_gateway_' });
  return {
    registry,
    payloadsReceived: new Counter({
      name: 'seawall_gateway_payloads_received_total',
      help: 'Raw MQTT payloads received from sensors, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    observationsPublished: new Counter({
      name: 'seawall_gateway_observations_published_total',
      help: 'Observations published on obs/v1, by observation kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'seawall_gateway_dead_letters_total',
      help: 'Rejected inputs sent to the dead-letter topic, by sensor kind and reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    inputsIgnored: new Counter({
      name: 'seawall_gateway_inputs_ignored_total',
      help: 'Valid inputs that carried nothing to publish (e.g. a position report without a position), by reason',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    decoderEvents: new Gauge({
      name: 'seawall_gateway_decoder_events',
      help: 'Running totals of decoder events no single input reports (e.g. AIS fragments that timed out), by kind and event',
      labelNames: ['kind', 'event'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'seawall_gateway_queue_messages',
      help: 'Messages in the store-and-forward queue not yet acknowledged by the central broker',
      registers: [registry],
    }),
    queueDropped: new Counter({
      name: 'seawall_gateway_queue_dropped_total',
      help: 'Messages dropped because the store-and-forward queue reached its bound',
      registers: [registry],
    }),
    mqttConnected: new Gauge({
      name: 'seawall_gateway_mqtt_connected',
      help: '1 while connected to the MQTT broker',
      registers: [registry],
    }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
