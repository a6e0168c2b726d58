import type { StyleSpecification } from 'maplibre-gl';
import { buildGraticule } from './graticule';
import { ringLayers, zoneLayers } from './ring-layers';

export interface BaseStyleOptions {
  /** Absolute URL of the land GeoJSON (the map's worker cannot resolve a relative one). */
  landUrl: string;
  /** Absolute URLs of the rings and zones GeoJSON; without them the map has no rings. */
  ringsUrl?: string;
  zonesUrl?: string;
}

/** The chart's palette; CSS uses the same values (styles/app.css). */
export const CHART_COLORS = {
  sea: '#07131f',
  graticuleMinor: '#0f2334',
  graticuleMajor: '#17324a',
  land: '#16232c',
  coast: '#3d7f86',
} as const;

/** Hainan, the Gulf of Tonkin and the Qiongzhou Strait, with room to zoom out. */
const GRATICULE_BOUNDS = { west: 100, south: 10, east: 120, north: 28 };

/**
 * An offline base map: sea, a graticule, the island, the rings and zones, all from our own server.
 * No tiles, glyphs or sprites are referenced, so the page works with no
 * internet at all; a tile style can be layered in later as configuration.
 */
export function createBaseStyle({ landUrl, ringsUrl, zonesUrl }: BaseStyleOptions): StyleSpecification {
  return {
    version: 8,
    name: 'seawall-offline',
    sources: {
      graticule: { type: 'geojson', data: buildGraticule(GRATICULE_BOUNDS, 0.5) },
      land: { type: 'geojson', data: landUrl },
      ...(ringsUrl ? { rings: { type: 'geojson', data: ringsUrl } } : {}),
      ...(zonesUrl ? { zones: { type: 'geojson', data: zonesUrl } } : {}),
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': CHART_COLORS.sea } },
      {
        id: 'graticule',
        type: 'line',
        source: 'graticule',
        paint: {
          'line-color': ['case', ['get', 'major'], CHART_COLORS.graticuleMajor, CHART_COLORS.graticuleMinor],
          'line-width': 1,
        },
      },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': CHART_COLORS.land } },
      // Rings over the land fill, under the coastline, so the coast stays crisp across the shoreline band.
      ...(ringsUrl ? ringLayers('rings') : []),
      ...(zonesUrl ? zoneLayers('zones') : []),
      {
        id: 'coastline',
        type: 'line',
        source: 'land',
        paint: {
          'line-color': CHART_COLORS.coast,
          'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.8, 10, 1.6],
        },
      },
    ],
  };
}
