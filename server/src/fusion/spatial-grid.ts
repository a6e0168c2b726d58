import type { TrackId } from '@seawall/contracts';

/** One grid cell: its name as saved (`<x>:<y>`) and the ids in it, in insertion order. */
interface Cell {
  name: string;
  ids: Set<TrackId>;
}

// Cells are looked up by a number made of their two indices (a string key cost a string built and hashed for each
// of the nine cells of every lookup). |y| stays below 2^21 for any cell of at least MIN_CELL_DEG, and the whole
// number below 2^53.
const Y_SPAN = 2 ** 22;
const MIN_CELL_DEG = 1e-4;

/** Ids bucketed by a lon/lat grid cell, to find the tracks near a point without scanning all of them. */
export class SpatialGrid {
  private readonly cells = new Map<number, Cell>();
  private readonly cellOf = new Map<TrackId, number>();

  /** `cellDeg` must exceed the largest search radius (in degrees of latitude). */
  constructor(private readonly cellDeg = 0.02) {
    if (!(cellDeg >= MIN_CELL_DEG)) throw new Error(`grid cells of ${cellDeg}° are too small`);
  }

  private key(lon: number, lat: number): number {
    return cellKey(Math.floor(lon / this.cellDeg), Math.floor(lat / this.cellDeg));
  }

  set(id: TrackId, lon: number, lat: number): void {
    const key = this.key(lon, lat);
    const old = this.cellOf.get(id);
    if (old === key) return;
    if (old !== undefined) this.cells.get(old)?.ids.delete(id);
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = { name: `${Math.floor(lon / this.cellDeg)}:${Math.floor(lat / this.cellDeg)}`, ids: new Set() }));
    cell.ids.add(id);
    this.cellOf.set(id, key);
  }

  delete(id: TrackId): void {
    const old = this.cellOf.get(id);
    if (old !== undefined) this.cells.get(old)?.ids.delete(id);
    this.cellOf.delete(id);
  }

  /** The grid's cells in insertion order, so a restored grid answers `near` in the same order. */
  snapshot(): [string, TrackId[]][] {
    const out: [string, TrackId[]][] = [];
    for (const cell of this.cells.values()) if (cell.ids.size > 0) out.push([cell.name, [...cell.ids]]);
    return out;
  }

  restoreFrom(cells: readonly [string, TrackId[]][]): void {
    this.cells.clear();
    this.cellOf.clear();
    for (const [name, ids] of cells) {
      const [x, y] = name.split(':').map(Number) as [number, number];
      const key = cellKey(x, y);
      this.cells.set(key, { name, ids: new Set(ids) });
      for (const id of ids) this.cellOf.set(id, key);
    }
  }

  /** Ids in the cell of lon/lat and the eight around it, in that order (appended to `out`). */
  near(lon: number, lat: number, out: TrackId[] = []): TrackId[] {
    const cx = Math.floor(lon / this.cellDeg);
    const cy = Math.floor(lat / this.cellDeg);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.cells.get(cellKey(cx + dx, cy + dy));
        if (cell) for (const id of cell.ids) out.push(id);
      }
    }
    return out;
  }
}

function cellKey(x: number, y: number): number {
  return x * Y_SPAN + y;
}
