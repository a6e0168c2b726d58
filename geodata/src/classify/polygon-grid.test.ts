import { describe, expect, it } from 'vitest';
import type { Position } from '../geojson';
import { PolygonGrid, type MultiPolygonCoords } from './polygon-grid';

/** PostGIS's point_in_multipolygon (liblwgeom winding number), edge by edge with no index: the reference. */
function postgisCovers(mp: MultiPolygonCoords, px: number, py: number): boolean {
  const ring = (pts: readonly Position[]): number => {
    let wn = 0;
    for (let i = 0; i + 1 < pts.length; i++) {
      const [x1, y1] = pts[i]!;
      const [x2, y2] = pts[i + 1]!;
      if (x1 === x2 && y1 === y2) continue;
      const side = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
      if (side === 0 && px >= Math.min(x1, x2) && px <= Math.max(x1, x2) && py >= Math.min(y1, y2) && py <= Math.max(y1, y2)) return 0;
      if (y1 <= py && py < y2 && side > 0) wn++;
      else if (y2 <= py && py < y1 && side < 0) wn--;
    }
    return wn === 0 ? -1 : 1;
  };
  for (const poly of mp) {
    const ext = ring(poly[0]!);
    if (ext === 0) return true;
    if (ext === -1) continue;
    let inHole = false;
    for (const hole of poly.slice(1)) {
      const h = ring(hole);
      if (h === 0) return true;
      if (h === 1) {
        inHole = true;
        break;
      }
    }
    if (!inHole) return true;
  }
  return false;
}

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A wiggly closed ring around (cx, cy), counter-clockwise unless `cw`. */
function starRing(rand: () => number, cx: number, cy: number, r: number, n: number, cw = false): Position[] {
  const pts: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = ((cw ? -i : i) / n) * 2 * Math.PI;
    const rr = r * (0.6 + 0.4 * rand());
    pts.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  pts.push(pts[0]!);
  return pts;
}

const square = (x0: number, y0: number, x1: number, y1: number): Position[] => [
  [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0],
];

describe('PolygonGrid', () => {
  it('counts the boundary of exteriors and holes as covered, the inside of a hole as not', () => {
    const layer: MultiPolygonCoords = [[square(0, 0, 10, 10), square(4, 4, 6, 6)]];
    const grid = new PolygonGrid([layer], { cellDeg: 0.7 });
    expect(grid.covers(0, 5, 5)).toBe(false);
    expect(grid.covers(0, 4, 5)).toBe(true);
    expect(grid.covers(0, 0, 0)).toBe(true);
    expect(grid.covers(0, 10, 3.3)).toBe(true);
    expect(grid.covers(0, 2, 2)).toBe(true);
    expect(grid.covers(0, -0.0001, 2)).toBe(false);
    expect(grid.covers(0, 10.0001, 2)).toBe(false);
    expect(grid.first(Number.NaN, 1)).toBe(-1);
    expect(grid.all(5, 5)).toEqual([]);
  });

  it('returns the first covering layer in layer order, so a shared boundary goes to the earlier layer', () => {
    const a: MultiPolygonCoords = [[square(0, 0, 1, 1)]];
    const b: MultiPolygonCoords = [[square(1, 0, 2, 1)]];
    const grid = new PolygonGrid([a, b], { cellDeg: 0.25 });
    expect(grid.first(1, 0.5)).toBe(0);
    expect(grid.first(1.5, 0.5)).toBe(1);
    expect(grid.all(1, 0.5)).toEqual([0, 1]);
    expect(grid.first(3, 0.5)).toBe(-1);
  });

  it('agrees with the PostGIS winding-number rule on random, vertex, on-edge and near-edge points', () => {
    const rand = rng(42);
    const layers: MultiPolygonCoords[] = [
      [[starRing(rand, 0, 0, 5, 400), starRing(rand, 0, 0, 1.5, 90, true), starRing(rand, 1.8, 1.8, 0.4, 40, true)]],
      [[starRing(rand, 3, -1, 2, 300)], [starRing(rand, -4, 4, 1, 60)], [square(-6, -6, -5.5, -5.5)]],
      [[starRing(rand, 0, 0, 1.4, 200)]],
    ];
    const edges: [Position, Position][] = [];
    for (const layer of layers) for (const poly of layer) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) edges.push([ring[i]!, ring[i + 1]!]);

    // Points and PostGIS-rule answers once; then the same questions to grids of very different cell sizes.
    const points: { x: number; y: number; want: boolean[] }[] = [];
    let boundaryHits = 0;
    for (let i = 0; i < 20_000; i++) {
      let x: number;
      let y: number;
      const kind = i % 4;
      if (kind === 0) {
        x = -7 + 14 * rand();
        y = -7 + 14 * rand();
      } else {
        const [[x1, y1], [x2, y2]] = edges[Math.floor(rand() * edges.length)]!;
        const t = kind === 1 ? 0 : rand();
        x = x1 + t * (x2 - x1);
        y = y1 + t * (y2 - y1);
        if (kind === 3) {
          const d = 10 ** (-15 + 13 * rand());
          x += d * (rand() - 0.5);
          y += d * (rand() - 0.5);
        }
      }
      const want = layers.map((l) => postgisCovers(l, x, y));
      if (kind === 1 && want.some(Boolean)) boundaryHits++;
      points.push({ x, y, want });
    }
    expect(boundaryHits).toBe(5_000);

    for (const cellDeg of [0.03, 0.1, 0.9, 20]) {
      const grid = new PolygonGrid(layers, { cellDeg });
      let disagreements = 0;
      for (const { x, y, want } of points) {
        if (want.some((w, k) => grid.covers(k, x, y) !== w) || grid.first(x, y) !== want.indexOf(true)) disagreements++;
        if (grid.all(x, y).join() !== want.flatMap((w, k) => (w ? [k] : [])).join()) disagreements++;
      }
      expect({ cellDeg, disagreements }).toEqual({ cellDeg, disagreements: 0 });
    }
  });
});
