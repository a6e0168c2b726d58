import type { Track, TrackId } from '@seawall/contracts';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { IconLayer, type IconLayerProps } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { isFilterEmpty, matchesFilter, type TrackFilter } from '../panels/filter-bar';
import { FrameBatcher } from '../state/frame-batcher';
import type { TrackStore } from '../state/track-store';
import { buildSelectionLayers, type SelectedTrack } from './selection-layer';
import { TRACK_ICON_DEFS, TRACK_ICON_MAPPING, TRACK_ICON_SIZES, drawTrackIconAtlas } from './track-icons';
import { TrailsLayers, type TrailStyle } from './trails-layer';

/** The stable deck.gl layer id of the track symbols (tests pick on it). */
export const TRACKS_LAYER_ID = 'tracks';

/** A track under the pointer, with where the pointer is (CSS pixels in the map container). */
export interface TrackPointerEvent {
  track: Track | null;
  x: number;
  y: number;
}

/** From WGS-84 to the coordinates the map is drawn in (map/basemap.ts `toDisplay`). */
export type DisplayTransform = (lon: number, lat: number) => readonly [number, number];

export interface TracksLayerOptions {
  onHover?: (event: TrackPointerEvent) => void;
  onClick?: (event: TrackPointerEvent) => void;
  /** Draw the trails (default true). */
  trails?: boolean;
  /**
   * The basemap's datum shift (GCJ-02 tiles). Without it positions are drawn as they are (WGS-84); with
   * it every drawn position goes through it, which costs a call per track per update.
   */
  toDisplay?: DisplayTransform;
}

/** One binary attribute as deck.gl takes it, rebuilt only when its key (the column versions it derives from) moves. */
interface Derived<T extends Float32Array | Uint8Array> {
  key: string;
  value: { value: T; size: number; normalized?: boolean };
}

/** The IconLayer's binary data: row count and per-instance attributes. */
interface IconData {
  length: number;
  attributes: Record<string, { value: Float32Array | Uint8Array; size: number; normalized?: boolean }>;
}

/**
 * Draws the store's tracks over the map with deck.gl, one overlay owned here: trails, the selection
 * highlight, then the track symbols on top.
 *
 * The symbols are one IconLayer fed with binary attributes straight from the store's typed-array
 * columns (positions, angles, colours, and icon frames and sizes derived from the icon column);
 * an attribute whose columns did not change keeps its object, so deck re-uploads only what changed.
 * The store keeps rows in risk order, so red is drawn over the rest without sorting. Store changes
 * are batched to one layer update per animation frame.
 *
 * `interleaved: false`: deck draws on its own canvas above the map (interleaved mode threw with
 * maplibre, see ARCHITECTURE.md).
 */
export class TracksLayer {
  readonly #map: MapLibreMap;
  readonly #store: TrackStore;
  readonly #overlay: MapboxOverlay;
  readonly #batcher: FrameBatcher;
  readonly #iconAtlas: HTMLCanvasElement;
  readonly #afterRender = new Set<() => void>();
  readonly #unsubscribe: () => void;
  readonly #trails: TrailsLayers | null;
  readonly #toDisplay: DisplayTransform | null;
  #iconLayer: IconLayer<unknown> | null = null;
  #selectedId: TrackId | null = null;
  #filter: TrackFilter | null = null;
  #filterVersion = 0;
  #derived = new Map<string, Derived<Float32Array | Uint8Array>>();
  /** Rows hidden by the filter (1) and the serials of their tracks, for the current filter and store. */
  #hidden: { key: string; rows: Uint8Array; serials: Set<number> } | null = null;
  #iconData: IconData | null = null;
  /** The tracks of the rows last handed to deck (picking reports rows), refreshed when rows move. */
  #drawnRows: readonly Track[] = [];
  #drawnLayout = -1;
  #selection: { key: string; value: SelectedTrack | null } = { key: '', value: null };

