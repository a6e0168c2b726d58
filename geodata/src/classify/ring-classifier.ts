import type { Ring } from '@seawall/contracts';
import { RING_PRECEDENCE, type RingCollection, type ZoneCollection, type ZoneKind } from '../rings';
import { PolygonGrid } from './polygon-grid';

/** Ring and zones of one position. */
export interface Classification {
  ring: Ring;
  /** Ids of the zones that cover the position, in `zones.geojson` order. */
  zones: string[];
  /** True inside a port, anchorage or fishing-port zone: where normal traffic is expected. */
  inPortZone: boolean;
}

/** Zone kinds where normal traffic is expected. */
const PORT_KINDS: ReadonlySet<ZoneKind> = new Set(['port', 'anchorage', 'fishing-port']);

export interface RingClassifierOptions {
  /** Ring grid cell, degrees; 0.004° (about 420 m): under 2 % of the cells need exact tests, about 10 MB in all. */
  ringCellDeg?: number;
  /** Zone grid cell, degrees. */
  zoneCellDeg?: number;
}

/**
 * Which ring, and which zones, a position is in: pure and synchronous, no I/O after construction.
 * Answers are those of PostGIS `ST_Covers` on the same polygons (see {@link PolygonGrid}), with rings
 * taken in {@link RING_PRECEDENCE} order, so a point on the shared edge of two rings gets the shoreline.
 */
export class RingClassifier {
  readonly #rings: PolygonGrid;
  readonly #zones: PolygonGrid;
  readonly #zoneIds: readonly string[];
  readonly #portZone: readonly boolean[];

  constructor(rings: RingCollection, zones: ZoneCollection = { type: 'FeatureCollection', features: [] }, options: RingClassifierOptions = {}) {
    const byName = new Map(rings.features.map((f) => [f.properties.name, f]));
    this.#rings = new PolygonGrid(
      RING_PRECEDENCE.map((name) => {
        const feature = byName.get(name);
        if (!feature) throw new Error(`rings: no '${name}' feature`);
        return feature.geometry.coordinates;
      }),
      { cellDeg: options.ringCellDeg ?? 0.004 },
    );
    this.#zoneIds = zones.features.map((f) => f.properties.id);
    this.#portZone = zones.features.map((f) => PORT_KINDS.has(f.properties.kind));
    this.#zones = new PolygonGrid(
      zones.features.map((f) => f.geometry.coordinates),
      { cellDeg: options.zoneCellDeg ?? 0.01 },
    );
  }

  /** The ring at `lon`, `lat` (WGS 84 degrees); `outside` beyond the near-sea limit, on the mainland, or for NaN. */
  ring(lon: number, lat: number): Ring {
    const k = this.#rings.first(lon, lat);
    return k < 0 ? 'outside' : RING_PRECEDENCE[k]!;
  }

  /** Index into {@link RING_PRECEDENCE} of the ring, or -1 for outside: the allocation-free form for hot loops. */
  ringIndex(lon: number, lat: number): number {
    return this.#rings.first(lon, lat);
  }

  /** Ids of the zones covering the position. */
  zones(lon: number, lat: number): string[] {
    return this.#zones.all(lon, lat).map((k) => this.#zoneIds[k]!);
  }

  /** Ring and zones together; the shape the server's pipeline takes as its place lookup. */
  classify(lon: number, lat: number): Classification {
    const hits = this.#zones.all(lon, lat);
    return {
      ring: this.ring(lon, lat),
      zones: hits.map((k) => this.#zoneIds[k]!),
      inPortZone: hits.some((k) => this.#portZone[k]),
    };
  }

  /** Grid sizes, for benchmarks and tuning. */
  stats(): { rings: ReturnType<PolygonGrid['stats']>; zones: ReturnType<PolygonGrid['stats']> } {
    return { rings: this.#rings.stats(), zones: this.#zones.stats() };
  }
}
