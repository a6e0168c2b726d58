import type { TrackId } from '@seawall/contracts';

/** Ids bucketed by a lon/lat grid cell, to find the tracks near a point without scanning all of them. */
export class SpatialGrid {
  private readonly cells = new Map<string, Set<TrackId>>();
  private readonly cellOf = new Map<TrackId, string>();

  /** `cellDeg` must exceed the largest search radius (in degrees of latitude). */
  constructor(private readonly cellDeg = 0.02) {}

  private key(lon: number, lat: number): string {
    return `${Math.floor(lon / this.cellDeg)}:${Math.floor(lat / this.cellDeg)}`;
  }

  set(id: TrackId, lon: number, lat: number): void {
    const key = this.key(lon, lat);
    const old = this.cellOf.get(id);
    if (old === key) return;
    if (old) this.cells.get(old)?.delete(id);
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = new Set()));
    cell.add(id);
    this.cellOf.set(id, key);
  }

  delete(id: TrackId): void {
    const old = this.cellOf.get(id);
    if (old) this.cells.get(old)?.delete(id);
    this.cellOf.delete(id);
  }

  /** The grid's cells in insertion order, so a restored grid answers `near` in the same order. */
  snapshot(): [string, TrackId[]][] {
    return [...this.cells].filter(([, ids]) => ids.size > 0).map(([key, ids]) => [key, [...ids]]);
  }

  restoreFrom(cells: readonly [string, TrackId[]][]): void {
    this.cells.clear();
    this.cellOf.clear();
    for (const [key, ids] of cells) {
      this.cells.set(key, new Set(ids));
      for (const id of ids) this.cellOf.set(id, key);
    }
  }

  /** Ids in the cell of lon/lat and the eight around it. */
  *near(lon: number, lat: number): Generator<TrackId> {
    const cx = Math.floor(lon / this.cellDeg);
    const cy = Math.floor(lat / this.cellDeg);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const cell = this.cells.get(`${cx + dx}:${cy + dy}`);
        if (cell) yield* cell;
      }
    }
  }
}
