import type { FeatureCollection, LineString } from 'geojson';

export interface GraticuleBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * Meridians and parallels every `stepDeg` degrees inside the bounds, as
 * GeoJSON lines (`[lon, lat]`), built here so the chart needs no tiles.
 * Each line carries `major: true` on whole degrees.
 */
export function buildGraticule(bounds: GraticuleBounds, stepDeg: number): FeatureCollection<LineString> {
  if (!(stepDeg > 0)) throw new RangeError(`graticule step must be positive, got ${stepDeg}`);
  const features: FeatureCollection<LineString>['features'] = [];
  const isMajor = (deg: number): boolean => Math.abs(deg - Math.round(deg)) < 1e-9;
  const first = (from: number): number => Math.ceil(from / stepDeg - 1e-9) * stepDeg;
  for (let lon = first(bounds.west); lon <= bounds.east + 1e-9; lon += stepDeg) {
    const x = Number(lon.toFixed(6));
    features.push({
      type: 'Feature',
      properties: { major: isMajor(x) },
      geometry: { type: 'LineString', coordinates: [[x, bounds.south], [x, bounds.north]] },
    });
  }
  for (let lat = first(bounds.south); lat <= bounds.north + 1e-9; lat += stepDeg) {
    const y = Number(lat.toFixed(6));
    features.push({
      type: 'Feature',
      properties: { major: isMajor(y) },
      geometry: { type: 'LineString', coordinates: [[bounds.west, y], [bounds.east, y]] },
    });
  }
  return { type: 'FeatureCollection', features };
}
