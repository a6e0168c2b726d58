import { DroneTelemetryObservation } from '@seawall/contracts';
import type { DroneFix } from '../decoders/mavlink';
import { ok, reject, type Result } from '../decoders/result';
import { hashObservationId } from './obs-id';

/** Who produced the observation, and when the gateway received it. */
export interface DroneObservationContext {
  sensorId: string;
  gatewayId: string;
  receivedAtMs: number;
}

export type DroneNormalizeRejectReason = 'bad-position' | 'invalid-observation';

/**
 * The `drone.telemetry` observation of one fix. `observedAtMs` is the autopilot's time of the fix when the
 * decoder could put it on Unix time (from the vehicle's SYSTEM_TIME), else the receipt time (the contract
 * has no field to tell which; `seawall_gateway_decoder_events{kind="drone",event="fixes-receipt-time"}`
 * counts the latter). The id hashes sensor, system id and the position frame's bytes (latin1), which
 * include the frame's sequence number and `time_boot_ms`.
 */
export function toDroneObservation(
  fix: DroneFix,
  context: DroneObservationContext,
): Result<DroneTelemetryObservation, DroneNormalizeRejectReason> {
  if (!(Math.abs(fix.lon) <= 180 && Math.abs(fix.lat) <= 90)) return reject('bad-position', `lon ${fix.lon}, lat ${fix.lat}`);
  const parsed = DroneTelemetryObservation.safeParse({
    kind: 'drone.telemetry',
    obsId: hashObservationId([context.sensorId, String(fix.systemId), fix.raw.toString('latin1')]),
    sensorId: context.sensorId,
    gatewayId: context.gatewayId,
    observedAtMs: fix.observedAtMs ?? context.receivedAtMs,
    receivedAtMs: context.receivedAtMs,
    systemId: fix.systemId,
    lon: fix.lon,
    lat: fix.lat,
    altitudeM: fix.altitudeM,
    relativeAltitudeM: fix.relativeAltitudeM,
    groundSpeedMs: fix.groundSpeedMs,
    verticalSpeedMs: fix.verticalSpeedMs,
    headingDeg: fix.headingDeg,
    batteryPct: fix.batteryPct,
    voltageV: fix.voltageV,
    armed: fix.armed,
    mode: fix.mode,
    vehicleType: fix.vehicleType,
    autopilot: fix.autopilot,
    gpsFixType: fix.gpsFixType,
    satellites: fix.satellites,
  });
  if (parsed.success) return ok(parsed.data);
  const first = parsed.error.issues[0];
  return reject('invalid-observation', first ? `${first.path.map(String).join('.')}: ${first.message}` : undefined);
}
