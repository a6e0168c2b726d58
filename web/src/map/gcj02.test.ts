import { describe, expect, it } from 'vitest';
import { gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from './gcj02';

/** Great-circle distance in metres (haversine on a 6371 km sphere): enough to judge metre-level errors. */
function distanceM([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/**
 * Published reference pairs, [wgsLon, wgsLat, gcjLon, gcjLat]: the first three from eviltransform's test
 * fixtures (Shanghai, Shenzhen, Beijing), the fourth from coordtransform's README (116.404, 39.915).
 */
const REFERENCE: readonly (readonly [string, number, number, number, number])[] = [
  ['Shanghai', 121.5272106, 31.1774276, 121.531541859215, 31.17530398364597],
  ['Shenzhen', 113.912316, 22.543847, 113.9171764808363, 22.540796131694766],
  ['Beijing', 116.377817, 39.911954, 116.38404722455657, 39.91334545536069],
  ['Tiananmen', 116.404, 39.915, 116.41024449916938, 39.91640428150164],
];

describe('WGS-84 to GCJ-02', () => {
  it.each(REFERENCE)('matches the published pair for %s', (_name, wLon, wLat, gLon, gLat) => {
    const [lon, lat] = wgs84ToGcj02(wLon, wLat);
    expect(lon).toBeCloseTo(gLon, 9);
    expect(lat).toBeCloseTo(gLat, 9);
  });

  it.each(REFERENCE)('brings the GCJ-02 position of %s back to WGS-84 within a centimetre', (_name, wLon, wLat, gLon, gLat) => {
    expect(distanceM(gcj02ToWgs84(gLon, gLat), [wLon, wLat])).toBeLessThan(0.01);
  });

  it('shifts Haikou by a few hundred metres, as the tile providers do', () => {
    const haikou: [number, number] = [110.33, 20.03];
    const shift = distanceM(wgs84ToGcj02(...haikou), haikou);
    expect(shift).toBeGreaterThan(200);
    expect(shift).toBeLessThan(900);
  });

  it('round-trips every point of a grid over Hainan and the strait within a metre', () => {
    let worst = 0;
    for (let lon = 107.5; lon <= 112; lon += 0.25) {
      for (let lat = 17; lat <= 21.5; lat += 0.25) {
        const back = gcj02ToWgs84(...wgs84ToGcj02(lon, lat));
        worst = Math.max(worst, distanceM(back, [lon, lat]));
      }
    }
    expect(worst).toBeLessThan(1);
  });

  it.each([
    ['Denver', -104.9903, 39.7392],
    ['Brisbane', 153.0251, -27.4698],
    ['Rio de Janeiro', -43.1729, -22.9068],
    ['London', -0.1276, 51.5072],
  ])('leaves %s, outside China, unchanged both ways', (_name, lon, lat) => {
    expect(outOfChina(lon, lat)).toBe(true);
    expect(wgs84ToGcj02(lon, lat)).toEqual([lon, lat]);
    expect(gcj02ToWgs84(lon, lat)).toEqual([lon, lat]);
  });
});
