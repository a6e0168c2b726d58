/**
 * How the scenario's vessels move: every state is a function of time alone. Routes are anchored at the
 * Unix epoch (modulo their cycle); `daily` tracks repeat at the same UTC times every day. Distances and
 * courses are taken on the local equirectangular plane, which is good to well under a metre per leg
 * here (legs are a few tens of kilometres at most).
 */

/** A position, `[lon, lat]` in degrees (GeoJSON order). */
export type LonLat = readonly [lon: number, lat: number];

/** What a vessel does at one end of a shuttle route. */
export interface RouteEnd {
  /** Destination name broadcast while heading for this end (≤ 20 characters). */
  port: string;
  dwellS: number;
  /** Navigational status while dwelling (1 at anchor, 5 moored). */
  navStatus: number;
}

/** One point of a daily track: where the vessel is `s` seconds after 00:00 UTC. */
export interface Keyframe {
  s: number;
  at: LonLat;
  /** AIS navigational status from this point to the next; 0 (under way using engine) by default. */
  navStatus?: number;
}

/**
 * How a vessel moves. Routes are waypoint lists with one speed per leg; the position is interpolated
 * linearly in lon/lat along the leg for the time elapsed since `phaseS` (seconds after the Unix epoch,
 * modulo the cycle).
 * - `shuttle`: out along the route, dwell at the far end, back, dwell at the start (ping-pong).
 * - `transit`: once along the route, then out of coverage until `periodS` has passed.
 * - `loop`: round a closed route (last waypoint equal to the first) forever.
 * - `anchored`: swinging round an anchor with the tide.
 * - `daily`: along timed keyframes every UTC day, present only from the first keyframe to the last
 *   (a track may not cross midnight); two keyframes at one place make a stop.
 */
export type Motion =
  | {
      kind: 'shuttle';
      route: readonly LonLat[];
      speedsKn: readonly number[];
      phaseS: number;
      ends: readonly [RouteEnd, RouteEnd];
    }
  | {
      kind: 'transit';
      route: readonly LonLat[];
      speedsKn: readonly number[];
      phaseS: number;
      periodS: number;
      destination: string;
      /** ETA broadcast: this long after leaving the route's end. */
      etaAfterEndS: number;
    }
  | { kind: 'loop'; route: readonly LonLat[]; speedsKn: readonly number[]; phaseS: number }
  | { kind: 'anchored'; position: LonLat; destination: string }
  | { kind: 'daily'; track: readonly Keyframe[]; destination: string };

/** A vessel's true kinematic state at one instant (before sensor noise). */
export interface VesselState {
  lon: number;
  lat: number;
  sogKn: number;
  /** Course over ground; null when not making way. */
  cogDeg: number | null;
  headingDeg: number;
  /** ITU-R M.1371-5 navigational status. */
  navStatus: number;
  underway: boolean;
  destination: string;
  etaMs: number | null;
}

export const HOUR_S = 3600;
export const DAY_S = 24 * HOUR_S;

/** Seconds after 00:00 UTC of `hh:mm[:ss]`. */
export const utc = (hh: number, mm: number, ss = 0) => hh * HOUR_S + mm * 60 + ss;

export const normDeg = (d: number) => ((d % 360) + 360) % 360;
export const mod = (a: number, n: number) => ((a % n) + n) % n;

/** Distance (nautical miles) and course (degrees true) from `a` to `b` on the local plane. */
export function courseBetween(a: LonLat, b: LonLat): { distanceNm: number; cogDeg: number } {
  const dxNm = (b[0] - a[0]) * 60 * Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  const dyNm = (b[1] - a[1]) * 60;
  return { distanceNm: Math.hypot(dxNm, dyNm), cogDeg: normDeg((Math.atan2(dxNm, dyNm) * 180) / Math.PI) };
}

interface Leg {
  from: LonLat;
  to: LonLat;
  speedKn: number;
  durationS: number;
  cogDeg: number;
}

const legCache = new WeakMap<readonly LonLat[], Leg[]>();

function legsOf(route: readonly LonLat[], speedsKn: readonly number[]): Leg[] {
  const cached = legCache.get(route);
  if (cached) return cached;
  const legs: Leg[] = [];
  for (let i = 1; i < route.length; i++) {
    const from = route[i - 1]!;
    const to = route[i]!;
    const { distanceNm, cogDeg } = courseBetween(from, to);
    const speedKn = speedsKn[i - 1] ?? speedsKn[speedsKn.length - 1]!;
    legs.push({ from, to, speedKn, durationS: (distanceNm / speedKn) * HOUR_S, cogDeg });
  }
  legCache.set(route, legs);
  return legs;
}

/** Time to sail a route once, seconds. */
export function routeDurationS(route: readonly LonLat[], speedsKn: readonly number[]): number {
  return legsOf(route, speedsKn).reduce((s, l) => s + l.durationS, 0);
}

/** Position `s` seconds along the legs (clamped to the ends), with the leg's course and speed. */
function alongLegs(legs: Leg[], s: number): { lon: number; lat: number; cogDeg: number; sogKn: number } {
  for (const leg of legs) {
    if (s < leg.durationS) {
      const f = Math.max(0, s) / leg.durationS;
      return {
        lon: leg.from[0] + (leg.to[0] - leg.from[0]) * f,
        lat: leg.from[1] + (leg.to[1] - leg.from[1]) * f,
        cogDeg: leg.cogDeg,
        sogKn: leg.speedKn,
      };
    }
    s -= leg.durationS;
  }
  const last = legs[legs.length - 1]!;
  return { lon: last.to[0], lat: last.to[1], cogDeg: last.cogDeg, sogKn: last.speedKn };
}

