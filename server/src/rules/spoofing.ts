import type { Finding } from '../alerts/alert-book';
import type { Track } from '@seawall/contracts';
import { KNOT_MS, distanceM } from '../fusion/geo-math';
import type { RuleConfig } from './rule-config';

export interface Fix {
  atMs: number;
  lon: number;
  lat: number;
  sensorId: string;
}

/** The speed cap for an AIS ship type (ITU-R M.1371-5 table 53), from the configured ranges. */
export function maxSpeedKn(shipType: number | null, params: RuleConfig['spoofing']): number {
  if (shipType !== null) {
    for (const [range, kn] of Object.entries(params.maxKnByShipType)) {
      const [lo, hi = lo] = range.split('-').map(Number) as [number, number?];
      if (shipType >= lo && shipType <= hi!) return kn;
    }
  }
  return params.defaultMaxKn;
}

/**
 * Two consecutive fixes of one MMSI that no vessel of its type could connect: a spoofed or shared MMSI (one
 * MMSI in two places) or a forged position. Yellow. SAR aircraft (AIS message 9) are not checked.
 */
export function checkSpoofing(track: Track, previous: Fix, current: Fix, params: RuleConfig['spoofing']): Finding | null {
  if (track.kind !== 'ais' && track.kind !== 'fused') return null;
  const d = distanceM(previous.lon, previous.lat, current.lon, current.lat);
  if (d < params.minDistanceM) return null;
  const dtS = Math.max(1, Math.abs(current.atMs - previous.atMs) / 1000);
  const impliedKn = d / dtS / KNOT_MS;
  const capKn = maxSpeedKn(track.shipType, params);
  if (impliedKn <= capKn) return null;
  return {
    rule: 'spoofing',
    level: 'yellow',
    trackIds: [track.id],
    ring: track.ring,
    lon: current.lon,
    lat: current.lat,
    atMs: current.atMs,
    summary: `MMSI ${track.mmsi} reported ${(d / 1000).toFixed(1)} km apart in ${Math.round(dtS)} s (${Math.round(impliedKn)} kn, cap ${capKn} kn)`,
    evidence: {
      mmsi: track.mmsi,
      previous,
      current,
      distanceM: Math.round(d),
      impliedSpeedKn: Math.round(impliedKn * 10) / 10,
      capKn,
      shipType: track.shipType,
      parameters: params,
    },
  };
}
