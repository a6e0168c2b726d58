import { AisDecoder, decodeAisText } from '../decoders/ais';
import { toAisObservations } from '../normalize/ais-observation';
import type { HandleResult, SensorHandler } from './sensor-handler';

/** A feed larger than this in one MQTT message is not a receiver's output. */
const MAX_AIS_PAYLOAD_BYTES = 256 * 1024;
/** Bounds the decoder state kept for sensors: past it, the longest-silent sensor's state is dropped. */
const MAX_SENSORS = 4096;

/** Reasons a decoded message yields no observation although the input was valid. */
const NOT_BAD_INPUT = new Set(['no-position', 'not-a-position-report', 'not-a-static-report']);

/**
 * AIS receivers: NMEA text, one or more `!AIVDM`/`!AIVDO` lines per message. One decoder per sensor, so
 * fragments of a multi-sentence message may arrive in separate MQTT messages.
 */
export function createAisHandler(gatewayId: string): SensorHandler {
  const decoders = new Map<string, AisDecoder>();
  const decoderFor = (sensorId: string): AisDecoder => {
    let decoder = decoders.get(sensorId);
    if (decoder) {
      // Re-insert so that Map order is least recently used first.
      decoders.delete(sensorId);
    } else {
      decoder = new AisDecoder();
      if (decoders.size >= MAX_SENSORS) decoders.delete(decoders.keys().next().value!);
    }
    decoders.set(sensorId, decoder);
    return decoder;
  };

  return {
    handle(sensorId, payload, receivedAtMs): HandleResult {
      if (payload.byteLength > MAX_AIS_PAYLOAD_BYTES) {
        return { observations: [], rejections: [{ reason: 'oversize', detail: `${payload.byteLength} bytes`, raw: payload.subarray(0, 1024) }] };
      }
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
      if (text.includes('\uFFFD')) {
        return { observations: [], rejections: [{ reason: 'not-text', raw: payload }] };
      }
      const decoded = decodeAisText(decoderFor(sensorId), text, receivedAtMs);
      const result: HandleResult = { observations: [], rejections: decoded.rejections, ignored: [] };
      for (const message of decoded.messages) {
        const normalized = toAisObservations(message, { sensorId, gatewayId });
        result.observations.push(...normalized.observations);
        for (const r of normalized.rejections) {
          if (NOT_BAD_INPUT.has(r.reason)) result.ignored!.push(r.reason);
          else result.rejections.push({ reason: r.reason, ...(r.detail ? { detail: r.detail } : {}), raw: message.lines.join('\r\n') });
        }
      }
      return result;
    },
  };
}
