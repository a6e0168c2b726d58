import type { Track } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import type { RuleConfig } from './rule-config';

/** What a vessel's last AIS position report said about how often it must report. */
export interface AisReporting {
  aisClass: 'A' | 'B' | 'SAR' | 'BASE';
  navStatus: number | null;
  sogKn: number | null;
}

// Navigational status 1 (at anchor) and 5 (moored): ITU-R M.1371-5 table 1 allows class A 3 min then.
const AT_ANCHOR_OR_MOORED: ReadonlySet<number> = new Set([1, 5]);

/** The reporting interval ITU-R M.1371-5 table 1 requires of this vessel, from the bands in the rule configuration. */
export function requiredIntervalMs(reporting: AisReporting | undefined, params: RuleConfig['aisDark']): number {
  const sog = reporting?.sogKn ?? 0;
  if (reporting?.aisClass === 'A') {
    if (reporting.navStatus !== null && AT_ANCHOR_OR_MOORED.has(reporting.navStatus) && sog <= params.classA.anchoredMaxKn) return params.classA.anchoredMs;
    return bandMs(params.classA.underWay, sog);
  }
  // Class B, or a class not heard yet: the slower class B intervals, so the silence must be longer.
  return bandMs(params.classB, sog);
}

function bandMs(bands: RuleConfig['aisDark']['classB'], sogKn: number): number {
  for (const b of bands) if (b.belowKn === null || sogKn < b.belowKn) return b.ms;
  return bands.at(-1)!.ms;
}

/** The silence after which this vessel counts as dark: well beyond its required interval, and never less than the floor. */
export function silenceThresholdMs(reporting: AisReporting | undefined, params: RuleConfig['aisDark']): number {
  return Math.max(params.silentAfterMs, params.missedReports * requiredIntervalMs(reporting, params));
}

/**
 * An AIS vessel that stops reporting in the watched rings while the radar target it was fused with is still
 * followed: orange, on both tracks (the AIS identity and the radar target that shows where it went).
 */
export function checkAisDark(ais: Track, radar: Track, params: RuleConfig['aisDark'], reporting?: AisReporting): Finding | null {
  if (ais.kind !== 'ais' && ais.kind !== 'fused') return null;
  if (radar.state !== 'active' || ais.ring === null || !params.rings.includes(ais.ring)) return null;
  const silentMs = radar.lastSeenMs - ais.lastSeenMs;
  const thresholdMs = silenceThresholdMs(reporting, params);
  if (silentMs < thresholdMs) return null;
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
      aisClass: reporting?.aisClass ?? null,
      navStatus: reporting?.navStatus ?? null,
      requiredIntervalMs: requiredIntervalMs(reporting, params),
      thresholdMs,
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
