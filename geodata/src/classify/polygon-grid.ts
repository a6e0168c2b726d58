import type { Position } from '../geojson';

/** The coordinates of one MultiPolygon: polygons → rings (exterior first, then holes) → [lon, lat]. */
export type MultiPolygonCoords = readonly (readonly (readonly Position[])[])[];

export interface PolygonGridOptions {
  /** Cell edge in degrees (both axes). Smaller cells: fewer exact tests, more memory. */
  cellDeg: number;
}

/**
 * Cells are widened by this much (degrees, about 0.1 mm) on every side when deciding which edges are
 * "near" a cell. Far edges are then at least this far from any point of the cell, which is twelve orders
 * of magnitude above the rounding error of the side test, so their effect can be decided geometrically.
 */
const MARGIN = 1e-9;
/** The grid extends this much past the layers' bounding box so every covered point has a cell. */
const PAD = 1e-6;

const BOUNDARY = 0;
const INSIDE = 1;
const OUTSIDE = -1;

/** `cellFirst` value: the cell needs exact tests. */
const MIXED = -2;
/** Layer code in a cell program: the layer covers the whole cell. */
const COVERED = -1;

/**
 * Point-in-MultiPolygon for several layers at once, in constant time per point, that answers exactly
 * what PostGIS `ST_Covers(layer, point)` answers (PostGIS 3.3 r-tree and 3.5+ interval-tree paths alike).
 *
 * PostGIS decides with Sunday's winding number and the side determinant
 * `(x2 - x1) * (py - y1) - (px - x1) * (y2 - y1)` evaluated in plain doubles, a point with side exactly 0
 * inside the edge's bounding box being on the boundary (covered). This class evaluates the same
 * expression in the same order, so even points on or within one ulp of an edge get PostGIS's answer. A
 * robust (exact) orientation predicate would be "more correct" there and would therefore disagree with
 * PostGIS; agreement with the database is the contract here.
 *
 * Speed comes from a uniform grid: a cell that no edge comes near is wholly inside or outside each layer
 * (decided once at build time); in the other cells only the edges near the cell and the few edges to its
 * right that end inside its row are tested, and edges to the right that span the whole row add a
 * precomputed winding. The cost per point does not grow with the number of vertices.
 */
export class PolygonGrid {
  readonly layerCount: number;
  readonly #x0: number;
  readonly #y0: number;
  readonly #x1: number;
  readonly #y1: number;
  readonly #inv: number;
  readonly #nx: number;
  readonly #ny: number;
  /** Per cell: first covering layer when constant (-1: none), or MIXED. */
  readonly #first: Int16Array;
  /** Per cell: offset of its program in #prog, or -1 when no layer touches the cell. */
  readonly #cell: Int32Array;
  /** Cell programs `[n, (layer, code) × n]` and layer programs `[nPolys, (nRings, (base, nEdges, edge…)…)…]`. */
  readonly #prog: Int32Array;
  /** Edges as x1, y1, x2, y2, in ring order. */
  readonly #edges: Float64Array;