  constructor(map: MapLibreMap, store: TrackStore, options: TracksLayerOptions = {}) {
    this.#map = map;
    this.#store = store;
    this.#iconAtlas = drawTrackIconAtlas();
    this.#trails = options.trails === false ? null : new TrailsLayers();
    this.#toDisplay = options.toDisplay ?? null;
    this.#batcher = new FrameBatcher(() => this.#render());
    this.#overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      pickingRadius: 5,
      onHover: (info) => this.#emitPointer(info, options.onHover),
      onClick: (info) => this.#emitPointer(info, options.onClick),
      onAfterRender: () => this.#notifyAfterRender(),
    });
    map.addControl(this.#overlay);
    this.#unsubscribe = store.subscribe(() => this.#batcher.request());
    this.#batcher.request();
  }

  /** The track whose symbol is ringed, if any. */
  get selectedId(): TrackId | null {
    return this.#selectedId;
  }

  /** Ring one track (or none) on the map, with its trail. */
  select(id: TrackId | null): void {
    if (id === this.#selectedId) return;
    this.#selectedId = id;
    this.#batcher.request();
  }

  /** Draw only the tracks that pass `filter` (panels/filter-bar.ts), with their trails; an empty filter shows all. */
  setFilter(filter: TrackFilter): void {
    const next = isFilterEmpty(filter) ? null : filter;
    if (next === null && this.#filter === null) return;
    this.#filter = next;
    this.#filterVersion += 1;
    this.#batcher.request();
  }

  /** Push the store's current picture to deck now instead of on the next frame. */
  flushNow(): void {
    this.#batcher.flushNow();
  }

  /**
   * Resolves after deck has drawn the current track data with every resource
   * loaded (the symbol atlas is a texture), so what the store holds is on screen.
   */
  whenDrawn(): Promise<void> {
    this.flushNow();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.#batcher.pending && this.#isIconLayerLoaded()) {
          this.#afterRender.delete(check);
          resolve();
        }
      };
      this.#afterRender.add(check);
      this.#map.triggerRepaint();
    });
  }

  /**
   * Ids of the tracks actually drawn inside the current viewport, read back
   * from deck's picking buffer over the whole map (each distinct object once).
   */
  renderedTrackIds(): string[] {
    const canvas = this.#map.getCanvas();
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return [];
    try {
      const infos = this.#overlay.pickObjects({ x: 0, y: 0, width, height, layerIds: [TRACKS_LAYER_ID] });
      const ids = new Set<string>();
      for (const info of infos) {
        const track = this.#drawnRows[info.index];
        if (track) ids.add(track.id);
      }
      return [...ids];
    } catch {
      // Deck is not initialised yet (no WebGL context so far): nothing is drawn.
      return [];
    }
  }

  /** Remove the overlay and stop listening to the store. */
  destroy(): void {
    this.#unsubscribe();
    this.#map.removeControl(this.#overlay);
  }

  #render(): void {
    const store = this.#store;
    const columns = store.columns;
    const v = store.versions;
    const n = columns.length;
    if (this.#drawnLayout !== v.layout) {
      this.#drawnLayout = v.layout;
      this.#drawnRows = store.list();
    }
    const hidden = this.#hiddenRows();
    const filterKey = hidden ? hidden.key : '';
    const toDisplay = this.#toDisplay;

    // Keys name what each attribute derives from; the row count moves every view's end too.
    const positions = this.#derive(`positions:${v.positions}:${n}`, () => ({
      value: toDisplay ? project(columns.positions, n, toDisplay, this.#reuse('positions')) : columns.positions.subarray(0, 2 * n),
      size: 2,
    }));
    const angles = this.#derive(`angles:${v.angles}:${n}`, () => ({ value: columns.angles.subarray(0, n), size: 1 }));
    const colors = this.#derive(`colors:${v.colors}:${n}`, () => ({ value: columns.colors.subarray(0, 4 * n), size: 4, normalized: true }));
    const iconDefs = this.#derive(`iconDefs:${v.icons}:${n}`, () => ({
      value: expand(columns.icons, n, TRACK_ICON_DEFS, 7, null, this.#reuse('iconDefs')),
      size: 7,
    }));
    // A hidden symbol is drawn at size 0: nothing to see, nothing to pick.
    const sizes = this.#derive(`sizes:${v.icons}:${n}:${filterKey}`, () => ({
      value: expand(columns.icons, n, TRACK_ICON_SIZES, 1, hidden?.rows ?? null, this.#reuse('sizes')),
      size: 1,
    }));
    const attributes = {
      getPosition: positions.value,
      getAngle: angles.value,
      getColor: colors.value,
      getSize: sizes.value,
      // The IconLayer's own attribute, filled from the icon index: deck never calls getIcon per track.
      instanceIconDefs: iconDefs.value,
    };
    const previous = this.#iconData;
    if (!previous || previous.length !== n || Object.entries(attributes).some(([name, a]) => previous.attributes[name] !== a)) {
      this.#iconData = { length: n, attributes };
    }

    const iconLayer = new IconLayer<unknown>({
      id: TRACKS_LAYER_ID,
      data: this.#iconData as IconData,
      // The atlas is a canvas; deck turns any browser image object into a texture.
      iconAtlas: this.#iconAtlas as unknown as IconLayerProps<unknown>['iconAtlas'],
      iconMapping: TRACK_ICON_MAPPING,
      sizeUnits: 'pixels',
      billboard: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 110],
    } as IconLayerProps<unknown>);
    this.#iconLayer = iconLayer;

    const layers: Layer[] = [];
    if (this.#trails) {
      const heads = this.#derive(`heads:${v.trailHeads}:${n}`, () => ({
        value: toDisplay ? project(columns.trailHeads, n, toDisplay, this.#reuse('heads')) : columns.trailHeads.subarray(0, 2 * n),
        size: 2,
      }));
      // A hidden track's trail piece is drawn transparent.
      const headColors = hidden
        ? this.#derive(`headColors:${v.colors}:${n}:${filterKey}`, () => ({
            value: fade(columns.colors, n, hidden.rows, this.#reuse('headColors') as Uint8Array | null),
            size: 4,
            normalized: true,
          }))
        : colors;
      const style: TrailStyle = { toDisplay, hiddenSerials: hidden?.serials ?? null, key: `${this.#filterVersion}` };
      layers.push(
        ...this.#trails.build(store.trails, n, {
          sources: heads.value,
          targets: positions.value,
          colors: headColors.value,
          key: `${heads.key}|${positions.key}|${headColors.key}`,
        }, style),
      );
    }
    layers.push(...buildSelectionLayers(this.#selected()), iconLayer);
    this.#overlay.setProps({ layers });
  }

  /** The attribute named by `key`'s prefix: the cached one while the key holds, else a new one from `make`. */
  #derive<T extends Float32Array | Uint8Array>(key: string, make: () => Derived<T>['value']): Derived<T> {
    const name = key.slice(0, key.indexOf(':'));
    const cached = this.#derived.get(name) as Derived<T> | undefined;
    if (cached?.key === key) return cached;
    const derived = { key, value: make() };
    this.#derived.set(name, derived);
    return derived;
  }

  /** The buffer behind a derived attribute, to write the next one into (deck has copied it by then). */
  #reuse(name: string): Float32Array | Uint8Array | null {
    const value = this.#derived.get(name)?.value.value;
    if (!value) return null;
    return value instanceof Float32Array ? new Float32Array(value.buffer as ArrayBuffer) : new Uint8Array(value.buffer as ArrayBuffer);
  }

  /** Which rows the filter hides, recomputed when the filter or any track changed (its ring, level, kind). */
  #hiddenRows(): { key: string; rows: Uint8Array; serials: Set<number> } | null {
    const filter = this.#filter;
    if (!filter) return (this.#hidden = null);
    const store = this.#store;
    const key = `${this.#filterVersion}.${store.versions.tracks}`;
    if (this.#hidden?.key === key) return this.#hidden;
    const tracks = store.list();
    const { serials } = store.columns;
    const rows = new Uint8Array(tracks.length);
    const hiddenSerials = new Set<number>();
    for (let row = 0; row < tracks.length; row++) {
      if (matchesFilter(tracks[row]!, filter)) continue;
      rows[row] = 1;
      hiddenSerials.add(serials[row]!);
    }
    return (this.#hidden = { key, rows, serials: hiddenSerials });
  }

  /** The selected track's position and trail, recomputed only when either can have changed. */
  #selected(): SelectedTrack | null {
    const id = this.#selectedId;
    const store = this.#store;
    const key = id === null ? '' : `${id}|${store.versions.positions}|${store.trails.version}`;
    if (key === this.#selection.key) return this.#selection.value;
    let value: SelectedTrack | null = null;
    const row = id === null ? undefined : store.rowOf(id);
    if (row !== undefined) {
      const { positions, serials } = store.columns;
      const trail = this.#trails ? store.trails.pathOf(serials[row]!) : [];
      const show = this.#toDisplay ?? ((lon: number, lat: number) => [lon, lat] as const);
      for (let i = 0; i + 1 < trail.length; i += 2) [trail[i], trail[i + 1]] = show(trail[i]!, trail[i + 1]!);
      value = { position: show(positions[2 * row]!, positions[2 * row + 1]!), trail };
    }
    this.#selection = { key, value };
    return value;
  }

  #isIconLayerLoaded(): boolean {
    try {
      return this.#iconLayer?.isLoaded ?? false;
    } catch {
      // The layer has not been matched and initialised by deck yet.
      return false;
    }
  }

  #notifyAfterRender(): void {
    for (const callback of [...this.#afterRender]) callback();
  }

  #emitPointer(info: PickingInfo, handler: ((event: TrackPointerEvent) => void) | undefined): void {
    const drawn = info.layer?.id === TRACKS_LAYER_ID && info.index >= 0 ? this.#drawnRows[info.index] : undefined;
    // The newest state of the track drawn in that row.
    const track = drawn ? (this.#store.get(drawn.id) ?? null) : null;
    this.#map.getCanvas().style.cursor = track ? 'pointer' : '';
    try {
      handler?.({ track, x: info.x, y: info.y });
    } catch (error) {
      console.error('track pointer handler failed', error);
    }
  }
}

/** A buffer of at least `length` elements: `reuse` when it is large enough, else a new one with room to grow. */
function room<T extends Float32Array | Uint8Array>(reuse: T | null, length: number, make: new (n: number) => T): T {
  return reuse && reuse.length >= length ? reuse : new make(Math.max(1024, 2 * length));
}

/** Per-row values looked up by icon index: `size` floats of `table` per row, 0 for a `hidden` row. */
function expand(icons: Uint8Array, n: number, table: Float32Array, size: number, hidden: Uint8Array | null, reuse: Float32Array | Uint8Array | null): Float32Array {
  const out = room(reuse as Float32Array | null, size * n, Float32Array);
  for (let row = 0; row < n; row++) {
    const to = size * row;
    if (hidden?.[row]) {
      for (let j = 0; j < size; j++) out[to + j] = 0;
      continue;
    }
    const from = size * icons[row]!;
    for (let j = 0; j < size; j++) out[to + j] = table[from + j]!;
  }
  return out.subarray(0, size * n);
}

/** lon, lat pairs through the display transform. */
function project(lonLat: Float32Array, n: number, toDisplay: DisplayTransform, reuse: Float32Array | Uint8Array | null): Float32Array {
  const out = room(reuse as Float32Array | null, 2 * n, Float32Array);
  for (let i = 0; i < 2 * n; i += 2) {
    const [x, y] = toDisplay(lonLat[i]!, lonLat[i + 1]!);
    out[i] = x;
    out[i + 1] = y;
  }
  return out.subarray(0, 2 * n);
}

/** The colours with alpha 0 for hidden rows. */
function fade(colors: Uint8Array, n: number, hidden: Uint8Array, reuse: Uint8Array | null): Uint8Array {
  const out = room(reuse, 4 * n, Uint8Array);
  out.set(colors.subarray(0, 4 * n));
  for (let row = 0; row < n; row++) if (hidden[row]) out[4 * row + 3] = 0;
  return out.subarray(0, 4 * n);
}
