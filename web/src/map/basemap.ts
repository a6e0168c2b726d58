import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap, SourceSpecification, StyleSpecification } from 'maplibre-gl';
import { bindText, t } from '../i18n/i18n';
import { gcj02ToWgs84, wgs84ToGcj02, type LonLat } from './gcj02';
import '../styles/panels-extra.css';

/**
 * Optional background maps under the chart, chosen by configuration.
 *
 * The default is the offline chart (base-style.ts: sea, graticule, land,
 * rings, zones, all from our own server). A deployment may put a tile map
 * under the rings instead:
 *
 * | `basemap=` | what | datum |
 * | --- | --- | --- |
 * | `offline` | the offline chart (default) | WGS-84 |
 * | `tiles` | raster tiles from this server: `url=/tiles/{z}/{x}/{y}.png` (a template), or a TileJSON URL; `maxzoom=`, `tileSize=` (256), `attribution=` | `datum=wgs84` (default) or `gcj02` |
 * | `style` | a maplibre style JSON from this server (`url=/basemap/style.json`) whose sources and layers go under the chart: vector tiles, PMTiles | `datum=` likewise |
 * | `tianditu` | 天地图 Tianditu WMTS, Web Mercator (`vec_w` / `img_w` with their `cva_w` / `cia_w` labels): `tk=` (the key), `layer=vec` (default) or `img`, `labels=0` to leave labels out | CGCS2000 ≈ WGS-84 |
 * | `gaode` | 高德 AutoNavi tiles: `layer=vec` (default) or `img` | GCJ-02 |
 *
 * The configuration is read from the page URL's query (`/?basemap=tianditu&tk=…&layer=img`), else from
 * `localStorage['seawall.basemap']`, holding the same fields either as a query string
 * (`basemap=gaode&layer=img`) or as JSON (`{"basemap":"tianditu","tk":"…"}`). There is no server-side
 * setting (no `/config.json`).
 *
 * `tiles` and `style` URLs must be on this server (relative, or same origin): a link must not be able to
 * point the console at someone else's tiles. Online services (Tianditu, AutoNavi) need their hosts added
 * to the page's Content-Security-Policy (`img-src` and `connect-src` in index.html); the offline default
 * needs nothing.
 *
 * PMTiles: maplibre reads a `.pmtiles` archive only through the `pmtiles` package's protocol, which is not
 * installed. With it (`maplibregl.addProtocol('pmtiles', new Protocol().tile)` before the map is made),
 * use `basemap=tiles&url=pmtiles:///tiles/hainan.pmtiles` for a raster archive, or a `style` whose sources
 * say `"url": "pmtiles:///tiles/hainan.pmtiles"` for a vector one. Until then, serve the tiles as files
 * (`/tiles/{z}/{x}/{y}.png`) or from a tile server on this origin.
 *
 * GCJ-02: positions in a GCJ-02 tile map are offset by a few hundred metres. When one is chosen every
 * drawn position goes through `toDisplay` (WGS-84 → GCJ-02; the identity outside China), and a position
 * picked on the map comes back through `fromDisplay`. The chart's own GeoJSON (land, rings, zones,
 * graticule) is shifted here; each overlay shifts its own positions.
 */

export type Datum = 'wgs84' | 'gcj02';

/** From WGS-84 to the coordinates the map is drawn in (or back, for `fromDisplay`). */
export type DisplayTransform = (lon: number, lat: number) => LonLat;

export const IDENTITY_DISPLAY: DisplayTransform = (lon, lat) => [lon, lat];

export type BasemapConfig =
  | { kind: 'offline' }
  | { kind: 'tiles'; url: string; datum: Datum; tileSize: number; maxzoom: number; attribution: string | null }
  | { kind: 'style'; url: string; datum: Datum }
  | { kind: 'tianditu'; tk: string; layer: 'vec' | 'img'; labels: boolean }
  | { kind: 'gaode'; layer: 'vec' | 'img' };

export const OFFLINE_BASEMAP: BasemapConfig = Object.freeze({ kind: 'offline' });

/** The `localStorage` key of the basemap configuration. */
export const BASEMAP_STORAGE_KEY = 'seawall.basemap';

