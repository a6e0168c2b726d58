import type { Ring } from '@seawall/contracts';
import type { FeatureCollection, MultiPolygon, Position } from './geojson';

/** The three rings that have an area; a point in none of them is `outside`. */
export type RingName = Exclude<Ring, 'outside'>;

/**
 * Order in which rings claim a point, as in `ST_Covers` evaluated in this order: the rings share their
 * boundaries (covered by both), and a point on a shared boundary belongs to the shoreline. Inland and
 * near-sea never touch.
 */
export const RING_PRECEDENCE: readonly RingName[] = ['shoreline', 'inland', 'near-sea'];

/** Chinese and English names, as the operators read them. */
export const RING_LABELS: Readonly<Record<RingName, { zh: string; en: string }>> = {
  'near-sea': { zh: '近海', en: 'near-sea' },
  shoreline: { zh: '岸线', en: 'shoreline' },
  inland: { zh: '岛内', en: 'inland' },
};

/** Properties of a feature of `rings.geojson`. */
export interface RingProperties {
  name: RingName;
  name_zh: string;
  definition: string;
  vertices: number;
  area_km2: number;
}

export const ZONE_KINDS = ['port', 'anchorage', 'fishing-port', 'station', 'patrol-base'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/** Properties of a feature of `zones.geojson`. */
export interface ZoneProperties {
  id: string;
  kind: ZoneKind;
  name: string;
  name_zh: string;
  /** Centre of the zone circle, [lon, lat]. */
  center: Position;
  radius_m: number;
  /** True when the position or extent only illustrates (the real one is not public). */
  illustrative: boolean;
  /** Confidence of the underlying place coordinate, from `hainan-places.geojson`. */
  confidence: 'high' | 'medium' | 'low';
  source: string;
  note?: string;
}

export type RingCollection = FeatureCollection<MultiPolygon, RingProperties>;
export type ZoneCollection = FeatureCollection<MultiPolygon, ZoneProperties>;
