import type { RiskLevel } from '@seawall/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, setLanguage } from '../i18n/i18n';
import { RISK_COLORS, cssColor } from './risk-colors';
import { RISK_PERIODS, binAlerts, riskBinsToGeoJSON, type BinnableAlert, type RiskBin } from './risk-layer';

/** Haversine distance in metres on a 6371 km sphere. */
function distanceM([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** Ray casting: is the point inside the (closed) ring? */
function inside([x, y]: [number, number], ring: [number, number][]): boolean {
  let within = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) within = !within;
  }
  return within;
}

const alert = (lon: number, lat: number, level: RiskLevel = 'blue'): BinnableAlert => ({ lon, lat, level });

/** A reproducible scatter over Hainan's waters (a linear congruential generator, so no test depends on chance). */
function scatter(n: number): BinnableAlert[] {
  let seed = 12345;
  const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const levels: RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];
  return Array.from({ length: n }, () => alert(108.5 + next() * 2.7, 18 + next() * 2.3, levels[Math.floor(next() * 4)]!));
}

describe('binning alerts into hexagons', () => {
  it('puts two alerts a few hundred metres apart, away from the edges, in one hexagon', () => {
    const [bin] = binAlerts([alert(110.0, 19.0), alert(110.003, 19.002)], 5000, { referenceLatDeg: 19 });
    const center = bin!.center;
    // Both sit within 1 km of the centre of a 5 km hexagon only if they are in the same one.
    const bins = binAlerts([alert(...center), alert(center[0] + 0.004, center[1] + 0.003)], 5000, { referenceLatDeg: 19 });
    expect(bins).toHaveLength(1);
    expect(bins[0]!.count).toBe(2);
  });

  it('puts alerts 20 km apart in different hexagons', () => {
    expect(binAlerts([alert(110.0, 19.0), alert(110.19, 19.0)], 5000)).toHaveLength(2);
  });

  it('makes hexagons of the given radius on the ground at the reference latitude', () => {
    const [bin] = binAlerts([alert(109.75, 19.2)], 5000, { referenceLatDeg: 19.2 });
    // Within 0.5 %: the check measures on a 6371 km sphere, the chart is Web Mercator on 6378 km.
    for (const corner of bin!.polygon.slice(0, 6)) expect(Math.abs(distanceM(bin!.center, corner) - 5000)).toBeLessThan(25);
    expect(bin!.polygon).toHaveLength(7);
    expect(bin!.polygon[6]).toEqual(bin!.polygon[0]);
  });

  it('puts every alert inside its own hexagon, and in the hexagon whose centre is nearest', () => {
    const alerts = scatter(250);
    const bins = binAlerts(alerts, 5000);
    const byPosition = new Map<string, RiskBin>();
    for (const bin of bins) for (const a of alerts) if (inside([a.lon, a.lat], bin.polygon)) byPosition.set(`${a.lon},${a.lat}`, bin);
    expect(byPosition.size).toBe(alerts.length);
    expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(alerts.length);
    for (const a of alerts) {
      const own = byPosition.get(`${a.lon},${a.lat}`)!;
      const ownDistance = distanceM([a.lon, a.lat], own.center);
      for (const other of bins) expect(ownDistance).toBeLessThanOrEqual(distanceM([a.lon, a.lat], other.center) + 1);
    }
  });

  it('tiles without gaps: the hexagon east of another shares its two eastern corners', () => {
    const [a] = binAlerts([alert(110.0, 19.0)], 5000);
    // Pointy-top hexagons: corner 0 lies at -30°, so its longitude offset is the apothem.
    const apothemDeg = a!.polygon[0]![0] - a!.center[0];
    const [b] = binAlerts([alert(a!.center[0] + 1.2 * apothemDeg, a!.center[1])], 5000);
    expect(b!.id).not.toBe(a!.id);
    const shared = a!.polygon.slice(0, 6).filter((p) => b!.polygon.some((q) => distanceM(p, q) < 0.01));
    expect(shared).toHaveLength(2);
  });

  it('colours a hexagon by the highest level of its alerts, whatever their order', () => {
    const levels: RiskLevel[] = ['blue', 'yellow', 'red', 'orange', 'blue'];
    for (const order of [levels, [...levels].reverse()]) {
      const [bin] = binAlerts(order.map((level) => alert(110.0, 19.0, level)), 5000);
      expect(bin).toMatchObject({ level: 'red', count: 5, counts: { red: 1, orange: 1, yellow: 1, blue: 2 } });
    }
    expect(binAlerts([alert(110, 19, 'blue'), alert(110, 19, 'yellow')], 5000)[0]!.level).toBe('yellow');
    expect(binAlerts([alert(110, 19, 'yellow'), alert(110, 19, 'orange')], 5000)[0]!.level).toBe('orange');
  });

  it('lists the highest levels first, then the busiest', () => {
    const bins = binAlerts([alert(110, 19, 'blue'), alert(110, 19, 'blue'), alert(110.5, 19, 'orange'), alert(111, 19, 'blue')], 5000);
    expect(bins.map((b) => [b.level, b.count])).toEqual([
      ['orange', 1],
      ['blue', 2],
      ['blue', 1],
    ]);
  });

  it('leaves out alerts without a usable position', () => {
    expect(binAlerts([alert(Number.NaN, 19), alert(110, Number.POSITIVE_INFINITY), alert(110, 89.9), alert(110, 19)], 5000)).toHaveLength(1);
  });

  it('refuses a radius that is not positive', () => {
    expect(() => binAlerts([], 0)).toThrow(RangeError);
  });
});

describe('risk hexagons as GeoJSON', () => {
  it('carries the level colour from risk-colors and the counts per level', () => {
    const bins = binAlerts([alert(110, 19, 'red'), alert(110, 19, 'blue')], 5000);
    const [feature] = riskBinsToGeoJSON(bins).features;
    expect(feature!.properties).toMatchObject({ level: 'red', count: 2, color: cssColor(RISK_COLORS.red), n_red: 1, n_blue: 1, n_orange: 0 });
    expect(feature!.geometry.coordinates[0]).toEqual(bins[0]!.polygon);
  });

  it('draws the outline through the display transform', () => {
    const bins = binAlerts([alert(110, 19)], 5000);
    const [feature] = riskBinsToGeoJSON(bins, (lon, lat) => [lon + 1, lat]).features;
    expect(feature!.geometry.coordinates[0]![0]).toEqual([bins[0]!.polygon[0]![0] + 1, bins[0]!.polygon[0]![1]]);
  });
});

describe('risk map periods', () => {
  afterEach(() => setLanguage(DEFAULT_LANGUAGE));

  it('are named in the language on screen', () => {
    expect(RISK_PERIODS.map((p) => p.label())).toEqual(['24 小时', '7 天', '30 天']);
    setLanguage('en');
    expect(RISK_PERIODS.map((p) => p.label())).toEqual(['24 h', '7 d', '30 d']);
    expect(RISK_PERIODS.map((p) => p.ms)).toEqual([24 * 3_600_000, 7 * 24 * 3_600_000, 30 * 24 * 3_600_000]);
  });
});