  constructor(layers: readonly MultiPolygonCoords[], options: PolygonGridOptions) {
    if (layers.length > 32_000) throw new RangeError('too many layers');
    this.layerCount = layers.length;
    const flat = flatten(layers);
    this.#edges = flat.edges;
    const w = options.cellDeg;
    this.#inv = 1 / w;
    this.#x0 = flat.minX - PAD;
    this.#y0 = flat.minY - PAD;
    this.#nx = Math.max(1, Math.ceil((flat.maxX + PAD - this.#x0) / w));
    this.#ny = Math.max(1, Math.ceil((flat.maxY + PAD - this.#y0) / w));
    this.#x1 = this.#x0 + this.#nx * w;
    this.#y1 = this.#y0 + this.#ny * w;
    const built = buildCells(flat, this.#x0, this.#y0, w, this.#nx, this.#ny);
    this.#first = built.first;
    this.#cell = built.cell;
    this.#prog = built.prog;
  }

  /** Grid size and how much of it needs exact tests (for benchmarks and tuning). */
  stats(): { cells: number; mixedCells: number; programInts: number; edges: number } {
    let mixedCells = 0;
    for (const f of this.#first) if (f === MIXED) mixedCells++;
    return { cells: this.#first.length, mixedCells, programInts: this.#prog.length, edges: this.#edges.length / 4 };
  }

  /** The lowest-numbered layer that covers the point, or -1 (also for NaN/∞ and points off the grid). */
  first(lon: number, lat: number): number {
    if (!(lon >= this.#x0 && lon < this.#x1 && lat >= this.#y0 && lat < this.#y1)) return -1;
    const c = this.#cellIndex(lon, lat);
    const f = this.#first[c]!;
    if (f !== MIXED) return f;
    const prog = this.#prog;
    let o = this.#cell[c]!;
    for (let n = prog[o++]!; n > 0; n--, o += 2) {
      const code = prog[o + 1]!;
      if (code === COVERED || this.#evalLayer(code, lon, lat)) return prog[o]!;
    }
    return -1;
  }

  /** Whether layer `layer` covers the point (PostGIS `ST_Covers`). */
  covers(layer: number, lon: number, lat: number): boolean {
    if (!(lon >= this.#x0 && lon < this.#x1 && lat >= this.#y0 && lat < this.#y1)) return false;
    const prog = this.#prog;
    let o = this.#cell[this.#cellIndex(lon, lat)]!;
    if (o < 0) return false;
    for (let n = prog[o++]!; n > 0; n--, o += 2) {
      if (prog[o] !== layer) continue;
      const code = prog[o + 1]!;
      return code === COVERED || this.#evalLayer(code, lon, lat);
    }
    return false;
  }

  /** Every layer that covers the point, in layer order. */
  all(lon: number, lat: number): number[] {
    const out: number[] = [];
    if (!(lon >= this.#x0 && lon < this.#x1 && lat >= this.#y0 && lat < this.#y1)) return out;
    const prog = this.#prog;
    let o = this.#cell[this.#cellIndex(lon, lat)]!;
    if (o < 0) return out;
    for (let n = prog[o++]!; n > 0; n--, o += 2) {
      const code = prog[o + 1]!;
      if (code === COVERED || this.#evalLayer(code, lon, lat)) out.push(prog[o]!);
    }
    return out;
  }

  #cellIndex(lon: number, lat: number): number {
    // Rounding can push a point on the last line one cell too far; cells are widened by MARGIN, so the
    // clamped cell still holds it.
    const cx = Math.min(Math.floor((lon - this.#x0) * this.#inv), this.#nx - 1);
    const cy = Math.min(Math.floor((lat - this.#y0) * this.#inv), this.#ny - 1);
    return cy * this.#nx + cx;
  }

  /** PostGIS's multipolygon loop: boundary of any ring tested is a hit; inside an exterior and in no hole is a hit. */
  #evalLayer(o: number, px: number, py: number): boolean {
    const prog = this.#prog;
    for (let polys = prog[o++]!; polys > 0; polys--) {
      let rings = prog[o++]!;
      let r = evalRing(prog, this.#edges, o, px, py);
      o += 2 + prog[o + 1]!;
      rings--;
      if (r === BOUNDARY) return true;
      if (r === INSIDE) {
        let inHole = false;
        for (; rings > 0; rings--) {
          r = evalRing(prog, this.#edges, o, px, py);
          o += 2 + prog[o + 1]!;
          if (r === BOUNDARY) return true;
          if (r === INSIDE) {
            inHole = true;
            rings--;
            break;
          }
        }
        if (!inHole) return true;
      }
      for (; rings > 0; rings--) o += 2 + prog[o + 1]!;
    }
    return false;
  }
}

/** Winding number of one ring (precomputed part + the listed edges), PostGIS arithmetic. */
function evalRing(prog: Int32Array, edges: Float64Array, o: number, px: number, py: number): number {
  let wn = prog[o]!;
  const end = o + 2 + prog[o + 1]!;
  for (let i = o + 2; i < end; i++) {
    const e = prog[i]! * 4;
    const x1 = edges[e]!;
    const y1 = edges[e + 1]!;
    const x2 = edges[e + 2]!;
    const y2 = edges[e + 3]!;
    const side = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
    if (side === 0) {
      if ((x1 < x2 ? x1 <= px && px <= x2 : x2 <= px && px <= x1) && (y1 < y2 ? y1 <= py && py <= y2 : y2 <= py && py <= y1)) {
        return BOUNDARY;
      }
    } else if (side > 0) {
      if (y1 <= py && py < y2) wn++;
    } else if (y2 <= py && py < y1) wn--;
  }
  return wn !== 0 ? INSIDE : OUTSIDE;
}

interface FlatLayers {
  /** x1, y1, x2, y2 per edge; zero-length edges are left out, as PostGIS skips them. */
  edges: Float64Array;
  /** Per edge: its ring. */
  edgeRing: Int32Array;
  /** Per ring: layer, polygon (global), whether exterior. */
  ringLayer: Int32Array;
  ringPoly: Int32Array;
  /** Per polygon: its layer and first ring; rings of a polygon are consecutive. */
  polyLayer: Int32Array;
  polyFirstRing: Int32Array;
  polyRingCount: Int32Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function flatten(layers: readonly MultiPolygonCoords[]): FlatLayers {
  const edges: number[] = [];
  const edgeRing: number[] = [];
  const ringLayer: number[] = [];
  const ringPoly: number[] = [];
  const polyLayer: number[] = [];
  const polyFirstRing: number[] = [];
  const polyRingCount: number[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  layers.forEach((polys, layer) => {
    for (const rings of polys) {
      if (rings.length === 0) continue;
      const poly = polyLayer.length;
      polyLayer.push(layer);
      polyFirstRing.push(ringLayer.length);
      polyRingCount.push(rings.length);
      for (const ring of rings) {
        if (ring.length < 4) throw new RangeError('a polygon ring needs at least 4 positions');
        const r = ringLayer.length;
        ringLayer.push(layer);
        ringPoly.push(poly);
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1, y1] = ring[i]!;
          const [x2, y2] = ring[i + 1]!;
          if (![x1, y1, x2, y2].every(Number.isFinite)) throw new RangeError('non-finite coordinate');
          minX = Math.min(minX, x1);
          maxX = Math.max(maxX, x1);
          minY = Math.min(minY, y1);
          maxY = Math.max(maxY, y1);
          if (x1 === x2 && y1 === y2) continue;
          edges.push(x1, y1, x2, y2);
          edgeRing.push(r);
        }
      }
    }
  });
  if (edgeRing.length === 0) minX = minY = maxX = maxY = 0;
  return {
    edges: Float64Array.from(edges),
    edgeRing: Int32Array.from(edgeRing),
    ringLayer: Int32Array.from(ringLayer),
    ringPoly: Int32Array.from(ringPoly),
    polyLayer: Int32Array.from(polyLayer),
    polyFirstRing: Int32Array.from(polyFirstRing),
    polyRingCount: Int32Array.from(polyRingCount),
    minX,
    minY,
    maxX,
    maxY,
  };
}

/** One edge seen from one grid row: it comes near columns c0..c1 and lies to the right of every column before c0. */
interface RowEdge {
  edge: number;
  c0: number;
  c1: number;
}

function buildCells(flat: FlatLayers, x0: number, y0: number, w: number, nx: number, ny: number) {
  const { edges, edgeRing, ringLayer } = flat;
  const edgeCount = edgeRing.length;
  const rows: RowEdge[][] = Array.from({ length: ny }, () => []);
  for (let e = 0; e < edgeCount; e++) {
    const ex1 = edges[e * 4]!;
    const ey1 = edges[e * 4 + 1]!;
    const ex2 = edges[e * 4 + 2]!;
    const ey2 = edges[e * 4 + 3]!;
    const ymin = Math.min(ey1, ey2);
    const ymax = Math.max(ey1, ey2);
    const r0 = Math.max(0, Math.floor((ymin - MARGIN - y0) / w));
    const r1 = Math.min(ny - 1, Math.floor((ymax + MARGIN - y0) / w));
    for (let r = r0; r <= r1; r++) {
      // The part of the edge inside the row's widened band, as an x range.
      const lo = Math.max(ymin, y0 + r * w - MARGIN);
      const hi = Math.min(ymax, y0 + (r + 1) * w + MARGIN);
      let xa: number;
      let xb: number;
      if (ey1 === ey2) {
        xa = ex1;
        xb = ex2;
      } else {
        xa = ex1 + ((lo - ey1) / (ey2 - ey1)) * (ex2 - ex1);
        xb = ex1 + ((hi - ey1) / (ey2 - ey1)) * (ex2 - ex1);
      }
      const c0 = Math.max(0, Math.floor((Math.min(xa, xb) - MARGIN - x0) / w));
      const c1 = Math.min(nx - 1, Math.floor((Math.max(xa, xb) + MARGIN - x0) / w));
      rows[r]!.push({ edge: e, c0, c1 });
    }
  }

  const first = new Int16Array(nx * ny).fill(-1);
  const cell = new Int32Array(nx * ny).fill(-1);
  const prog = new GrowableInt32();
  const layerCount = flat.polyLayer.reduce((n, layer) => Math.max(n, layer + 1), 0);
  // Per row and layer: each column's state; COVERED, uniform-out (-2) or a layer-program offset.
  const UNIFORM_OUT = -2;
  const state = Array.from({ length: layerCount }, () => new Int32Array(nx));
  const near = new Uint8Array(nx);

  for (let r = 0; r < ny; r++) {
    const row = rows[r]!;
    const byLayer = new Map<number, RowEdge[]>();
    for (const re of row) {
      const layer = ringLayer[edgeRing[re.edge]!]!;
      let list = byLayer.get(layer);
      if (!list) byLayer.set(layer, (list = []));
      list.push(re);
    }
    if (byLayer.size === 0) continue;
    const layersHere = [...byLayer.keys()].sort((a, b) => a - b);
    const yMid = y0 + (r + 0.5) * w;
    for (const layer of layersHere) {
      const list = byLayer.get(layer)!;
      const st = state[layer]!;
      near.fill(0);
      for (const re of list) near.fill(1, re.c0, re.c1 + 1);
      let runValue = 0;
      for (let c = 0; c < nx; c++) {
        if (near[c]) {
          st[c] = compileLayer(flat, list, c, y0 + r * w - MARGIN, y0 + (r + 1) * w + MARGIN, prog);
          continue;
        }
        // A run of cells no edge comes near is all inside or all outside: test its first cell's centre.
        if (c === 0 || near[c - 1]) runValue = coversExact(flat, list, x0 + (c + 0.5) * w, yMid) ? COVERED : UNIFORM_OUT;
        st[c] = runValue;
      }
    }
    for (let c = 0; c < nx; c++) {
      const entries: number[] = [];
      for (const layer of layersHere) {
        const v = state[layer]![c]!;
        if (v !== UNIFORM_OUT) entries.push(layer, v);
      }
      if (entries.length === 0) continue;
      const idx = r * nx + c;
      cell[idx] = prog.length;
      prog.push(entries.length / 2, ...entries);
      first[idx] = entries[1] === COVERED ? entries[0]! : MIXED;
    }
  }
  return { first, cell, prog: prog.toArray() };
}

/**
 * The layer program of one cell: the layer's polygons that may contain a point of the cell, each with the
 * rings whose winding can be non-zero there. An edge right of the cell that spans the whole widened row
 * adds its direction to the ring's base winding (it crosses every point's rightward ray, far from the
 * point); an edge right of the cell that ends inside the row, or one near the cell, is tested exactly.
 * Edges left of the cell never count.
 */
function compileLayer(flat: FlatLayers, list: readonly RowEdge[], c: number, bandLo: number, bandHi: number, prog: GrowableInt32): number {
  const { edges, edgeRing, ringPoly, polyFirstRing, polyRingCount } = flat;
  const perRing = new Map<number, { base: number; tested: number[] }>();
  for (const re of list) {
    if (c > re.c1) continue;
    const ring = edgeRing[re.edge]!;
    let acc = perRing.get(ring);
    if (!acc) perRing.set(ring, (acc = { base: 0, tested: [] }));
    const y1 = edges[re.edge * 4 + 1]!;
    const y2 = edges[re.edge * 4 + 3]!;
    if (c < re.c0 && Math.min(y1, y2) <= bandLo && Math.max(y1, y2) > bandHi) acc.base += y1 < y2 ? 1 : -1;
    else acc.tested.push(re.edge);
  }
  const polys = [...new Set([...perRing.keys()].map((ring) => ringPoly[ring]!))].sort((a, b) => a - b);
  const start = prog.length;
  prog.push(0);
  let polyCount = 0;
  for (const poly of polys) {
    const firstRing = polyFirstRing[poly]!;
    const ext = perRing.get(firstRing);
    // An exterior with nothing to its right has winding 0 here: PostGIS moves on to the next polygon.
    if (!ext || (ext.base === 0 && ext.tested.length === 0)) continue;
    const rings = [firstRing];
    for (let k = 1; k < polyRingCount[poly]!; k++) {
      const hole = perRing.get(firstRing + k);
      if (hole && (hole.base !== 0 || hole.tested.length > 0)) rings.push(firstRing + k);
    }
    prog.push(rings.length);
    for (const ring of rings) {
      const acc = perRing.get(ring)!;
      prog.push(acc.base, acc.tested.length, ...acc.tested);
    }
    polyCount++;
  }
  if (polyCount === 0) {
    prog.truncate(start);
    return -2;
  }
  prog.set(start, polyCount);
  return start;
}

/** ST_Covers for a point no edge comes near, from the edges of its row (all that can cross its ray). */
function coversExact(flat: FlatLayers, rowEdges: readonly RowEdge[], px: number, py: number): boolean {
  const { edges, edgeRing, ringPoly, polyFirstRing, polyRingCount } = flat;
  const wn = new Map<number, number>();
  for (const { edge } of rowEdges) {
    const e = edge * 4;
    const x1 = edges[e]!;
    const y1 = edges[e + 1]!;
    const x2 = edges[e + 2]!;
    const y2 = edges[e + 3]!;
    const side = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
    let d = 0;
    if (side > 0 && y1 <= py && py < y2) d = 1;
    else if (side < 0 && y2 <= py && py < y1) d = -1;
    if (d !== 0) wn.set(edgeRing[edge]!, (wn.get(edgeRing[edge]!) ?? 0) + d);
  }
  const polys = new Set([...wn.keys()].map((ring) => ringPoly[ring]!));
  for (const poly of polys) {
    const firstRing = polyFirstRing[poly]!;
    if (!wn.get(firstRing)) continue;
    let inHole = false;
    for (let k = 1; k < polyRingCount[poly]! && !inHole; k++) inHole = !!wn.get(firstRing + k);
    if (!inHole) return true;
  }
  return false;
}

class GrowableInt32 {
  #buf = new Int32Array(1024);
  length = 0;
  push(...values: number[]): void {
    if (this.length + values.length > this.#buf.length) {
      const next = new Int32Array(Math.max(this.#buf.length * 2, this.length + values.length));
      next.set(this.#buf);
      this.#buf = next;
    }
    this.#buf.set(values, this.length);
    this.length += values.length;
  }
  set(i: number, v: number): void {
    this.#buf[i] = v;
  }
  truncate(n: number): void {
    this.length = n;
  }
  toArray(): Int32Array {
    return this.#buf.slice(0, this.length);
  }
}
