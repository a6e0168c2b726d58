import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RingClassifier, type RingClassifierOptions } from './classify/ring-classifier';
import type { FeatureCollection, Point, Polygon } from './geojson';
import type { RingCollection, ZoneCollection } from './rings';

export type * from './geojson';
export * from './rings';
export { RingClassifier, type Classification, type RingClassifierOptions } from './classify/ring-classifier';
export { PolygonGrid, type MultiPolygonCoords, type PolygonGridOptions } from './classify/polygon-grid';

export interface PlaceProperties {
  name: string;
  name_zh?: string;
  kind: string;
  side?: string;
  source: string;
  confidence: 'high' | 'medium' | 'low';
  uncertainty_km?: number;
}

/** Absolute path of a file in this package's `coast/` folder. */
export function coastFile(name: string): string {
  return fileURLToPath(new URL(`../coast/${name}`, import.meta.url));
}

/** Absolute path of a built file in this package's root (`rings.geojson`, `zones.geojson`). */
export function geodataFile(name: string): string {
  return fileURLToPath(new URL(`../${name}`, import.meta.url));
}

function readGeoJson<T>(name: string): T {
  return JSON.parse(readFileSync(coastFile(name), 'utf8')) as T;
}

/** Hainan main island, Natural Earth 1:10m land (public domain): the offline base layer of the map. */
export function loadLand(): FeatureCollection<Polygon> {
  return readGeoJson('hainan-island.geojson');
}

/** Ports and other coastal places with their sources and confidence. */
export function loadPlaces(): FeatureCollection<Point, PlaceProperties> {
  return readGeoJson('hainan-places.geojson');
}

/** The built rings and zones, and a content hash that changes exactly when either file does. */
export interface Geodata {
  rings: RingCollection;
  zones: ZoneCollection;
  /** sha256 (hex) of `rings.geojson` and `zones.geojson` as stored. */
  hash: string;
}

/** Reads `rings.geojson` and `zones.geojson` (made by `npm run geodata`). */
export function loadGeodata(): Geodata {
  const rings = readFileSync(geodataFile('rings.geojson'));
  const zones = readFileSync(geodataFile('zones.geojson'));
  const hash = createHash('sha256').update(rings).update('\n').update(zones).digest('hex');
  return { rings: JSON.parse(rings.toString('utf8')) as RingCollection, zones: JSON.parse(zones.toString('utf8')) as ZoneCollection, hash };
}

/** A classifier over the committed rings and zones. */
export function createClassifier(options?: RingClassifierOptions): RingClassifier {
  const { rings, zones } = loadGeodata();
  return new RingClassifier(rings, zones, options);
}

/** Centre and zoom that frame the island and its approaches. */
export const HAINAN_VIEW = { lon: 109.75, lat: 19.2, zoom: 7 } as const;
