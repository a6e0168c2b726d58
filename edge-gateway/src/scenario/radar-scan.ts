/**
 * The simulated shore radars: every 10 s each configured site reports, as `$RATTM` sentences, every
 * contact within 24 nautical miles that land does not hide (see line-of-sight.ts). Ranges and bearings
 * are measured on the WGS-84 ellipsoid (the inverse of the direct solution the gateway places TTM
 * targets with), then given a little deterministic noise.
 */
import { normalizeAzimuth, solveGeodesicDirect } from '../geodesy/geodesic-direct';
import { type RadarSite, type RadarSites, siteHeadingDeg } from '../normalize/radar-observation-sites';
import { tagBlock } from './encode-ais';
import { formatTtm } from './encode-radar';
import { type Horizon, createHorizon } from './line-of-sight';
import { type LonLat, type Motion, motionStateAt, normDeg } from './motion';
import { noise } from './scenario-random';

/** Instrumented range of the simulated radars. */
export const RADAR_RANGE_NM = 24;
/** Antenna period: every target is reported once per scan. */
export const RADAR_SCAN_S = 10;
const METRES_PER_NM = 1852;
/** A target this far beyond the coarse land horizon is still seen (the coast line is good to ~500 m). */
const HORIZON_SLACK_M = 600;

/** Something on the water a radar can see, with its ARPA target number (the same on every radar). */
export interface RadarContact {
  targetNumber: number;
  motion: Motion;
}

/** One simulated radar: its site, horizon, and the second of each 10 s scan it reports at. */
export interface SimulatedRadar {
  id: string;
  site: Readonly<RadarSite>;
  horizon: Horizon;
  /** 0-9: scans are reported when the Unix second modulo 10 equals this. */
  phaseS: number;
}

/** The radars of a site table, in its order; the n-th reports at second 3n modulo 10 of each scan. */
export function createSimulatedRadars(sites: RadarSites): SimulatedRadar[] {
  return [...sites].map(([id, site], i) => ({
    id,
    site,
    horizon: createHorizon([site.lon, site.lat]),
    phaseS: (i * 3) % RADAR_SCAN_S,
  }));
}

/** Metres per degree of longitude and latitude at a latitude (WGS-84 series). */
function metresPerDegree(lat: number): { mx: number; my: number } {
  const phi = (lat * Math.PI) / 180;
  return {
    mx: 111_412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi),
    my: 111_132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi),
  };
}

/**
 * Geodesic range (m) and true bearing from `from` to `to`: a first guess on the local plane, refined by
 * Newton steps on the direct solution until it lands within a millimetre.
 */
export function rangeBearing(from: LonLat, to: LonLat): { rangeM: number; bearingDeg: number } {
  const { mx, my } = metresPerDegree((from[1] + to[1]) / 2);
  let east = (to[0] - from[0]) * mx;
  let north = (to[1] - from[1]) * my;
  let rangeM = Math.hypot(east, north);
  let bearingDeg = normDeg((Math.atan2(east, north) * 180) / Math.PI);
  for (let i = 0; i < 4 && rangeM > 0; i++) {
    const [lon, lat] = solveGeodesicDirect(from, bearingDeg, rangeM).position;
    east = (to[0] - lon) * mx;
    north = (to[1] - lat) * my;
    if (Math.hypot(east, north) < 0.001) break;
    const b = (bearingDeg * Math.PI) / 180;
    rangeM += east * Math.sin(b) + north * Math.cos(b);
    bearingDeg = normDeg(bearingDeg + (((east * Math.cos(b) - north * Math.sin(b)) / rangeM) * 180) / Math.PI);
  }
  return { rangeM, bearingDeg };
}

/** Rounds to one decimal within [0, 360): 359.96 is written 0.0, not 360.0. */
const angle1 = (deg: number) => (Math.round(normDeg(deg) * 10) % 3600) / 10;

/**
 * What `radar` reports at the Unix second `tS` (a multiple of its scan phase): one `$RATTM` line per
 * visible contact, in target-number order, each behind the tag block `\s:<radarId>,c:<tS>*hh\`, joined
 * by CRLF; null when no contact is in view. Ranges in nautical miles; bearings relative to the heading
 * marker (`R`) for a fixed-heading site, true (`T`) for a north-up one; courses true.
 */
export function radarScan(radar: SimulatedRadar, radarIndex: number, contacts: readonly RadarContact[], tS: number): string | null {
  const { site } = radar;
  const origin: LonLat = [site.lon, site.lat];
  const headingDeg = siteHeadingDeg(site);
  const relative = site.headingSource === 'fixed';
  const block = tagBlock(radar.id, tS);
  const lines: string[] = [];
  const { mx, my } = metresPerDegree(site.lat);
  for (const c of contacts) {
    const st = motionStateAt(c.motion, tS * 1000);
    if (!st) continue;
    // Most contacts are far out of range: a plane estimate (good to metres here) rules them out cheaply.
    if (Math.hypot((st.lon - site.lon) * mx, (st.lat - site.lat) * my) > RADAR_RANGE_NM * METRES_PER_NM + 1_000) continue;
    const { rangeM, bearingDeg } = rangeBearing(origin, [st.lon, st.lat]);
    if (rangeM > RADAR_RANGE_NM * METRES_PER_NM || rangeM > radar.horizon.horizonM(bearingDeg) + HORIZON_SLACK_M) continue;
    const key = (k: number) => [radarIndex, c.targetNumber, tS, k];
    // About ±25 m in range and ±0.12° in bearing; a stopped target's course wanders.
    const measuredRangeM = Math.max(0, rangeM + noise(25, ...key(1)));
    const trueBearing = bearingDeg + noise(0.12, ...key(2));
    const speedKn = Math.max(0, st.sogKn + noise(0.3, ...key(3)));
    const courseDeg = (st.cogDeg ?? st.headingDeg) + noise(st.underway ? 3 : 40, ...key(4));
    lines.push(
      block +
        formatTtm({
          targetNumber: c.targetNumber,
          distanceNm: measuredRangeM / METRES_PER_NM,
          bearingDeg: angle1(relative ? normalizeAzimuth(trueBearing - headingDeg) : trueBearing),
          bearingRef: relative ? 'R' : 'T',
          speedKn,
          courseDeg: angle1(courseDeg),
          courseRef: 'T',
          unixSeconds: tS,
        }),
    );
  }
  return lines.length > 0 ? lines.join('\r\n') : null;
}
