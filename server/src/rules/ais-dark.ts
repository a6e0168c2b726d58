import type { Track } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import type { RuleConfig } from './rule-config';

/**
 * An AIS vessel that stops reporting in the watched rings while the radar target it was fused with is still
 * followed: orange, on both tracks (the AIS identity and the radar target that shows where it went).
 */
export function checkAisDark(ais: Track, radar: Track, params: RuleConfig['aisDark']): Finding | null {
  if (ais.kind !== 'ais' && ais.kind !== 'fused') return null;
  if (radar.state !== 'active' || ais.ring === null || !params.rings.includes(ais.ring)) return null;
  const silentMs = radar.lastSeenMs - ais.lastSeenMs;
  if (silentMs < params.silentAfterMs) return null;
  return {
    rule: 'ais-dark',
    level: 'orange',
    trackIds: [ais.id, radar.id],
    ring: radar.ring ?? ais.ring,
    lon: radar.lon,
    lat: radar.lat,
    atMs: radar.lastSeenMs,
    summary: `${ais.name ?? `MMSI ${ais.mmsi}`} stopped transmitting AIS; radar still follows it`,
    evidence: {
      mmsi: ais.mmsi,
      name: ais.name,
      lastAisPosition: [ais.lon, ais.lat],
      lastAisAtMs: ais.lastSeenMs,
      lastAisRing: ais.ring,
      radarTrack: radar.id,
      radarPosition: [radar.lon, radar.lat],
      radarAtMs: radar.lastSeenMs,
      silentMs,
      parameters: params,
    },
  };
}

/** The longest silence between `fromMs` and `toMs` given the report times in between (any order). */
export function longestSilenceMs(fromMs: number, toMs: number, reportTimes: readonly number[]): number {
  const times = [fromMs, ...reportTimes.filter((t) => t > fromMs && t < toMs).sort((a, b) => a - b), toMs];
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}
