import { distanceM, KNOT_MS } from '../fusion/geo-math';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Below this speed over ground a target is treated as static: its reported course is noise. */
export const STATIC_SOG_KN = 0.5;
/** How far ahead an intercept is looked for; a later meeting counts as not catchable. */
export const MAX_LOOK_AHEAD_MS = 6 * 3600_000;

/** A target as the fused picture gives it: position, speed over ground and course over ground. */
export interface Mover {
  lon: number;
  lat: number;
  sogKn: number | null;
  cogDeg: number | null;
}

/** Where and when a unit meets its target; `timeMs` counts from the moment the positions describe. */
export interface Intercept {
  lon: number;
  lat: number;
  timeMs: number;
  catchable: boolean;
}

/** The earliest t > 0 (or 0 when c is 0) with a t² + b t + c = 0, or null. */
function earliestRoot(a: number, b: number, c: number): number | null {
  if (c === 0) return 0;
  // Equal speeds: the square terms cancel and the equation is linear.
  if (Math.abs(a) < 1e-9) return b < 0 ? -c / b : null;
  const disc = b * b - 4 * a * c;
  if (disc < 0) return null;
  // Numerically stable pair of roots: q / a and c / q.
  const q = -(b + Math.sign(b || 1) * Math.sqrt(disc)) / 2;
  const roots = [q / a, q !== 0 ? c / q : Number.NaN].filter((t) => Number.isFinite(t) && t > 0);
  return roots.length > 0 ? Math.min(...roots) : null;
}

/**
 * Where a unit at `from` moving at `speedKn` meets a target moving at constant course and speed (local
 * flat-earth approximation, good to a few hundred km), and when. For a target that is static (sog null/<0.5 kn,
 * or no course) or that the unit cannot catch, returns the target's current position with `catchable: false`
 * for the latter.
 *
 * Solves |P + V t| = s t in an east/north metre frame centred on the unit, P the target's offset, V its
 * velocity, s the unit's speed, and keeps the earliest meeting within `maxLookAheadMs` (6 h by default). When
 * the target cannot be caught, `timeMs` is the time to reach its current position (infinite for a unit that
 * does not move), so such units can still be ranked.
 */
export function interceptPoint(
  from: { lon: number; lat: number },
  speedKn: number,
  target: Mover,
  opts: { maxLookAheadMs?: number } = {},
): Intercept {
  const maxMs = opts.maxLookAheadMs ?? MAX_LOOK_AHEAD_MS;
  const speedMs = speedKn > 0 ? speedKn * KNOT_MS : 0;
  const toCurrentMs = (): number => {
    const d = distanceM(from.lon, from.lat, target.lon, target.lat);
    if (d === 0) return 0;
    return speedMs > 0 ? (d / speedMs) * 1000 : Number.POSITIVE_INFINITY;
  };
  const atCurrent = (catchable: boolean): Intercept => {
    const timeMs = toCurrentMs();
    return { lon: target.lon, lat: target.lat, timeMs, catchable: catchable && timeMs <= maxMs };
  };

  const sog = target.sogKn;
  if (sog === null || !(sog >= STATIC_SOG_KN) || target.cogDeg === null || !Number.isFinite(target.cogDeg)) {
    return atCurrent(true);
  }

  const mPerDegLat = EARTH_RADIUS_M * RAD;
  const mPerDegLon = mPerDegLat * Math.cos(from.lat * RAD);
  let dLon = target.lon - from.lon;
  if (dLon > 180) dLon -= 360;
  else if (dLon < -180) dLon += 360;
  const px = dLon * mPerDegLon;
  const py = (target.lat - from.lat) * mPerDegLat;
  const v = sog * KNOT_MS;
  const vx = v * Math.sin(target.cogDeg * RAD);
  const vy = v * Math.cos(target.cogDeg * RAD);

  const t = earliestRoot(vx * vx + vy * vy - speedMs * speedMs, 2 * (px * vx + py * vy), px * px + py * py);
  if (t === null || t * 1000 > maxMs) return atCurrent(false);

  const x = px + vx * t;
  const y = py + vy * t;
  let lon = from.lon + x / mPerDegLon;
  if (lon > 180) lon -= 360;
  else if (lon < -180) lon += 360;
  return { lon, lat: from.lat + y / mPerDegLat, timeMs: t * 1000, catchable: true };
}