export interface BasemapConfigResult {
  config: BasemapConfig;
  /** What was wrong with the configuration given (the offline chart is used instead). */
  problems: string[];
}

const TIANDITU_KEY = /^[A-Za-z0-9]{8,64}$/u;

function fieldsOf(text: string): Map<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (typeof parsed !== 'object' || parsed === null) return new Map();
    return new Map(
      Object.entries(parsed as Record<string, unknown>)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        .map(([k, v]) => [k, String(v)]),
    );
  }
  return new Map(new URLSearchParams(trimmed.startsWith('?') ? trimmed.slice(1) : trimmed));
}

/**
 * A tile or style URL on this server, as an absolute URL (`pmtiles://` kept in front), or null
 * when it points elsewhere.
 */
export function sameOriginUrl(url: string, origin: string): string | null {
  const pmtiles = url.startsWith('pmtiles://');
  const rest = pmtiles ? url.slice('pmtiles://'.length) : url;
  let resolved: URL;
  try {
    // Braces of a tile template survive URL parsing percent-encoded; put them back afterwards.
    resolved = new URL(rest, origin);
  } catch {
    return null;
  }
  if (resolved.origin !== new URL(origin).origin) return null;
  const href = resolved.href.replace(/%7B/giu, '{').replace(/%7D/giu, '}');
  return pmtiles ? `pmtiles://${href}` : href;
}

function datumField(value: string | undefined, problems: string[]): Datum {
  if (value === undefined || value === 'wgs84') return 'wgs84';
  if (value === 'gcj02') return 'gcj02';
  problems.push(`datum must be wgs84 or gcj02, got "${value}"`);
  return 'wgs84';
}

function intField(value: string | undefined, fallback: number, min: number, max: number, name: string, problems: string[]): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return fallback;
}

function layerField(value: string | undefined, problems: string[]): 'vec' | 'img' {
  if (value === undefined || value === 'vec') return 'vec';
  if (value === 'img') return 'img';
  problems.push(`layer must be vec or img, got "${value}"`);
  return 'vec';
}

/**
 * The basemap configuration from the page's query string (which wins when it names a `basemap`) or the
 * stored text; the offline chart when neither names one or the one named is unusable.
 */
export function readBasemapConfig(search: string, stored: string | null, origin: string): BasemapConfigResult {
  const problems: string[] = [];
  let fields = fieldsOf(search);
  if (!fields.has('basemap') && stored) {
    try {
      fields = fieldsOf(stored);
    } catch {
      problems.push(`localStorage['${BASEMAP_STORAGE_KEY}'] is neither JSON nor a query string`);
      fields = new Map();
    }
  }
  const kind = fields.get('basemap') ?? 'offline';
  const fail = (problem: string): BasemapConfigResult => ({ config: OFFLINE_BASEMAP, problems: [...problems, problem] });
  let config: BasemapConfig;
  switch (kind) {
    case 'offline':
      config = OFFLINE_BASEMAP;
      break;
    case 'tiles':
    case 'style': {
      const raw = fields.get('url');
      if (!raw) return fail(`basemap=${kind} needs url=`);
      const url = sameOriginUrl(raw, origin);
      if (!url) return fail(`basemap=${kind}: url must be on this server, got "${raw}"`);
      const datum = datumField(fields.get('datum'), problems);
      config =
        kind === 'style'
          ? { kind, url, datum }
          : {
              kind,
              url,
              datum,
              tileSize: intField(fields.get('tileSize'), 256, 64, 1024, 'tileSize', problems),
              maxzoom: intField(fields.get('maxzoom'), 18, 0, 24, 'maxzoom', problems),
              attribution: fields.get('attribution')?.slice(0, 200) ?? null,
            };
      break;
    }
    case 'tianditu': {
      const tk = fields.get('tk') ?? '';
      if (!TIANDITU_KEY.test(tk)) return fail('basemap=tianditu needs its key: tk= (letters and digits)');
      config = { kind, tk, layer: layerField(fields.get('layer'), problems), labels: !['0', 'false', 'no'].includes(fields.get('labels') ?? '') };
      break;
    }
    case 'gaode':
      config = { kind, layer: layerField(fields.get('layer'), problems) };
      break;
    default:
      return fail(`unknown basemap "${kind}" (offline, tiles, style, tianditu, gaode)`);
  }
  return { config, problems };
}

