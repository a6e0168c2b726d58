import { parseRadarSentence } from '../decoders/radar';
import { RADAR_NOTHING_TO_PUBLISH, toRadarObservation } from '../normalize/radar-observation';
import type { RadarSites } from '../normalize/radar-observation-sites';
import type { HandleResult, SensorHandler } from './sensor-handler';

/** A feed larger than this in one MQTT message is not a radar's output. */
const MAX_RADAR_PAYLOAD_BYTES = 256 * 1024;

/**
 * Radars (ARPA): NMEA 0183 text on `sensors/radar/<sensorId>`, one or more `$--TTM` / `$--TLL` lines per
 * message, each optionally behind an NMEA 4.0 tag block whose `c:` time is the observation time. TTM ranges
 * and bearings are positioned from the sensor's entry in `sites`. Other well-formed NMEA sentences in the
 * feed (OSD, RSD, GGA, ...) and valid sentences without a target number or position are counted as ignored;
 * everything else that yields no observation is rejected with its reason and line. Never throws.
 */
export function createRadarHandler(gatewayId: string, sites: RadarSites): SensorHandler {
  return {
    handle(sensorId, payload, receivedAtMs): HandleResult {
      if (payload.byteLength > MAX_RADAR_PAYLOAD_BYTES) {
        return { observations: [], rejections: [{ reason: 'oversize', detail: `${payload.byteLength} bytes`, raw: payload.subarray(0, 1024) }] };
      }
      // NMEA is ASCII: latin1 keeps every byte, so a bad byte spoils only its own line.
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
      const site = sites.get(sensorId);
      const context = { sensorId, gatewayId, site, receivedAtMs };
      const result: HandleResult = { observations: [], rejections: [], ignored: [] };
      if (text.trim().length === 0) result.rejections.push({ reason: 'empty-payload', raw: payload });
      for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line.length === 0) continue;
        const sentence = parseRadarSentence(line);
        if (!sentence.ok) {
          if (sentence.reason === 'unsupported-sentence') result.ignored!.push('other-sentence');
          else result.rejections.push({ reason: sentence.reason, ...(sentence.detail ? { detail: sentence.detail } : {}), raw: Buffer.from(line, 'latin1') });
          continue;
        }
        const observation = toRadarObservation(sentence.value, context);
        if (observation.ok) result.observations.push(observation.value);
        else if (RADAR_NOTHING_TO_PUBLISH.has(observation.reason)) result.ignored!.push(observation.reason);
        else result.rejections.push({ reason: observation.reason, ...(observation.detail ? { detail: observation.detail } : {}), raw: Buffer.from(line, 'latin1') });
      }
      return result;
    },
  };
}
