import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * A labelled counter counted per message: the counts are kept in plain numbers and handed to prom-client when the
 * metrics are read, since prom-client's `inc` with labels hashes the labels on every call (a few per cent of the
 * gateway at tens of thousands of messages a second).
 */
export class TalliedCounter<L extends string> {
  private readonly pending = new Map<string, { labels: Record<L, string>; n: number }>();

  readonly counter: Counter<L>;

  constructor(
    private readonly labelNames: readonly [L] | readonly [L, L],
    config: { name: string; help: string; registers: Registry[] },
  ) {
    const pending = this.pending;
    this.counter = new Counter({
      ...config,
      labelNames,
      collect() {
        for (const entry of pending.values()) {
          if (entry.n === 0) continue;
          this.inc(entry.labels, entry.n);
          entry.n = 0;
        }
      },
    });
  }

  /** Counts one under the label values, in the order of the label names. */
  inc(first: string, second = ''): void {
    const key = second === '' ? first : `${first}\n${second}`;
    const entry = this.pending.get(key);
    if (entry) entry.n++;
    else this.pending.set(key, { labels: this.labelsOf(first, second), n: 1 });
  }

  private labelsOf(first: string, second: string): Record<L, string> {
    const [a, b] = this.labelNames;
    return (b === undefined ? { [a]: first } : { [a]: first, [b]: second }) as Record<L, string>;
  }
}

/** The gateway's Prometheus metrics on a registry of its own. */
export function createGatewayMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'seawall_gateway_' });
  return {
    registry,
    /** By kind. */
    payloadsReceived: new TalliedCounter(['kind'], {
      name: 'seawall_gateway_payloads_received_total',
      help: 'Raw MQTT payloads received from sensors, by kind',
      registers: [registry],
    }),
    /** By observation kind. */
    observationsPublished: new TalliedCounter(['kind'], {
      name: 'seawall_gateway_observations_published_total',
      help: 'Observations published on obs/v1, by observation kind',
      registers: [registry],
    }),
    /** By kind and reason. */
    deadLetters: new TalliedCounter(['kind', 'reason'], {
      name: 'seawall_gateway_dead_letters_total',
      help: 'Rejected inputs sent to the dead-letter topic, by sensor kind and reason',
      registers: [registry],
    }),
    /** By kind and reason. */
    inputsIgnored: new TalliedCounter(['kind', 'reason'], {
      name: 'seawall_gateway_inputs_ignored_total',
      help: 'Valid inputs that carried nothing to publish (e.g. a position report without a position), by reason',
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
