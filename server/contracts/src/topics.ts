import type { SensorId } from './ids';

/** Kinds of raw sensor feed the edge gateway reads. */
export const SENSOR_KINDS = ['ais', 'radar', 'drone', 'json'] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

/**
 * Most observations an `obs/v1/...` message may carry. A message is one observation (a JSON object) or several
 * of one sensor's, in order (a JSON array): the gateway sends together what one turn of its input yielded, so a
 * busy receiver costs the broker and the server one message per batch, not per report.
 */
export const MAX_OBSERVATIONS_PER_MESSAGE = 256;

/**
 * MQTT topic names. Raw feeds come in on `sensors/<kind>/<sensorId>`; the gateway publishes
 * normalised observations on `obs/v1/<kind>/<sensorId>`, rejects on `dlq/<gatewayId>/<kind>`
 * and its own liveness, retained, on `status/gateway/<gatewayId>`.
 */
export const topics = {
  sensor: (kind: SensorKind, sensorId: SensorId | string) => `sensors/${kind}/${sensorId}`,
  sensorFilter: (kind: SensorKind) => `sensors/${kind}/+`,
  observation: (kind: SensorKind, sensorId: SensorId | string) => `obs/v1/${kind}/${sensorId}`,
  observationFilter: 'obs/v1/#',
  deadLetter: (gatewayId: string, kind: SensorKind | 'unknown') => `dlq/${gatewayId}/${kind}`,
  deadLetterFilter: 'dlq/#',
  gatewayStatus: (gatewayId: string) => `status/gateway/${gatewayId}`,
  gatewayStatusFilter: 'status/gateway/+',
} as const;

/** Splits `sensors/<kind>/<sensorId>`; null when the topic is not a sensor topic of a known kind. */
export function parseSensorTopic(topic: string): { kind: SensorKind; sensorId: string } | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'sensors') return null;
  const kind = parts[1] as SensorKind;
  if (!SENSOR_KINDS.includes(kind) || !parts[2]) return null;
  return { kind, sensorId: parts[2] };
}
