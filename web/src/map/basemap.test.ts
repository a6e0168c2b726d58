import type { StyleSpecification } from 'maplibre-gl';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, setLanguage } from '../i18n/i18n';
import {
  OFFLINE_BASEMAP,
  basemapAttribution,
  basemapParts,
  datumOf,
  displayTransforms,
  prefixStyle,
  readBasemapConfig,
  sameOriginUrl,
  transformGeoJSON,
} from './basemap';
import { wgs84ToGcj02 } from './gcj02';

const ORIGIN = 'http://console.local:8080';
const KEY = '0123456789abcdef0123456789abcdef';
const read = (search: string, stored: string | null = null) => readBasemapConfig(search, stored, ORIGIN);

describe('reading the basemap configuration', () => {
  it('is the offline chart when nothing is configured', () => {
    expect(read('', null)).toEqual({ config: OFFLINE_BASEMAP, problems: [] });
  });

  it('takes Tianditu with its key, layer and labels from the URL', () => {
    expect(read(`?basemap=tianditu&tk=${KEY}`).config).toEqual({ kind: 'tianditu', tk: KEY, layer: 'vec', labels: true });
    expect(read(`?basemap=tianditu&tk=${KEY}&layer=img&labels=0`).config).toEqual({ kind: 'tianditu', tk: KEY, layer: 'img', labels: false });
  });

  it('falls back to the offline chart, saying why, when Tianditu has no usable key', () => {
    expect(read('?basemap=tianditu')).toEqual({ config: OFFLINE_BASEMAP, problems: [expect.stringContaining('tk=')] });
    expect(read('?basemap=tianditu&tk=a"b<c>').config).toEqual(OFFLINE_BASEMAP);
  });

  it('reads localStorage as JSON or as a query string, and lets the URL win over it', () => {
    expect(read('', '{"basemap":"gaode","layer":"img"}').config).toEqual({ kind: 'gaode', layer: 'img' });
    expect(read('', 'basemap=gaode').config).toEqual({ kind: 'gaode', layer: 'vec' });
    expect(read('?basemap=offline', '{"basemap":"gaode"}').config).toEqual(OFFLINE_BASEMAP);
    expect(read('?zoom=3', '{"basemap":"gaode"}').config).toEqual({ kind: 'gaode', layer: 'vec' });
  });

  it('reports unreadable storage and an unknown basemap, and stays offline', () => {
    expect(read('', '{not json').problems).toEqual([expect.stringContaining('seawall.basemap')]);
    expect(read('?basemap=google')).toEqual({ config: OFFLINE_BASEMAP, problems: [expect.stringContaining('unknown basemap')] });
  });

  it('takes a local tile template with its datum and limits, braces intact', () => {
    expect(read('?basemap=tiles&url=/tiles/{z}/{x}/{y}.png&datum=gcj02&maxzoom=14&tileSize=512').config).toEqual({
      kind: 'tiles',
      url: `${ORIGIN}/tiles/{z}/{x}/{y}.png`,
      datum: 'gcj02',
      tileSize: 512,
      maxzoom: 14,
      attribution: null,
    });
  });

  it('refuses tiles or a style from another host', () => {
    expect(read('?basemap=tiles&url=https://evil.example/{z}/{x}/{y}.png').config).toEqual(OFFLINE_BASEMAP);
    expect(read('?basemap=style&url=//evil.example/style.json').config).toEqual(OFFLINE_BASEMAP);
    expect(read('?basemap=tiles&url=pmtiles://https://evil.example/a.pmtiles').config).toEqual(OFFLINE_BASEMAP);
  });

  it('keeps the pmtiles:// scheme of a local archive', () => {
    expect(sameOriginUrl('pmtiles:///tiles/hainan.pmtiles', ORIGIN)).toBe(`pmtiles://${ORIGIN}/tiles/hainan.pmtiles`);
  });

  it('notes a bad datum or zoom and keeps the defaults for them', () => {
    const { config, problems } = read('?basemap=tiles&url=/t/{z}/{x}/{y}.png&datum=bd09&maxzoom=99');
    expect(config).toMatchObject({ kind: 'tiles', datum: 'wgs84', maxzoom: 18 });
    expect(problems).toHaveLength(2);
  });
});

describe('basemap datums', () => {
  it('puts AutoNavi, and tiles declared GCJ-02, in GCJ-02; Tianditu and the offline chart in WGS-84', () => {
    expect(datumOf({ kind: 'gaode', layer: 'vec' })).toBe('gcj02');
    expect(datumOf({ kind: 'style', url: `${ORIGIN}/s.json`, datum: 'gcj02' })).toBe('gcj02');
    expect(datumOf({ kind: 'tianditu', tk: KEY, layer: 'img', labels: true })).toBe('wgs84');
    expect(datumOf(OFFLINE_BASEMAP)).toBe('wgs84');
  });

  it('shifts displayed positions only under GCJ-02', () => {
    expect(displayTransforms('wgs84').toDisplay(110.3, 20.05)).toEqual([110.3, 20.05]);
    expect(displayTransforms('gcj02').toDisplay(110.3, 20.05)).toEqual(wgs84ToGcj02(110.3, 20.05));
    const [lon, lat] = displayTransforms('gcj02').fromDisplay(...wgs84ToGcj02(110.3, 20.05));
    expect(lon).toBeCloseTo(110.3, 8);
    expect(lat).toBeCloseTo(20.05, 8);
  });
});

