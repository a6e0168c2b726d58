import type { Ring } from '@seawall/contracts';
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';

/** The rings that are areas on the map (`outside` is everything else). */
export type AreaRing = Exclude<Ring, 'outside'>;
export const AREA_RINGS: readonly AreaRing[] = ['near-sea', 'shoreline', 'inland'];

/**
 * Ring colours: hues well apart from one another and from the risk colours (red, orange, yellow, blue)
 * and the teal of a track without alerts, so a ring never reads as a risk level.
 */
export const RING_COLORS: Readonly<Record<AreaRing, string>> = {
  'near-sea': '#5b63d3',
  shoreline: '#e0c890',
  inland: '#37b24d',
};

/** Fill opacity: the narrow shoreline band strongest, the wide near-sea ring faintest (it lies under most tracks). */
export const RING_FILL_OPACITY: Readonly<Record<AreaRing, number>> = {
  'near-sea': 0.22,
  shoreline: 0.5,
  inland: 0.22,
};

/** Zones (ports, anchorages, stations, bases): thin pale outlines over the rings. */
export const ZONE_COLOR = '#dfe7ee';

function byRing(values: Readonly<Record<AreaRing, string | number>>): ExpressionSpecification {
  return ['match', ['get', 'name'], ...AREA_RINGS.flatMap((r) => [r, values[r]]), values.inland] as unknown as ExpressionSpecification;
}

/** Fill and outline of each ring, from a GeoJSON source of `rings.geojson` features (property `name`). */
export function ringLayers(source: string): LayerSpecification[] {
  return [
    { id: 'ring-fill', type: 'fill', source, paint: { 'fill-color': byRing(RING_COLORS), 'fill-opacity': byRing(RING_FILL_OPACITY) } },
    {
      id: 'ring-outline',
      type: 'line',
      source,
      paint: { 'line-color': byRing(RING_COLORS), 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 0.8, 11, 1.6], 'line-opacity': 0.9 },
    },
  ];
}

/** Zone outlines: solid for ports and fishing ports, dashed for anchorages, dotted for stations and bases. */
export function zoneLayers(source: string): LayerSpecification[] {
  const line = (id: string, kinds: string[], dash?: number[]): LayerSpecification => ({
    id,
    type: 'line',
    source,
    minzoom: 7,
    filter: ['in', ['get', 'kind'], ['literal', kinds]],
    paint: { 'line-color': ZONE_COLOR, 'line-width': 1, 'line-opacity': 0.85, ...(dash ? { 'line-dasharray': dash } : {}) },
  });
  return [
    line('zone-port', ['port', 'fishing-port']),
    line('zone-anchorage', ['anchorage'], [3, 2]),
    line('zone-station', ['station', 'patrol-base'], [1, 1.5]),
  ];
}