/** The configuration of this page (URL, then localStorage); problems are logged and fall back to offline. */
export function loadBasemapConfig(win: Window = window): BasemapConfig {
  let stored: string | null = null;
  try {
    stored = win.localStorage.getItem(BASEMAP_STORAGE_KEY);
  } catch {
    // Storage can be disabled; the URL still works.
  }
  const { config, problems } = readBasemapConfig(win.location.search, stored, win.location.origin);
  for (const problem of problems) console.warn(`basemap: ${problem}`);
  return config;
}

export function datumOf(config: BasemapConfig): Datum {
  switch (config.kind) {
    case 'tiles':
    case 'style':
      return config.datum;
    case 'gaode':
      return 'gcj02';
    default:
      // Tianditu's CGCS2000 differs from WGS-84 by centimetres.
      return 'wgs84';
  }
}

/** `toDisplay` / `fromDisplay` for a datum. */
export function displayTransforms(datum: Datum): { toDisplay: DisplayTransform; fromDisplay: DisplayTransform } {
  return datum === 'gcj02'
    ? { toDisplay: wgs84ToGcj02, fromDisplay: gcj02ToWgs84 }
    : { toDisplay: IDENTITY_DISPLAY, fromDisplay: IDENTITY_DISPLAY };
}

/** Source and layer ids of the basemap, all prefixed so they cannot clash with the chart's. */
export const BASEMAP_PREFIX = 'basemap-';

export interface BasemapParts {
  sources: Record<string, SourceSpecification>;
  layers: LayerSpecification[];
  /** The credit shown on the map, in the console's language at the time of the call. */
  attribution: string | null;
}

/**
 * The credit a basemap shows on the map, in the console's language: the online services' names are
 * translated; a `tiles` basemap's configured text is shown as given.
 */
export function basemapAttribution(config: BasemapConfig): string | null {
  switch (config.kind) {
    case 'tiles':
      return config.attribution;
    case 'tianditu':
      return t('basemap.tianditu');
    case 'gaode':
      return t('basemap.gaode');
    default:
      return null;
  }
}

const TIANDITU_SUBDOMAINS = [0, 1, 2, 3, 4, 5, 6, 7];
const GAODE_SUBDOMAINS = [1, 2, 3, 4];

/** Tianditu's Web Mercator WMTS (TILEMATRIXSET=w) for one layer, over its eight hosts. */
export function tiandituTiles(layer: 'vec' | 'img' | 'cva' | 'cia', tk: string): string[] {
  return TIANDITU_SUBDOMAINS.map(
    (n) =>
      `https://t${n}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
      `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(tk)}`,
  );
}

/** AutoNavi's road map (style 8) or imagery (style 6), over its four hosts. */
export function gaodeTiles(layer: 'vec' | 'img'): string[] {
  return GAODE_SUBDOMAINS.map((n) =>
    layer === 'img'
      ? `https://webst0${n}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}`
      : `https://webrd0${n}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}`,
  );
}

function rasterPart(id: string, source: SourceSpecification): { sources: Record<string, SourceSpecification>; layer: LayerSpecification } {
  const full = `${BASEMAP_PREFIX}${id}`;
  return { sources: { [full]: source }, layer: { id: full, type: 'raster', source: full, paint: { 'raster-fade-duration': 0 } } };
}

