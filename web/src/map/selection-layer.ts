import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';

/** Stable deck.gl layer ids of the selection highlight. */
export const SELECTION_RING_LAYER_ID = 'tracks-selection';
export const SELECTION_TRAIL_LAYER_ID = 'tracks-selection-trail';

const HIGHLIGHT: [number, number, number, number] = [235, 245, 255, 230];

/** What the highlight needs to know about the selected track. */
export interface SelectedTrack {
  /** Where it is now: lon, lat. */
  position: readonly [number, number];
  /** Its trail, oldest point first, as flat lon, lat pairs (may be empty). */
  trail: readonly number[];
}

/**
 * The selected track's highlight, two small layers under the symbols: a ring around it and its whole
 * trail in bright white up to where it is now. Empty when nothing is selected.
 */
export function buildSelectionLayers(selected: SelectedTrack | null): Layer[] {
  const ring = new ScatterplotLayer<SelectedTrack>({
    id: SELECTION_RING_LAYER_ID,
    data: selected ? [selected] : [],
    getPosition: (s) => s.position as [number, number],
    getRadius: 17,
    radiusUnits: 'pixels',
    stroked: true,
    filled: false,
    getLineColor: HIGHLIGHT,
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
    pickable: false,
  });
  const path = selected && selected.trail.length >= 2 ? [...selected.trail, selected.position[0], selected.position[1]] : null;
  const trail = new PathLayer<number[]>({
    id: SELECTION_TRAIL_LAYER_ID,
    data: path ? [path] : [],
    getPath: (p) => {
      const points: [number, number][] = [];
      for (let i = 0; i + 1 < p.length; i += 2) points.push([p[i]!, p[i + 1]!]);
      return points;
    },
    getColor: HIGHLIGHT,
    getWidth: 2,
    widthUnits: 'pixels',
    jointRounded: true,
    capRounded: true,
    pickable: false,
  });
  return [trail, ring];
}
