import { z } from 'zod';
import { EpochMs } from './ids';
import {
  AisPositionObservation,
  AisStaticObservation,
  DroneTelemetryObservation,
  RadarTargetObservation,
  UnitPositionObservation,
} from './observation';

/** Fields the gateway fills in; a JSON sensor does not send them. */
const GATEWAY_FIELDS = { obsId: true, sensorId: true, gatewayId: true, receivedAtMs: true, observedAtMs: true } as const;

function sensorReport<S extends z.ZodObject>(observation: S) {
  const nullable = Object.fromEntries(
    Object.entries(observation.shape)
      .filter(([, field]) => (field as z.ZodType).safeParse(null).success)
      .map(([key]) => [key, true]),
  );
  return observation
    .omit(GATEWAY_FIELDS)
    .partial(nullable as never)
    .extend({ observedAtMs: EpochMs.optional() })
    .strict();
}

/**
 * What a sensor that already speaks JSON publishes on `sensors/json/<sensorId>`: one report, or an array of
 * up to 1,000. A report is an `Observation` without the fields the gateway fills in (`obsId`, `sensorId`,
 * `gatewayId`, `receivedAtMs`); `observedAtMs` defaults to the time the gateway received it, and every
 * nullable field may be left out (it becomes null). Unknown fields are rejected. Example:
 * `{"kind":"radar.target","observedAtMs":1764201600000,"targetNumber":12,"lon":110.31,"lat":20.08,"status":"tracking"}`
 */
export const JsonSensorReport = z.discriminatedUnion('kind', [
  sensorReport(AisPositionObservation),
  sensorReport(AisStaticObservation),
  sensorReport(RadarTargetObservation),
  sensorReport(DroneTelemetryObservation),
  sensorReport(UnitPositionObservation),
]);
export type JsonSensorReport = z.infer<typeof JsonSensorReport>;

export const MAX_JSON_REPORTS_PER_MESSAGE = 1_000;