/** The sources and layers of a raster basemap (null for the offline chart and for a style, which is fetched). */
export function basemapParts(config: BasemapConfig): BasemapParts | null {
  switch (config.kind) {
    case 'offline':
    case 'style':
      return null;
    case 'tiles': {
      const isTemplate = config.url.includes('{z}');
      const { sources, layer } = rasterPart('tiles', {
        type: 'raster',
        ...(isTemplate ? { tiles: [config.url] } : { url: config.url }),
        tileSize: config.tileSize,
        maxzoom: config.maxzoom,
      });
      return { sources, layers: [layer], attribution: basemapAttribution(config) };
    }
    case 'tianditu': {
      const base = rasterPart(config.layer, { type: 'raster', tiles: tiandituTiles(config.layer, config.tk), tileSize: 256, maxzoom: 18 });
      const labelLayer = config.layer === 'img' ? 'cia' : 'cva';
      const labels = config.labels
        ? rasterPart(labelLayer, { type: 'raster', tiles: tiandituTiles(labelLayer, config.tk), tileSize: 256, maxzoom: 18 })
        : null;
      return {
        sources: { ...base.sources, ...labels?.sources },
        layers: labels ? [base.layer, labels.layer] : [base.layer],
        attribution: basemapAttribution(config),
      };
    }
    case 'gaode': {
      const { sources, layer } = rasterPart(`gaode-${config.layer}`, { type: 'raster', tiles: gaodeTiles(config.layer), tileSize: 256, maxzoom: 18 });
      return { sources, layers: [layer], attribution: basemapAttribution(config) };
    }
  }
}

/** A copy of `geojson` with every position passed through `transform`. */
export function transformGeoJSON<T extends GeoJSON.GeoJSON>(geojson: T, transform: DisplayTransform): T {
  const position = (p: GeoJSON.Position): GeoJSON.Position => {
    const [lon, lat] = transform(p[0]!, p[1]!);
    return p.length > 2 ? [lon, lat, ...p.slice(2)] : [lon, lat];
  };
  const geometry = (g: GeoJSON.Geometry): GeoJSON.Geometry => {
    switch (g.type) {
      case 'Point':
        return { ...g, coordinates: position(g.coordinates) };
      case 'MultiPoint':
      case 'LineString':
        return { ...g, coordinates: g.coordinates.map(position) };
      case 'MultiLineString':
      case 'Polygon':
        return { ...g, coordinates: g.coordinates.map((line) => line.map(position)) };
      case 'MultiPolygon':
        return { ...g, coordinates: g.coordinates.map((poly) => poly.map((line) => line.map(position))) };
      case 'GeometryCollection':
        return { ...g, geometries: g.geometries.map(geometry) };
    }
  };
  const feature = (f: GeoJSON.Feature): GeoJSON.Feature => ({ ...f, geometry: f.geometry ? geometry(f.geometry) : f.geometry });
  switch (geojson.type) {
    case 'FeatureCollection':
      return { ...geojson, features: geojson.features.map(feature) };
    case 'Feature':
      return feature(geojson) as T;
    default:
      return geometry(geojson) as T;
  }
}

/**
 * Resolves once the map's style is parsed and sources and layers may be added
 * (the style's own GeoJSON may still be loading).
 */
export function whenStyleReady(map: MapLibreMap): Promise<void> {
  const ready = (): boolean => Boolean(map.style?._loaded);
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (): void => {
      if (!ready()) return;
      map.off('styledata', check);
      resolve();
    };
    map.on('styledata', check);
  });
}

/** The chart's GeoJSON sources (base-style.ts) shifted with the positions under a GCJ-02 basemap. */
export const CHART_GEOJSON_SOURCES = ['graticule', 'land', 'rings', 'zones'] as const;

/** Layers of the offline chart that would hide a tile map: the land fill. */
const CHART_LAYERS_HIDDEN_UNDER_TILES = ['land'];

export interface Basemap {
  config: BasemapConfig;
  datum: Datum;
  /** WGS-84 → map coordinates: apply to every position drawn. */
  toDisplay: DisplayTransform;
  /** Map coordinates → WGS-84: apply to a position picked on the map. */
  fromDisplay: DisplayTransform;
  /** Resolves when the basemap is on the map (at once for the offline chart); never rejects. */
  ready: Promise<void>;
}

export interface ApplyBasemapOptions {
  /** Fetches a `style` basemap's JSON; the default is a plain same-origin `fetch`. */
  fetchStyle?: (url: string) => Promise<unknown>;
}

/**
 * Puts the configured basemap under the chart of `map` (made with the offline style): its layers go
 * under the graticule, the land fill is hidden, and under a GCJ-02 basemap the chart's own GeoJSON is
 * shifted. Returns at once with the transforms, so overlays can be built before the tiles arrive.
 */
