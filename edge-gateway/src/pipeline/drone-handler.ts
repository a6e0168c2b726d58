import { MavlinkTelemetryDecoder } from '../decoders/mavlink';
import { toDroneObservation } from '../normalize/drone-observation';
import { SensorDecoders } from './sensor-decoders';
import type { HandleResult, SensorHandler } from './sensor-handler';

/** A telemetry link carries a few kB/s; more than this in one MQTT message is not a drone's output. */
const MAX_DRONE_PAYLOAD_BYTES = 256 * 1024;

/**
 * Drones: raw MAVLink v1/v2 frames on `sensors/drone/<sensorId>`, any number per MQTT message and
 * possibly split across messages, so one stream decoder per sensor. One `drone.telemetry` observation per
 * position message, merged with that system's latest heartbeat, battery and GPS state, and stamped with
 * the autopilot's time of the fix once the vehicle has sent a SYSTEM_TIME with a Unix time (per sensor,
 * system and component; dropped on a reboot until the next one), else with the receipt time. `counters()`
 * totals, over all sensors: `frames-v1`, `frames-v2`, `unknown-frames`, `crc-errors`, `junk-bytes`
 * (bytes that belong to no frame, including those of frames that failed their checksum),
 * `fixes-receipt-time` (observations stamped with the receipt time for want of a SYSTEM_TIME) and
 * `autopilot-reboots` (`time_boot_ms` starting again).
 */
export function createDroneHandler(gatewayId: string): SensorHandler {
  const decoders = new SensorDecoders(
    () => new MavlinkTelemetryDecoder(),
    (d) => {
      const s = d.stats();
      return {
        'frames-v1': s.v1Frames,
        'frames-v2': s.v2Frames,
        'unknown-frames': s.unknownFrames,
        'crc-errors': s.crcErrors,
        'junk-bytes': s.junkBytes,
        'fixes-receipt-time': s.fixesOnReceiptTime,
        'autopilot-reboots': s.reboots,
      };
    },
    (d) => d.discardPending(),
  );
  return {
    counters: () => decoders.totals(),
    handle(sensorId, payload, receivedAtMs): HandleResult {
      if (payload.byteLength === 0) return { observations: [], rejections: [{ reason: 'empty-payload', raw: payload }] };
      if (payload.byteLength > MAX_DRONE_PAYLOAD_BYTES) {
        // The stream now has a gap: a frame held from before cannot be completed by what comes next.
        decoders.peek(sensorId)?.discardPending();
        return { observations: [], rejections: [{ reason: 'oversize', detail: `${payload.byteLength} bytes`, raw: payload.subarray(0, 1024) }] };
      }
      try {
        const batch = decoders.for(sensorId).push(payload, receivedAtMs);
        const result: HandleResult = { observations: [], rejections: [...batch.rejections], ignored: batch.ignored };
        for (const fix of batch.fixes) {
          const obs = toDroneObservation(fix, { sensorId, gatewayId, receivedAtMs });
          if (obs.ok) result.observations.push(obs.value);
          else result.rejections.push({ reason: obs.reason, ...(obs.detail ? { detail: obs.detail } : {}), raw: fix.raw });
        }
        return result;
      } catch (err) {
        // The decoder is written not to throw; should it, this sensor's stream starts over rather than the error escaping.
        decoders.drop(sensorId);
        return { observations: [], rejections: [{ reason: 'decoder-error', detail: String(err), raw: payload.subarray(0, 1024) }] };
      }
    },
  };
}
