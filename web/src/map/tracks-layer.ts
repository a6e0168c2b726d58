import type { Track, TrackId } from '@seawall/contracts';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { IconLayer, type IconLayerProps } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { isFilterEmpty, matchesFilter, type TrackFilter } from '../panels/filter-bar';
import { FrameBatcher } from '../state/frame-batcher';
import type { RowRange } from '../state/track-trails';
import { DIRTY_ANGLE, DIRTY_POSITION, DIRTY_STYLE, DIRTY_TRAIL_HEAD, type TrackStore } from '../state/track-store';
import { GpuColumn, RowRangeCollector, type BufferAttribute, type GpuDevice } from './column-buffers';
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

/** One binary attribute: a GPU buffer of ours with its layout. */
type Attribute = BufferAttribute;

/** Everything the symbols and the trail heads are drawn from, one attribute per column. */
interface TrackAttributes {
  positions: Attribute;
  angles: Attribute;
  colors: Attribute;
  iconDefs: Attribute;
  sizes: Attribute;
  trailHeads: Attribute;
  headColors: Attribute;
}

/** A column with dirty rows in at least 1/DENSE_SHARE of the store's dirty span is uploaded over the whole span. */
const DENSE_SHARE = 4;

/** Binary layer data: row count and per-instance attributes. */
interface BinaryData {
  length: number;
  attributes: Record<string, Attribute>;
}

/**
 * Data changes without deck re-reading everything: the binary attributes say themselves what changed
 * (a new attribute object); only rows past the old end need deck's own attributes (picking colours).
 */
const onlyNewRows = (next: { length: number }, previous: { length: number } | undefined) =>
  previous && next.length <= previous.length ? [] : [{ startRow: previous?.length ?? 0, endRow: next.length }];

/** Rows hidden by the filter (1) and the serials of their tracks, for one filter and store state. */
interface HiddenRows {
  key: string;
  rows: Uint8Array;
  serials: Set<number>;
}

/** CPU copies the GPU columns are uploaded from when they are not the store's own arrays. */
interface Mirrors {
  rows: number;
  positions: Float32Array;
  trailHeads: Float32Array;
  iconDefs: Float32Array;
  sizes: Float32Array;
  headColors: Uint8Array;
}

