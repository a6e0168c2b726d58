/**
 * WGS-84 ⇄ GCJ-02, the datum of Chinese web map tiles (AutoNavi/Gaode, Tencent).
 *
 * GCJ-02 is WGS-84 with a deliberate, smoothly varying offset of a few hundred
 * metres inside China. The forward transform is the widely published one
 * (Krasovsky-ellipsoid constants, as in eviltransform and coordtransform); it
 * is the identity outside China's bounding box. There is no closed-form
 * inverse: `gcj02ToWgs84` iterates the forward transform until it matches to
 * well under a millimetre.
 */

/** A position as maplibre and GeoJSON take it. */
export type LonLat = [lon: number, lat: number];

const A = 6378245.0;
const EE = 0.00669342162296594323;

/** The box the published transform treats as China (coarse on purpose: it matches the tile providers). */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** A WGS-84 position in GCJ-02 (unchanged outside China). */
export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (offsetLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLon = (offsetLon(lon - 105, lat - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Stop iterating once the forward transform of the guess is this close (degrees, ≈ 0.01 mm). */
const INVERSE_TOLERANCE_DEG = 1e-10;
const INVERSE_MAX_STEPS = 30;

/**
 * A GCJ-02 position back in WGS-84 (unchanged outside China): fixed-point
 * iteration on the forward transform, which converges in a handful of steps
 * because the offset changes slowly with position.
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (outOfChina(lon, lat)) return [lon, lat];
  let wgsLon = lon;
  let wgsLat = lat;
  for (let step = 0; step < INVERSE_MAX_STEPS; step += 1) {
    const [gLon, gLat] = wgs84ToGcj02(wgsLon, wgsLat);
    const dLon = gLon - lon;
    const dLat = gLat - lat;
    wgsLon -= dLon;
    wgsLat -= dLat;
    if (Math.abs(dLon) < INVERSE_TOLERANCE_DEG && Math.abs(dLat) < INVERSE_TOLERANCE_DEG) break;
  }
  return [wgsLon, wgsLat];
}
