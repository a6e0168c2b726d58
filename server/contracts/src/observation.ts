import { z } from 'zod';
import { EpochMs, Latitude, Longitude, Mmsi } from './ids';

/** Fields every observation carries, whatever its sensor. */
const ObservationBase = z.object({
  /** Unique per observation; the gateway derives it from the raw bytes so a re-sent message keeps its id. */
  obsId: z.string().min(1).max(128),
  sensorId: z.string().min(1).max(64),
  gatewayId: z.string().min(1).max(64),
  /** When the sensor observed it (tag-block `c:` time, MAVLink time, or gateway receipt time). */
  observedAtMs: EpochMs,
  /** When the gateway received the raw payload. */
  receivedAtMs: EpochMs,
});

const nullableNumber = z.number().nullable();
const nullableText = z.string().max(256).nullable();

/** AIS position report: message types 1, 2, 3 (class A), 18, 19 (class B), 9 (SAR aircraft), 27. */
export const AisPositionObservation = ObservationBase.extend({
  kind: z.literal('ais.position'),
  mmsi: Mmsi,
  msgType: z.number().int().min(1).max(27),
  aisClass: z.enum(['A', 'B', 'SAR', 'BASE']),
  lon: Longitude,
  lat: Latitude,
  sogKn: nullableNumber,
  cogDeg: nullableNumber,
  headingDeg: nullableNumber,
  navStatus: z.number().int().min(0).max(15).nullable(),
  rotDegPerMin: nullableNumber,
  accuracy: z.boolean(),
});
export type AisPositionObservation = z.infer<typeof AisPositionObservation>;

/** AIS static and voyage data: message types 5, 19, 24. */
export const AisStaticObservation = ObservationBase.extend({
  kind: z.literal('ais.static'),
  mmsi: Mmsi,
  msgType: z.number().int().min(1).max(27),
  aisClass: z.enum(['A', 'B', 'SAR', 'BASE']),
  imo: z.number().int().nullable(),
  callsign: nullableText,
  shipName: nullableText,
  shipType: z.number().int().min(0).max(255).nullable(),
  toBowM: nullableNumber,
  toSternM: nullableNumber,
  toPortM: nullableNumber,
  toStarboardM: nullableNumber,
  destination: nullableText,
  /** ETA as `MM-DDTHH:MMZ` (AIS carries no year). */
  eta: nullableText,
  draughtM: nullableNumber,
});
export type AisStaticObservation = z.infer<typeof AisStaticObservation>;

/** A radar (ARPA) target from NMEA TTM/TLL, positioned by the gateway. */
export const RadarTargetObservation = ObservationBase.extend({
  kind: z.literal('radar.target'),
  targetNumber: z.number().int().min(0).max(999),
  lon: Longitude,
  lat: Latitude,
  sogKn: nullableNumber,
  cogDeg: nullableNumber,
  rangeM: nullableNumber,
  bearingDeg: nullableNumber,
  status: z.enum(['tracking', 'query', 'lost']),
  name: nullableText,
});
export type RadarTargetObservation = z.infer<typeof RadarTargetObservation>;

/** Drone telemetry merged from MAVLink messages. */
export const DroneTelemetryObservation = ObservationBase.extend({
  kind: z.literal('drone.telemetry'),
  systemId: z.number().int().min(0).max(255),
  lon: Longitude,
  lat: Latitude,
  altitudeM: nullableNumber,
  groundSpeedMs: nullableNumber,
  headingDeg: nullableNumber,
  batteryPct: z.number().min(0).max(100).nullable(),
  armed: z.boolean().nullable(),
  mode: nullableText,
  /** Height above the home position (MAVLink GLOBAL_POSITION_INT `relative_alt`); `altitudeM` is above MSL. */
  relativeAltitudeM: nullableNumber.optional(),
  /** Climb rate, positive up. */
  verticalSpeedMs: nullableNumber.optional(),
  /** MAVLink GPS_FIX_TYPE: 0 no GPS, 1 no fix, 2 2D, 3 3D, 4 DGPS, 5 RTK float, 6 RTK fixed, 7 static, 8 PPP. */
  gpsFixType: z.number().int().min(0).max(255).nullable().optional(),
  /** Satellites visible to the GPS. */
  satellites: z.number().int().min(0).max(255).nullable().optional(),
  /** Battery voltage. */
  voltageV: nullableNumber.optional(),
  /** MAVLink MAV_TYPE name without its prefix, e.g. `QUADROTOR`, `FIXED_WING`. */
  vehicleType: nullableText.optional(),
  /** MAVLink MAV_AUTOPILOT name without its prefix, e.g. `ARDUPILOTMEGA`, `PX4`. */
  autopilot: nullableText.optional(),
});
export type DroneTelemetryObservation = z.infer<typeof DroneTelemetryObservation>;

/** A patrol unit's own position report. */
export const UnitPositionObservation = ObservationBase.extend({
  kind: z.literal('unit.position'),
  unitId: z.string().min(1).max(64),
  lon: Longitude,
  lat: Latitude,
  sogKn: nullableNumber,
  cogDeg: nullableNumber,
});
export type UnitPositionObservation = z.infer<typeof UnitPositionObservation>;

export const Observation = z.discriminatedUnion('kind', [
  AisPositionObservation,
  AisStaticObservation,
  RadarTargetObservation,
  DroneTelemetryObservation,
  UnitPositionObservation,
]);
export type Observation = z.infer<typeof Observation>;
export type ObservationKind = Observation['kind'];

/** What the gateway publishes on `dlq/<gatewayId>/<kind>` for every payload it rejects. */
export const DeadLetter = z.object({
  gatewayId: z.string(),
  sensorId: z.string(),
  kind: z.string(),
  topic: z.string(),
  reason: z.string(),
  detail: z.string().max(1024).optional(),
  receivedAtMs: EpochMs,
  /** The raw payload as text when it was valid UTF-8 text, else null. */
  payload: z.string().nullable(),
  payloadBase64: z.string().nullable(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

export const GatewayStatus = z.object({
  gatewayId: z.string(),
  state: z.enum(['online', 'offline']),
  atMs: EpochMs,
  version: z.string().optional(),
});
export type GatewayStatus = z.infer<typeof GatewayStatus>;
