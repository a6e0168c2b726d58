/**
 * A standby's observation consumer until it leads (see leader-gate.ts): it takes nothing in and holds nothing.
 * The methods of `ObservationConsumer` (mqtt/observation-consumer.ts) that answer something.
 */
export const IDLE_CONSUMER = {
  connected: () => false,
  mark: () => 0,
  acknowledge: () => 0,
  held: () => 0,
  awaitingAck: () => false,
  pause: () => undefined,
  close: async () => undefined,
};