/** Below this a daily track segment counts as a stop. */
const STOPPED_KN = 0.1;

function segmentMoves(track: readonly Keyframe[], i: number): boolean {
  const [a, b] = [track[i]!.at, track[i + 1]!.at];
  return a[0] !== b[0] || a[1] !== b[1];
}

function dailyState(track: readonly Keyframe[], destination: string, tS: number): VesselState | null {
  const tod = mod(tS, DAY_S);
  if (track.length < 2 || tod < track[0]!.s || tod >= track[track.length - 1]!.s) return null;
  let i = 0;
  while (track[i + 1]!.s <= tod) i++;
  const a = track[i]!;
  const b = track[i + 1]!;
  const f = (tod - a.s) / (b.s - a.s);
  const { distanceNm, cogDeg } = courseBetween(a.at, b.at);
  const sogKn = distanceNm / ((b.s - a.s) / HOUR_S);
  const underway = sogKn >= STOPPED_KN;
  let headingDeg = cogDeg;
  if (!underway) {
    // Stopped: keep the heading it arrived with (or will leave with).
    let j = i - 1;
    while (j >= 0 && !segmentMoves(track, j)) j--;
    if (j < 0) for (j = i + 1; j < track.length - 1 && !segmentMoves(track, j); j++);
    headingDeg = j >= 0 && j < track.length - 1 ? courseBetween(track[j]!.at, track[j + 1]!.at).cogDeg : 0;
  }
  return {
    lon: a.at[0] + (b.at[0] - a.at[0]) * f,
    lat: a.at[1] + (b.at[1] - a.at[1]) * f,
    sogKn: underway ? sogKn : 0,
    cogDeg: underway ? cogDeg : null,
    headingDeg,
    navStatus: a.navStatus ?? 0,
    underway,
    destination,
    etaMs: null,
  };
}

/** Where a motion puts its vessel at `tMs`, or null while the vessel is out of the picture. */
export function motionStateAt(m: Motion, tMs: number): VesselState | null {
  const tS = tMs / 1000;
  if (m.kind === 'daily') return dailyState(m.track, m.destination, tS);
  if (m.kind === 'anchored') {
    // Swing with the semi-diurnal tide; the antenna lies 60 m down-current of the anchor.
    const headingDeg = normDeg(60 + 120 * Math.sin((2 * Math.PI * tS) / (12.42 * HOUR_S)));
    const r = 60 / 111_120;
    const h = (headingDeg * Math.PI) / 180;
    return {
      lon: m.position[0] - (r * Math.sin(h)) / Math.cos((m.position[1] * Math.PI) / 180),
      lat: m.position[1] - r * Math.cos(h),
      sogKn: 0,
      cogDeg: null,
      headingDeg,
      navStatus: 1,
      underway: false,
      destination: m.destination,
      etaMs: null,
    };
  }
  const legs = legsOf(m.route, m.speedsKn);
  const travelS = legs.reduce((s, l) => s + l.durationS, 0);
  const moving = (p: ReturnType<typeof alongLegs>, destination: string, etaS: number | null, reverse = false) => {
    const cogDeg = reverse ? normDeg(p.cogDeg + 180) : p.cogDeg;
    const etaMs = etaS === null ? null : Math.round(etaS) * 1000;
    const { lon, lat, sogKn } = p;
    return { lon, lat, sogKn, cogDeg, headingDeg: cogDeg, navStatus: 0, underway: true, destination, etaMs };
  };
  if (m.kind === 'loop') return moving(alongLegs(legs, mod(tS - m.phaseS, travelS)), '', null);
  if (m.kind === 'transit') {
    const s = mod(tS - m.phaseS, m.periodS);
    if (s >= travelS) return null;
    return moving(alongLegs(legs, s), m.destination, tS - s + travelS + m.etaAfterEndS);
  }
  const [start, end] = m.ends;
  const cycle = 2 * travelS + start.dwellS + end.dwellS;
  const s = mod(tS - m.phaseS, cycle);
  const first = legs[0]!;
  const last = legs[legs.length - 1]!;
  const dwell = (at: LonLat, headingDeg: number, e: RouteEnd, next: RouteEnd, leftS: number): VesselState => ({
    lon: at[0],
    lat: at[1],
    sogKn: 0,
    cogDeg: null,
    headingDeg,
    navStatus: e.navStatus,
    underway: false,
    destination: next.port,
    etaMs: Math.round(tS + leftS + travelS) * 1000,
  });
  if (s < travelS) return moving(alongLegs(legs, s), end.port, tS - s + travelS);
  if (s < travelS + end.dwellS) return dwell(last.to, last.cogDeg, end, start, travelS + end.dwellS - s);
  const back = s - travelS - end.dwellS;
  if (back < travelS) return moving(alongLegs(legs, travelS - back), start.port, tS - back + travelS, true);
  return dwell(first.from, normDeg(first.cogDeg + 180), start, end, cycle - s);
}

/** Every waypoint of a motion (route points, the anchor, or the keyframes' positions). */
export function waypointsOf(m: Motion): readonly LonLat[] {
  if (m.kind === 'anchored') return [m.position];
  if (m.kind === 'daily') return m.track.map((k) => k.at);
  return m.route;
}
