import { LAND_POLYGONS } from './hainan-land';
import type { LonLat } from './motion';

/** How far a shore radar can see along each bearing before land gets in the way. */
export interface Horizon {
  /** Metres from the site to the first land along this true bearing; Infinity when there is none. */
  horizonM(bearingDeg: number): number;
}

/** Options of {@link createHorizon}. */
export interface HorizonOptions {
  /** Land this close to the site is ignored: the antenna stands on a mast at the shore. 2.5 km by default. */
  nearM?: number;
  /** Bearing resolution, degrees; 0.25 by default. */
  binDeg?: number;
  /** Flat `[lon, lat, …]` rings; the coarse Hainan and Leizhou land by default. */
  polygons?: readonly (readonly number[])[];
}

/**
 * The radar horizon of a site against land polygons, by ray casting on the local plane: along each
 * bearing, the distance at which the ray first enters land beyond `nearM` (or `nearM` itself when the
 * ray is over land there). Approximate by design: the coarse polygons are good to a few hundred metres
 * and the ray is straight on an equirectangular plane.
 */
export function createHorizon(site: LonLat, options: HorizonOptions = {}): Horizon {
  const { nearM = 2_500, binDeg = 0.25, polygons = LAND_POLYGONS } = options;
  const phi = (site[1] * Math.PI) / 180;
  // Metres per degree of latitude and longitude at the site (WGS-84 series).
  const my = 111_132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
  const mx = 111_412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  const edges: number[] = [];
  for (const ring of polygons) {
    const n = ring.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      const x1 = (ring[2 * i]! - site[0]) * mx;
      const y1 = (ring[2 * i + 1]! - site[1]) * my;
      const x2 = (ring[2 * j]! - site[0]) * mx;
      const y2 = (ring[2 * j + 1]! - site[1]) * my;
      edges.push(x1, y1, x2, y2);
    }
  }
  const bins = Math.round(360 / binDeg);
  const horizons = new Float64Array(bins);
  const crossings: number[] = [];
  for (let b = 0; b < bins; b++) {
    const theta = (b * binDeg * Math.PI) / 180;
    const dx = Math.sin(theta);
    const dy = Math.cos(theta);
    crossings.length = 0;
    for (let e = 0; e < edges.length; e += 4) {
      const px = edges[e]!;
      const py = edges[e + 1]!;
      const ex = edges[e + 2]! - px;
      const ey = edges[e + 3]! - py;
      const denom = dx * ey - dy * ex;
      if (denom === 0) continue;
      const t = (px * ey - py * ex) / denom;
      const u = (px * dy - py * dx) / denom;
      if (t > 0 && u >= 0 && u < 1) crossings.push(t);
    }
    crossings.sort((a, b) => a - b);
    // The whole ray to infinity is cast, so an odd number of crossings means it starts on land; each
    // crossing then flips land and sea.
    let onLand = crossings.length % 2 === 1;
    let horizon = Infinity;
    for (const t of crossings) {
      if (t > nearM) {
        horizon = onLand ? nearM : t;
        break;
      }
      onLand = !onLand;
    }
    horizons[b] = horizon;
  }
  return {
    horizonM(bearingDeg) {
      return horizons[((Math.round(bearingDeg / binDeg) % bins) + bins) % bins]!;
    },
  };
}
