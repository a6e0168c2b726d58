/** The few GeoJSON (RFC 7946) shapes the project uses, positions as [lon, lat]. */
export type Position = [number, number] | [number, number, number];
export interface Point { type: 'Point'; coordinates: Position }
export interface LineString { type: 'LineString'; coordinates: Position[] }
export interface Polygon { type: 'Polygon'; coordinates: Position[][] }
export interface MultiPolygon { type: 'MultiPolygon'; coordinates: Position[][][] }
export type Geometry = Point | LineString | Polygon | MultiPolygon;
export interface Feature<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'Feature';
  id?: string | number;
  properties: P;
  geometry: G;
}
export interface FeatureCollection<G extends Geometry = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}
