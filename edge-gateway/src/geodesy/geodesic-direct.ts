/** A point as `[lon, lat]` in degrees, GeoJSON order. */
export type LonLat = readonly [lon: number, lat: number];

/** An ellipsoid of revolution: equatorial radius `a` in metres and flattening `f`. */
export interface Ellipsoid {
  a: number;
  f: number;
}

/** WGS-84 (NIMA TR8350.2): a = 6 378 137 m, 1/f = 298.257223563. */
export const WGS84: Ellipsoid = Object.freeze({ a: 6_378_137, f: 1 / 298.257223563 });

/** Where a geodesic ends, and the forward azimuth there (degrees clockwise from north, 0-360). */
export interface GeodesicDestination {
  position: LonLat;
  finalAzimuthDeg: number;
}

const DEG = Math.PI / 180;
const MAX_ITERATIONS = 100;

/**
 * The direct geodesic problem on an ellipsoid: the point `distanceM` metres from `origin` along the geodesic
 * leaving it at `azimuthDeg` (clockwise from true north). Vincenty's direct formulae (T. Vincenty, "Direct and
 * inverse solutions of geodesics on the ellipsoid with application of nested equations", Survey Review 23(176),
 * 1975), which converge for every input and are accurate to well under a millimetre on Earth ellipsoids.
 * Longitude is returned in [-180, 180). Pure; never throws (non-finite input gives NaN).
 */
export function solveGeodesicDirect(
  origin: LonLat,
  azimuthDeg: number,
  distanceM: number,
  ellipsoid: Ellipsoid = WGS84,
): GeodesicDestination {
  const { a, f } = ellipsoid;
  const b = a * (1 - f);
  const [lon1, lat1] = origin;

  const alpha1 = azimuthDeg * DEG;
  const sinAlpha1 = Math.sin(alpha1);
  const cosAlpha1 = Math.cos(alpha1);
  // Reduced latitude U1 on the auxiliary sphere.
  const tanU1 = (1 - f) * Math.tan(lat1 * DEG);
  const cosU1 = 1 / Math.sqrt(1 + tanU1 * tanU1);
  const sinU1 = tanU1 * cosU1;
  const sigma1 = Math.atan2(tanU1, cosAlpha1);
  const sinAlpha = cosU1 * sinAlpha1;
  const cosSqAlpha = 1 - sinAlpha * sinAlpha;
  const uSq = (cosSqAlpha * (a * a - b * b)) / (b * b);
  const A = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
  const B = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));

  const sigma0 = distanceM / (b * A);
  let sigma = sigma0;
  let sinSigma = 0;
  let cosSigma = 1;
  let cos2SigmaM = 0;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    cos2SigmaM = Math.cos(2 * sigma1 + sigma);
    sinSigma = Math.sin(sigma);
    cosSigma = Math.cos(sigma);
    const deltaSigma =
      B *
      sinSigma *
      (cos2SigmaM +
        (B / 4) *
          (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
            (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    const next = sigma0 + deltaSigma;
    const converged = Math.abs(next - sigma) < 1e-13;
    sigma = next;
    if (converged) break;
  }
  cos2SigmaM = Math.cos(2 * sigma1 + sigma);
  sinSigma = Math.sin(sigma);
  cosSigma = Math.cos(sigma);

  const x = sinU1 * sinSigma - cosU1 * cosSigma * cosAlpha1;
  const lat2 = Math.atan2(
    sinU1 * cosSigma + cosU1 * sinSigma * cosAlpha1,
    (1 - f) * Math.sqrt(sinAlpha * sinAlpha + x * x),
  );
  const lambda = Math.atan2(sinSigma * sinAlpha1, cosU1 * cosSigma - sinU1 * sinSigma * cosAlpha1);
  const C = (f / 16) * cosSqAlpha * (4 + f * (4 - 3 * cosSqAlpha));
  const L =
    lambda -
    (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
  const alpha2 = Math.atan2(sinAlpha, -x);

  return {
    position: [normalizeLongitude(lon1 + L / DEG), lat2 / DEG],
    finalAzimuthDeg: normalizeAzimuth(alpha2 / DEG),
  };
}

/** Degrees into [-180, 180); values already in range are returned unchanged. */
export function normalizeLongitude(lon: number): number {
  if (lon >= -180 && lon < 180) return lon;
  const x = (lon + 180) % 360;
  return (x < 0 ? x + 360 : x) - 180;
}

/** Degrees into [0, 360); values already in range are returned unchanged. */
export function normalizeAzimuth(deg: number): number {
  if (deg >= 0 && deg < 360) return deg + 0; // + 0 turns -0 into 0
  const x = deg % 360;
  if (x >= 0) return x;
  return x + 360 === 360 ? 0 : x + 360;
}
