import { describe, expect, it } from 'vitest';
import { normalizeLongitude, solveGeodesicDirect, WGS84, type Ellipsoid } from './geodesic-direct';

const dms = (d: number, m: number, s: number): number => Math.sign(d || 1) * (Math.abs(d) + m / 60 + s / 3600);
const ARCSEC = 1 / 3600;

const BESSEL: Ellipsoid = { a: 6_377_397.155, f: 1 / 299.1528128 };
const INTERNATIONAL: Ellipsoid = { a: 6_378_388, f: 1 / 297 };

describe('solveGeodesicDirect', () => {
  // Vincenty (1975), Survey Review 23(176), table II, lines (a)-(e): the published test geodesics, with
  // longitude difference L taken from a start at longitude 0. Lines (d) and (e) are near-antipodal.
  it.each([
    ['(a) Bessel', BESSEL, dms(55, 45, 0), dms(96, 36, 8.7996), 14_110_526.17, dms(-33, 26, 0), dms(108, 13, 0), dms(137, 52, 22.01454)],
    ['(b) International', INTERNATIONAL, dms(37, 19, 54.95367), dms(95, 27, 59.63089), 4_085_966.703, dms(26, 7, 42.83946), dms(41, 28, 35.50729), dms(118, 5, 58.96161)],
    ['(c) International', INTERNATIONAL, dms(35, 16, 11.24862), dms(15, 44, 23.7485), 8_084_823.839, dms(67, 22, 14.77638), dms(137, 47, 28.31435), dms(144, 55, 39.92147)],
    ['(d) International', INTERNATIONAL, dms(1, 0, 0), dms(89, 0, 0), 19_960_000, -dms(0, 59, 53.83076), dms(179, 17, 48.02997), dms(91, 0, 6.11733)],
    ['(e) International', INTERNATIONAL, dms(1, 0, 0), dms(4, 59, 59.99995), 19_780_006.558, dms(1, 1, 15.18952), dms(179, 46, 17.84244), dms(174, 59, 59.88481)],
  ])('reproduces Vincenty 1975 test line %s to 0.0001"', (_line, ellipsoid, lat1, azimuth, distance, lat2, lon2, azimuth2) => {
    const r = solveGeodesicDirect([0, lat1], azimuth, distance, ellipsoid);
    expect(Math.abs(r.position[1] - lat2)).toBeLessThan(1e-4 * ARCSEC);
    expect(Math.abs(r.position[0] - lon2)).toBeLessThan(1e-4 * ARCSEC);
    expect(Math.abs(r.finalAzimuthDeg - azimuth2)).toBeLessThan(1e-4 * ARCSEC);
  });

  // Expected values from PROJ 9.1.1 `geod +ellps=WGS84 -f %.11f` (GeographicLib's algorithm, Karney 2013, an
  // independent method): `echo "lat lon azimuth metres" | geod +ellps=WGS84 -f "%.11f"` prints lat2 lon2 and
  // the back azimuth. 1e-9 degree is about 0.1 mm.
  it.each([
    ['Haikou, 25.3 NM at 013.7°', [110.28, 20.02], 13.7, 46_855.6, [110.38633560621, 20.43116567933]],
    ['Haikou, 24 NM due north', [110.28, 20.02], 0, 44_448, [110.28, 20.42149201177]],
    ['Sanya, 12 km at 200°', [109.5, 18.23], 200, 12_000, [109.46121791742, 18.12811622195]],
    ['Yangpu, 12 NM due west', [109.18, 19.72], 270, 22_224, [108.96800149707, 19.71987467809]],
    ['Yangpu, 100 km at 135°', [109.18, 19.72], 135, 100_000, [109.85187681494, 19.07997197464]],
  ] as const)('agrees with GeographicLib on WGS-84: %s', (_name, origin, azimuth, distance, expected) => {
    const [lon, lat] = solveGeodesicDirect(origin, azimuth, distance).position;
    expect(Math.abs(lon - expected[0])).toBeLessThan(1e-9);
    expect(Math.abs(lat - expected[1])).toBeLessThan(1e-9);
  });

  it('returns the origin for zero distance and WGS-84 is the default ellipsoid', () => {
    const r = solveGeodesicDirect([110.28, 20.02], 42, 0);
    expect(r.position[0]).toBeCloseTo(110.28, 12);
    expect(r.position[1]).toBeCloseTo(20.02, 12);
    expect(solveGeodesicDirect([1, 2], 3, 4000, WGS84)).toEqual(solveGeodesicDirect([1, 2], 3, 4000));
  });

  it('wraps longitude across the antimeridian', () => {
    const [lon] = solveGeodesicDirect([179.9, 0], 90, 50_000).position;
    expect(lon).toBeLessThan(-179);
    expect(normalizeLongitude(180)).toBe(-180);
    expect(normalizeLongitude(-190)).toBeCloseTo(170, 12);
  });

  it('gives NaN rather than throwing on non-finite input', () => {
    expect(() => solveGeodesicDirect([Number.NaN, 20], 10, 1000)).not.toThrow();
    expect(solveGeodesicDirect([110, 20], 10, Number.POSITIVE_INFINITY).position.some(Number.isNaN)).toBe(true);
  });
});
