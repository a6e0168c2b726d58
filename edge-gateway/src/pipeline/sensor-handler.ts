import type { Observation } from '@seawall/contracts';

/** Why one input was turned away, with the raw bytes it came in. */
export interface Rejection {
  reason: string;
  detail?: string;
  raw: string | Uint8Array;
}

export interface HandleResult {
  observations: Observation[];
  /** Bad input: each goes to the dead-letter topic. */
  rejections: Rejection[];
  /** Valid input that carries nothing to publish (e.g. a position report without a position): counted only. */
  ignored?: string[];
}

/** Turns one raw MQTT payload from one sensor into observations. Must not throw. */
export interface SensorHandler {
  handle(sensorId: string, payload: Uint8Array, receivedAtMs: number): HandleResult;
  /** Running totals of events inside the decoder that no single input reports (e.g. fragments timed out). */
  counters?(): Record<string, number>;
}
