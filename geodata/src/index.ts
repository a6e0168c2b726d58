import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FeatureCollection, Point, Polygon } from './geojson';

export type * from './geojson';

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

/** Centre and zoom that frame the island and its approaches. */
export const HAINAN_VIEW = { lon: 109.75, lat: 19.2, zoom: 7 } as const;
