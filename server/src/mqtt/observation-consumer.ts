import { topics, type Observation } from '@seawall/contracts';
import type { Logger } from 'pino';
import { AckLedger } from '../ingest/ack-ledger';
import { parseObservations } from '../ingest/parse-observation';
import type { ServerMetrics } from '../metrics';
import { AckingSubscriber } from './acking-subscriber';

export interface ObservationConsumer {
  connected(): boolean;
  /** A mark of everything received so far (see `acknowledge`). */
  mark(): number;
  /** Acknowledges to the broker every message received before `mark`; returns how many. */
  acknowledge(mark: number): number;
  /** Messages received and not yet acknowledged. */
  held(): number;
  /** True while an observation with this id waits for its acknowledgement (it would come again after a crash). */
  awaitingAck(obsId: string): boolean;
  /** Stops taking messages in: what comes after stays with the broker's session. */
  pause(): void;
  close(): Promise<void>;
}

/**
 * Subscribes to `obs/v1/#` with a persistent session and hands every valid observation to `onObservation` (a
 * message holds one or a batch, see parse-observation.ts).
 * Nothing is acknowledged here: the caller acknowledges once what the messages changed is written
 * (ack-after-commit.ts), so the broker still holds whatever a crash would lose. Invalid messages are counted
 * by reason and logged; nothing that arrives can throw out of the handler.
 */
export function consumeObservations(
  url: string,
  clientId: string,
  onObservation: (obs: Observation) => void,
  metrics: ServerMetrics,
  log: Logger,
  opts: { afterMessage?: () => void } = {},
): ObservationConsumer {
  const ledger = new AckLedger();
  const subscriber = new AckingSubscriber({
    url,
    clientId,
    filter: topics.observationFilter,
    log,
    onConnected: () => metrics.mqttConnected.set(1),
    onConnectionLost: () => {
      metrics.mqttConnected.set(0);
      ledger.clear();
      metrics.acksHeld.set(0);
    },
    onMessage(topic, payload, delivery) {
      const results = parseObservations(payload);
      if (delivery) ledger.add(delivery.messageId, results.flatMap((r) => (r.ok ? [r.value.obsId] : [])));
      opts.afterMessage?.();
      for (const parsed of results) {
        if (!parsed.ok) {
          metrics.observationsRejected.inc({ reason: parsed.reason });
          log.warn({ topic, reason: parsed.reason, detail: parsed.detail }, 'rejected observation');
          continue;
        }
        try {
          onObservation(parsed.value);
          metrics.observationsReceived.inc({ kind: parsed.value.kind });
        } catch (err) {
          metrics.observationsRejected.inc({ reason: 'handler-error' });
          log.error({ err, topic }, 'observation handler failed');
        }
      }
    },
  });
  return {
    connected: () => subscriber.connected(),
    mark: () => ledger.mark(),
    acknowledge(mark) {
      const ids = ledger.take(mark);
      subscriber.acknowledge(ids, subscriber.connectionNumber);
      metrics.acksHeld.set(ledger.held);
      return ids.length;
    },
    held: () => ledger.held,
    awaitingAck: (obsId) => ledger.holds(obsId),
    pause: () => subscriber.pause(),
    close: () => subscriber.close(),
  };
}
