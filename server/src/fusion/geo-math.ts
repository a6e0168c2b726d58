/** Spherical-earth helpers for gating and dead reckoning (errors of a few metres over tens of km: fine for gates). */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
export const KNOT_MS = 1852 / 3600;

/** Great-circle distance in metres (haversine). */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Where a vessel at lon/lat steering `cogDeg` at `sogKn` is after `dtMs` (flat-earth step: dt is seconds to minutes). */
export function deadReckon(lon: number, lat: number, sogKn: number | null, cogDeg: number | null, dtMs: number): [number, number] {
  if (!sogKn || cogDeg === null || dtMs === 0) return [lon, lat];
  const d = sogKn * KNOT_MS * (dtMs / 1000);
  const north = d * Math.cos(cogDeg * RAD);
  const east = d * Math.sin(cogDeg * RAD);
  return [lon + east / (EARTH_RADIUS_M * Math.cos(lat * RAD)) / RAD, lat + north / EARTH_RADIUS_M / RAD];
}

/** Smallest difference between two bearings, 0-180 degrees. */
export function angleDiffDeg(a: number, b: number): number {
  const d = Math.abs(((a - b) % 360) + 360) % 360;
  return d > 180 ? 360 - d : d;
}