describe('basemap sources and layers', () => {
  afterEach(() => setLanguage(DEFAULT_LANGUAGE));

  it('spreads Tianditu over its eight hosts, Web Mercator matrix set, key encoded, with the matching labels', () => {
    const parts = basemapParts({ kind: 'tianditu', tk: KEY, layer: 'img', labels: true })!;
    const img = parts.sources['basemap-img'] as { tiles: string[] };
    expect(img.tiles).toHaveLength(8);
    expect(img.tiles[0]).toBe(
      `https://t0.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${KEY}`,
    );
    expect(img.tiles[7]).toMatch(/^https:\/\/t7\.tianditu\.gov\.cn\/img_w\//);
    expect(parts.layers.map((l) => l.id)).toEqual(['basemap-img', 'basemap-cia']);
    expect(parts.attribution).toContain('天地图');
  });

  it('leaves Tianditu labels out when asked', () => {
    expect(basemapParts({ kind: 'tianditu', tk: KEY, layer: 'vec', labels: false })!.layers.map((l) => l.id)).toEqual(['basemap-vec']);
  });

  it('uses a tile template as tiles and anything else as a TileJSON url', () => {
    const template = basemapParts({ kind: 'tiles', url: `${ORIGIN}/t/{z}/{x}/{y}.png`, datum: 'wgs84', tileSize: 256, maxzoom: 12, attribution: 'local' })!;
    expect(template.sources['basemap-tiles']).toMatchObject({ type: 'raster', tiles: [`${ORIGIN}/t/{z}/{x}/{y}.png`], maxzoom: 12 });
    const tileJson = basemapParts({ kind: 'tiles', url: `pmtiles://${ORIGIN}/a.pmtiles`, datum: 'wgs84', tileSize: 256, maxzoom: 12, attribution: null })!;
    expect(tileJson.sources['basemap-tiles']).toMatchObject({ type: 'raster', url: `pmtiles://${ORIGIN}/a.pmtiles` });
  });

  it('credits the online services in the language on screen, and a configured credit as given', () => {
    const gaode = { kind: 'gaode', layer: 'vec' } as const;
    expect(basemapParts(gaode)!.attribution).toBe('© 高德');
    setLanguage('en');
    expect(basemapParts({ kind: 'tianditu', tk: KEY, layer: 'vec', labels: true })!.attribution).toBe('© Tianditu');
    expect(basemapAttribution(gaode)).toBe('© AutoNavi');
    expect(basemapAttribution({ kind: 'tiles', url: `${ORIGIN}/t/{z}/{x}/{y}.png`, datum: 'wgs84', tileSize: 256, maxzoom: 12, attribution: '本地 local' })).toBe('本地 local');
    expect(basemapAttribution(OFFLINE_BASEMAP)).toBeNull();
  });

  it('has nothing to add for the offline chart', () => {
    expect(basemapParts(OFFLINE_BASEMAP)).toBeNull();
  });

  it('prefixes a style basemap\'s sources and layers so they cannot clash with the chart\'s', () => {
    const style = {
      version: 8,
      glyphs: '/fonts/{fontstack}/{range}.pbf',
      sources: { omt: { type: 'vector', url: 'pmtiles:///tiles/hainan.pmtiles' } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#000' } },
        { id: 'water', type: 'fill', source: 'omt', 'source-layer': 'water' },
      ],
    } as StyleSpecification;
    const parts = prefixStyle(style);
    expect(Object.keys(parts.sources)).toEqual(['basemap-omt']);
    expect(parts.layers).toEqual([
      { id: 'basemap-background', type: 'background', paint: { 'background-color': '#000' } },
      { id: 'basemap-water', type: 'fill', source: 'basemap-omt', 'source-layer': 'water' },
    ]);
    expect(parts.glyphs).toBe('/fonts/{fontstack}/{range}.pbf');
  });
});

describe('transformGeoJSON', () => {
  it('moves every position of every geometry and keeps the rest, leaving the input alone', () => {
    const shift = (lon: number, lat: number): [number, number] => [lon + 1, lat + 2];
    const input: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { name: 'inland' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } },
        { type: 'Feature', properties: null, geometry: { type: 'MultiPolygon', coordinates: [[[[5, 5], [6, 5], [6, 6], [5, 5]]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0, 10], [3, 3, 20]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [9, 9] }] } },
      ],
    };
    const before = JSON.stringify(input);
    const out = transformGeoJSON(input, shift);
    expect(JSON.stringify(input)).toBe(before);
    expect(out.features[0]).toEqual({ type: 'Feature', properties: { name: 'inland' }, geometry: { type: 'Polygon', coordinates: [[[1, 2], [2, 2], [2, 3], [1, 2]]] } });
    expect(out.features[1]!.geometry).toEqual({ type: 'MultiPolygon', coordinates: [[[[6, 7], [7, 7], [7, 8], [6, 7]]]] });
    expect(out.features[2]!.geometry).toEqual({ type: 'LineString', coordinates: [[1, 2, 10], [4, 5, 20]] });
    expect(out.features[3]!.geometry).toEqual({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [10, 11] }] });
  });
});
