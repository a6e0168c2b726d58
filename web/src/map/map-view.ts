import maplibregl, { type Map as MapLibreMap } from 'maplibre-gl';
import { createBaseStyle } from './base-style';

/** Hainan, whole island in view. */
export const HAINAN_CENTER: [number, number] = [109.75, 19.2];
export const HAINAN_ZOOM = 7;

export interface MapView {
  map: MapLibreMap;
  /** Resolves when the style has loaded (the map fires `load`). */
  loaded: Promise<void>;
}

export interface MapViewOptions {
  /** Where the land polygon comes from; relative URLs are resolved against the page. */
  landUrl?: string;
  /** Where the rings and zones come from (the server's PostGIS copy). */
  ringsUrl?: string;
  zonesUrl?: string;
  /** The session token sent with the map's own requests to the server's API. */
  token?: string;
}

/**
 * The page's one maplibre map, north-up and flat: track symbols are drawn in
 * screen space with their heading, so rotation and pitch are switched off.
 */
export function createMapView(container: HTMLElement, options: MapViewOptions = {}): MapView {
  const absolute = (url: string) => new URL(url, window.location.href).href;
  const map = new maplibregl.Map({
    container,
    style: createBaseStyle({
      landUrl: absolute(options.landUrl ?? '/api/geo/land'),
      ringsUrl: absolute(options.ringsUrl ?? '/api/rings'),
      zonesUrl: absolute(options.zonesUrl ?? '/api/zones'),
    }),
    // The view lives in the URL (#zoom/lat/lon): operators can share a view, and a reload keeps it.
    hash: true,
    center: HAINAN_CENTER,
    zoom: HAINAN_ZOOM,
    minZoom: 4,
    maxZoom: 16,
    maxPitch: 0,
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    attributionControl: false,
    transformRequest: (url) => {
      const sameApi = url.startsWith(`${window.location.origin}/api/`);
      return sameApi && options.token ? { url, headers: { Authorization: `Bearer ${options.token}` } } : { url };
    },
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'nautical', maxWidth: 120 }), 'bottom-right');
  map.on('error', (event) => console.error('map error', event.error));

  const loaded = new Promise<void>((resolve) => {
    if (map.loaded()) resolve();
    else map.once('load', () => resolve());
  });
  return { map, loaded };
}