/**
 * Draws the store's tracks over the map with deck.gl, one overlay owned here: trails, the selection
 * highlight, then the track symbols on top.
 *
 * The symbols are one IconLayer on binary attributes: GPU buffers of this class, one per column of the
 * store (positions, angles, colours, and icon frames and sizes derived from the icon column), into
 * which each update writes only the row ranges the store marked dirty; deck draws from them as they
 * are. The trail heads draw from the same position and colour buffers. The store keeps rows in risk
 * order, so red is drawn over the rest without sorting. Store changes are batched to one layer update
 * per animation frame.
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
  #hidden: HiddenRows | null = null;
  #iconData: BinaryData | null = null;
  #headsData: BinaryData | null = null;
  /** deck's device, once it has one: from then on the columns live in GPU buffers of ours, uploaded row range by row range. */
  #device: GpuDevice | null = null;
  readonly #gpu = {
    positions: new GpuColumn('float32', 2),
    angles: new GpuColumn('float32', 1),
    colors: new GpuColumn('unorm8', 4),
    iconDefs: new GpuColumn('float32', 7),
    sizes: new GpuColumn('float32', 1),
    trailHeads: new GpuColumn('float32', 2),
    headColors: new GpuColumn('unorm8', 4),
  };
  /** The next GPU upload writes every row (the first one on a new device). */
  #gpuAll = true;
  #mirrors: Mirrors | null = null;
  /** What the sizes were last written for: the hidden rows' key ('' for none). */
  #sizesFilterKey = '';
  /** The slots of the rows last handed to deck (picking reports rows), refreshed when rows move. */
  #drawnSlots = new Int32Array(0);
  #drawnSlotsBuffer = new Int32Array(0);
  #drawnLayout = -1;
  #selection: { key: string; value: SelectedTrack | null } = { key: '', value: null };

  constructor(map: MapLibreMap, store: TrackStore, options: TracksLayerOptions = {}) {
    this.#map = map;
    this.#store = store;
    this.#iconAtlas = drawTrackIconAtlas();
    this.#trails = options.trails === false ? null : new TrailsLayers(store.trails.maxSegments);
    this.#toDisplay = options.toDisplay ?? null;
    this.#batcher = new FrameBatcher(() => this.#render());
    this.#overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      pickingRadius: 5,
      onHover: (info) => this.#emitPointer(info, options.onHover),
      onClick: (info) => this.#emitPointer(info, options.onClick),
      onAfterRender: () => this.#notifyAfterRender(),
      onDeviceInitialized: (device) => {
        this.#device = device as unknown as GpuDevice;
        this.#gpuAll = true;
        this.#batcher.request();
      },
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
        const track = this.#drawnTrack(info.index);
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
    for (const column of Object.values(this.#gpu)) column.destroy();
    this.#trails?.destroy();
  }

  #render(): void {
    const store = this.#store;
    const v = store.versions;
    const n = store.size;
    if (this.#drawnLayout !== v.layout) {
      this.#drawnLayout = v.layout;
      // Rows move with most batches (a level changed): copied into the same array, not a new one each time.
      const slots = store.rowSlots;
      if (this.#drawnSlotsBuffer.length < slots.length) this.#drawnSlotsBuffer = new Int32Array(Math.max(1024, 2 * slots.length));
      this.#drawnSlotsBuffer.set(slots);
      this.#drawnSlots = this.#drawnSlotsBuffer.subarray(0, slots.length);
    }
    // Nothing to draw with until deck has its device (a moment after the map loads; it asks for a render then).
    if (!this.#device) return;
    const hidden = this.#hiddenRows();
    const uploadAll = this.#gpuAll;
    const a = this.#gpuAttributes(this.#device, hidden);

    const attributes: Record<string, Attribute> = {
      getPosition: a.positions,
      getAngle: a.angles,
      getColor: a.colors,
      getSize: a.sizes,
      // The IconLayer's own attribute, filled from the icon index: deck never calls getIcon per track.
      instanceIconDefs: a.iconDefs,
    };
    const previous = this.#iconData;
    if (!previous || previous.length !== n || Object.entries(attributes).some(([name, x]) => previous.attributes[name] !== x)) {
      this.#iconData = { length: n, attributes };
    }
    const iconLayer = new IconLayer<unknown>({
      id: TRACKS_LAYER_ID,
      data: this.#iconData as BinaryData,
      _dataDiff: onlyNewRows,
      // The atlas is a canvas; deck turns any browser image object into a texture.
      iconAtlas: this.#iconAtlas as unknown as IconLayerProps<unknown>['iconAtlas'],
      iconMapping: TRACK_ICON_MAPPING,
      sizeUnits: 'pixels',
      billboard: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 110],
    } as unknown as IconLayerProps<unknown>);
    this.#iconLayer = iconLayer;

    const layers: Layer[] = [];
    if (this.#trails) {
      const heads: Record<string, Attribute> = { getSourcePosition: a.trailHeads, getTargetPosition: a.positions, getColor: a.headColors };
      const before = this.#headsData;
      if (!before || before.length !== n || Object.entries(heads).some(([name, x]) => before.attributes[name] !== x)) {
        this.#headsData = { length: n, attributes: heads };
      }
      const style: TrailStyle = { toDisplay: this.#toDisplay, hiddenSerials: hidden?.serials ?? null, key: `${this.#filterVersion}` };
      layers.push(...this.#trails.build(this.#device, store.trails, this.#headsData as BinaryData, style, uploadAll));
    }
    layers.push(...buildSelectionLayers(this.#selected()), iconLayer);
    this.#overlay.setProps({ layers });
  }

  /**
   * The columns in GPU buffers of ours: only the rows the store marked dirty are uploaded (all of them
   * the first time, and when a buffer grows), so a batch that moves every track uploads positions and
   * angles, and a handful of rows of the rest.
   */
  #gpuAttributes(device: GpuDevice, hidden: HiddenRows | null): TrackAttributes {
    const store = this.#store;
    const columns = store.columns;
    const n = columns.length;
    const dirty = store.dirtyRows;
    const all = this.#gpuAll;
    this.#gpuAll = false;
    const toDisplay = this.#toDisplay;
    const m = this.#mirrorsFor(n);
    const filterKey = hidden?.key ?? '';
    const refilter = filterKey !== this.#sizesFilterKey;
    this.#sizesFilterKey = filterKey;

    // A column dirty in most rows of the store's dirty span (positions and angles, when every track
    // moves) is uploaded over the whole span, without looking for its rows.
    const span = store.dirtySpan;
    const spanRows = span.end - span.start;
    const whole: RowRange[] = spanRows > 0 ? [{ startRow: span.start, endRow: span.end }] : [];
    const dense = (bit: number) => store.dirtyRowCount(bit) * DENSE_SHARE >= spanRows;
    let scan = 0;
    for (const bit of [DIRTY_POSITION, DIRTY_ANGLE, DIRTY_STYLE, DIRTY_TRAIL_HEAD]) if (store.dirtyRowCount(bit) > 0 && !dense(bit)) scan |= bit;
    // Rows whose CPU copies must follow: a new style (icon frames, sizes, head colours), a moved position or
    // trail head through the display transform.
    if (store.dirtyRowCount(DIRTY_STYLE) > 0) scan |= DIRTY_STYLE;
    if (toDisplay) scan |= DIRTY_POSITION | DIRTY_TRAIL_HEAD;

    // One pass over the rows that may be dirty: the ranges of the columns not uploaded whole, and the CPU
    // copies (displayed positions, icon frames and sizes, faded head colours) of the rows whose source changed.
    const positionRows = new RowRangeCollector();
    const angleRows = new RowRangeCollector();
    const styleRows = new RowRangeCollector();
    const headRows = new RowRangeCollector();
    const every = all || refilter;
    const from = every ? 0 : span.start;
    const to = every ? n : scan === 0 ? from : span.end;
    for (let row = from; row < to; row++) {
      const bits = all ? 0xff : dirty[row]! & scan;
      if (bits === 0 && !refilter) continue;
      if (bits & DIRTY_POSITION) positionRows.add(row);
      if (bits & DIRTY_ANGLE) angleRows.add(row);
      if (bits & DIRTY_STYLE) styleRows.add(row);
      if (bits & DIRTY_TRAIL_HEAD) headRows.add(row);
      const p = 2 * row;
      if (toDisplay && bits & DIRTY_POSITION) [m.positions[p], m.positions[p + 1]] = toDisplay(columns.positions[p]!, columns.positions[p + 1]!);
      if (toDisplay && bits & DIRTY_TRAIL_HEAD) [m.trailHeads[p], m.trailHeads[p + 1]] = toDisplay(columns.trailHeads[p]!, columns.trailHeads[p + 1]!);
      if ((bits & DIRTY_STYLE) === 0 && !refilter) continue;
      const icon = columns.icons[row]!;
      if (bits & DIRTY_STYLE) m.iconDefs.set(TRACK_ICON_DEFS.subarray(7 * icon, 7 * icon + 7), 7 * row);
      // A hidden symbol is drawn at size 0: nothing to see, nothing to pick.
      m.sizes[row] = hidden?.rows[row] ? 0 : TRACK_ICON_SIZES[icon]!;
      if (hidden) {
        const c = 4 * row;
        m.headColors.set(columns.colors.subarray(c, c + 3), c);
        m.headColors[c + 3] = hidden.rows[row] ? 0 : columns.colors[c + 3]!;
      }
    }

    const gpu = this.#gpu;
    const ranges = (collector: RowRangeCollector, bit: number) => (all ? null : scan & bit ? collector.finish() : store.dirtyRowCount(bit) > 0 ? whole : []);
    const style = ranges(styleRows, DIRTY_STYLE);
    const colors = gpu.colors.write(device, columns.colors, n, style);
    const result: TrackAttributes = {
      positions: gpu.positions.write(device, toDisplay ? m.positions : columns.positions, n, ranges(positionRows, DIRTY_POSITION)),
      angles: gpu.angles.write(device, columns.angles, n, ranges(angleRows, DIRTY_ANGLE)),
      colors,
      iconDefs: gpu.iconDefs.write(device, m.iconDefs, n, style),
      sizes: gpu.sizes.write(device, m.sizes, n, refilter ? null : style),
      trailHeads: gpu.trailHeads.write(device, toDisplay ? m.trailHeads : columns.trailHeads, n, ranges(headRows, DIRTY_TRAIL_HEAD)),
      // A hidden track's trail piece is drawn transparent.
      headColors: hidden ? gpu.headColors.write(device, m.headColors, n, refilter ? null : style) : colors,
    };
    store.clearDirty();
    return result;
  }

  /** CPU copies with room for n rows, their rows kept when they grow. */
  #mirrorsFor(n: number): Mirrors {
    const m = this.#mirrors;
    if (m && m.rows >= n) return m;
    const rows = Math.max(1024, 2 * n);
    const grown = <T extends Float32Array | Uint8Array>(old: T | undefined, size: number, make: new (k: number) => T): T => {
      const next = new make(rows * size);
      if (old) next.set(old);
      return next;
    };
    this.#mirrors = {
      rows,
      positions: grown(m?.positions, 2, Float32Array),
      trailHeads: grown(m?.trailHeads, 2, Float32Array),
      iconDefs: grown(m?.iconDefs, 7, Float32Array),
      sizes: grown(m?.sizes, 1, Float32Array),
      headColors: grown(m?.headColors, 4, Uint8Array),
    };
    return this.#mirrors;
  }

  /** Which rows the filter hides, recomputed when the filter, a track's record (its ring, level, kind) or the rows changed. */
  #hiddenRows(): HiddenRows | null {
    const filter = this.#filter;
    if (!filter) return (this.#hidden = null);
    const store = this.#store;
    const key = `${this.#filterVersion}.${store.versions.records}.${store.versions.layout}`;
    if (this.#hidden?.key === key) return this.#hidden;
    const { serials, length } = store.columns;
    const rows = new Uint8Array(length);
    const hiddenSerials = new Set<number>();
    for (let row = 0; row < length; row++) {
      const record = store.recordAtRow(row);
      if (!record || matchesFilter(record, filter)) continue;
      rows[row] = 1;
      hiddenSerials.add(serials[row]!);
    }
    return (this.#hidden = { key, rows, serials: hiddenSerials });
  }

  /**
   * The selected track's position and trail. Its position changes with most batches; its trail, a scan
   * of the whole segment ring, is rebuilt only when that track's own segments changed.
   */
  #selected(): SelectedTrack | null {
    const id = this.#selectedId;
    const store = this.#store;
    const row = id === null ? undefined : store.rowOf(id);
    if (row === undefined) {
      this.#selection = { key: '', value: null };
      return null;
    }
    const { positions, serials } = store.columns;
    const serial = serials[row]!;
    const trails = store.trails;
    const trailKey = this.#trails ? `${serial}|${trails.versionOf(serial)}` : `${serial}`;
    const key = `${trailKey}|${store.versions.positions}`;
    const cached = this.#selection;
    if (key === cached.key) return cached.value;
    const show = this.#toDisplay ?? ((lon: number, lat: number) => [lon, lat] as const);
    let trail = cached.value && cached.key.startsWith(`${trailKey}|`) ? cached.value.trail : null;
    if (!trail) {
      const path = this.#trails ? trails.pathOf(serial) : [];
      for (let i = 0; i + 1 < path.length; i += 2) [path[i], path[i + 1]] = show(path[i]!, path[i + 1]!);
      trail = path;
    }
    const value: SelectedTrack = { position: show(positions[2 * row]!, positions[2 * row + 1]!), trail };
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

  /** The newest state of the track drawn in a row of the last layer update. */
  #drawnTrack(row: number): Track | undefined {
    const slot = row >= 0 && row < this.#drawnSlots.length ? this.#drawnSlots[row]! : -1;
    return slot < 0 ? undefined : this.#store.trackInSlot(slot);
  }

  #emitPointer(info: PickingInfo, handler: ((event: TrackPointerEvent) => void) | undefined): void {
    const track = (info.layer?.id === TRACKS_LAYER_ID ? this.#drawnTrack(info.index) : undefined) ?? null;
    this.#map.getCanvas().style.cursor = track ? 'pointer' : '';
    try {
      handler?.({ track, x: info.x, y: info.y });
    } catch (error) {
      console.error('track pointer handler failed', error);
    }
  }
}