export function applyBasemap(map: MapLibreMap, config: BasemapConfig, options: ApplyBasemapOptions = {}): Basemap {
  const datum = datumOf(config);
  const transforms = displayTransforms(datum);
  const ready =
    config.kind === 'offline'
      ? Promise.resolve()
      : install(map, config, datum, options).catch((error: unknown) => {
          console.error('basemap failed; the offline chart stays', error);
        });
  return { config, datum, ...transforms, ready };
}

async function install(map: MapLibreMap, config: BasemapConfig, datum: Datum, options: ApplyBasemapOptions): Promise<void> {
  const style = config.kind === 'style' ? await styleParts(config.url, options) : null;
  const parts = style ?? basemapParts(config);
  if (!parts) return;
  await whenStyleReady(map);
  // The chart itself uses neither glyphs nor sprites, so a style's own can be taken as they are.
  if (style?.glyphs && !map.getGlyphs()) map.setGlyphs(style.glyphs);
  if (style?.sprite && map.getSprite().length === 0) {
    // Map.setSprite takes one URL; a style with several sprites gets each under its own id.
    if (typeof style.sprite === 'string') map.setSprite(style.sprite);
    else for (const { id, url } of style.sprite) map.addSprite(id, url);
  }
  // Under everything of the chart but its sea background.
  const firstChartLayer = map.getStyle().layers.find((layer) => layer.type !== 'background')?.id;
  for (const [id, source] of Object.entries(parts.sources)) map.addSource(id, source);
  for (const layer of parts.layers) map.addLayer(layer, firstChartLayer);
  for (const id of CHART_LAYERS_HIDDEN_UNDER_TILES) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', 'none');
  if (parts.attribution) showAttribution(map, () => basemapAttribution(config) ?? '');
  if (datum === 'gcj02') await shiftChartSources(map, displayTransforms(datum).toDisplay);
}

interface StyleParts extends BasemapParts {
  glyphs: string | null;
  sprite: StyleSpecification['sprite'] | null;
}

/** A style basemap's sources and layers, renamed with the basemap prefix. */
async function styleParts(url: string, options: ApplyBasemapOptions): Promise<StyleParts> {
  const fetchStyle =
    options.fetchStyle ??
    (async (u: string) => {
      const res = await fetch(u, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(`${u}: HTTP ${res.status}`);
      return res.json() as Promise<unknown>;
    });
  return prefixStyle((await fetchStyle(url)) as StyleSpecification);
}

/** A style's sources and layers with every id (and each layer's source) prefixed, ready to add to the chart. */
export function prefixStyle(style: StyleSpecification): StyleParts {
  if (!style || typeof style !== 'object' || !style.sources || !Array.isArray(style.layers)) {
    throw new Error('the basemap style has no sources or layers');
  }
  const sources: Record<string, SourceSpecification> = {};
  for (const [id, source] of Object.entries(style.sources)) sources[`${BASEMAP_PREFIX}${id}`] = source;
  const layers = style.layers.map((layer) =>
    'source' in layer && typeof layer.source === 'string'
      ? ({ ...layer, id: `${BASEMAP_PREFIX}${layer.id}`, source: `${BASEMAP_PREFIX}${layer.source}` } as LayerSpecification)
      : ({ ...layer, id: `${BASEMAP_PREFIX}${layer.id}` } as LayerSpecification),
  );
  return { sources, layers, attribution: null, glyphs: style.glyphs ?? null, sprite: style.sprite ?? null };
}

async function shiftChartSources(map: MapLibreMap, toDisplay: DisplayTransform): Promise<void> {
  await Promise.all(
    CHART_GEOJSON_SOURCES.map(async (id) => {
      const source = map.getSource<GeoJSONSource>(id);
      if (source?.type !== 'geojson') return;
      const data = await source.getData();
      source.setData(transformGeoJSON(data, toDisplay));
    }),
  );
}

/** The credit in a corner of the map, as text; it follows the language. */
function showAttribution(map: MapLibreMap, text: () => string): void {
  const el = document.createElement('div');
  el.className = 'basemap-attribution';
  el.dataset.role = 'basemap-attribution';
  bindText(el, text);
  map.getContainer().append(el);
}
