import { riskRank, type Track, type TrackId } from '@seawall/contracts';
import type { PickingInfo } from '@deck.gl/core';
import { IconLayer, type IconLayerProps, ScatterplotLayer } from '@deck.gl/layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { FrameBatcher } from '../state/frame-batcher';
import type { TrackStore } from '../state/track-store';
import { trackColor } from './risk-colors';
import {
  TRACK_ICON_MAPPING,
  TRACK_ICON_SIZE_PX,
  drawTrackIconAtlas,
  trackIconAngle,
  trackIconOf,
} from './track-icons';

/** The stable deck.gl layer id of the track symbols (tests pick on it). */
export const TRACKS_LAYER_ID = 'tracks';
const SELECTION_LAYER_ID = 'tracks-selection';

/** A track under the pointer, with where the pointer is (CSS pixels in the map container). */
export interface TrackPointerEvent {
  track: Track | null;
  x: number;
  y: number;
}

export interface TracksLayerOptions {
  onHover?: (event: TrackPointerEvent) => void;
  onClick?: (event: TrackPointerEvent) => void;
}

/**
 * Draws the store's tracks as deck.gl symbols over the map, one overlay owned
 * here. Store changes are batched to one layer update per animation frame;
 * each update hands deck a new data array under the same layer id.
 *
 * `interleaved: false`: deck draws on its own canvas above the map (interleaved
 * mode threw with maplibre, see ARCHITECTURE.md).
 */
export class TracksLayer {
  readonly #map: MapLibreMap;
  readonly #store: TrackStore;
  readonly #overlay: MapboxOverlay;
  readonly #batcher: FrameBatcher;
  readonly #iconAtlas: HTMLCanvasElement;
  readonly #afterRender = new Set<() => void>();
  readonly #unsubscribe: () => void;
  #iconLayer: IconLayer<Track> | null = null;
  #drawOrder: { source: readonly Track[]; sorted: Track[] } | null = null;
  #selectedId: TrackId | null = null;

  constructor(map: MapLibreMap, store: TrackStore, options: TracksLayerOptions = {}) {
    this.#map = map;
    this.#store = store;
    this.#iconAtlas = drawTrackIconAtlas();
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

  /** Ring one track (or none) on the map. */
  select(id: TrackId | null): void {
    if (id === this.#selectedId) return;
    this.#selectedId = id;
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
        const track = info.object as Track | undefined;
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

  /** The store's tracks, lowest risk first, so red is drawn on top of everything else. */
  #tracksInDrawOrder(): Track[] {
    const source = this.#store.list();
    if (this.#drawOrder?.source !== source) {
      const sorted = [...source].sort((a, b) => riskRank(a.level) - riskRank(b.level));
      this.#drawOrder = { source, sorted };
    }
    return this.#drawOrder.sorted;
  }

  #render(): void {
    const tracks = this.#tracksInDrawOrder();
    const iconLayer = new IconLayer<Track>({
      id: TRACKS_LAYER_ID,
      data: tracks,
      // The atlas is a canvas; deck turns any browser image object into a texture.
      iconAtlas: this.#iconAtlas as unknown as IconLayerProps<Track>['iconAtlas'],
      iconMapping: TRACK_ICON_MAPPING,
      getIcon: (track) => trackIconOf(track),
      getPosition: (track) => [track.lon, track.lat],
      getAngle: (track) => trackIconAngle(track),
      getSize: (track) => TRACK_ICON_SIZE_PX[trackIconOf(track)],
      getColor: (track) => [...trackColor(track.level, track.state)],
      sizeUnits: 'pixels',
      billboard: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 110],
    });
    this.#iconLayer = iconLayer;

    const selected = this.#selectedId === null ? undefined : this.#store.get(this.#selectedId);
    const selectionLayer = new ScatterplotLayer<Track>({
      id: SELECTION_LAYER_ID,
      data: selected ? [selected] : [],
      getPosition: (track) => [track.lon, track.lat],
      getRadius: 17,
      radiusUnits: 'pixels',
      stroked: true,
      filled: false,
      getLineColor: [235, 245, 255, 230],
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
      pickable: false,
    });
    this.#overlay.setProps({ layers: [selectionLayer, iconLayer] });
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
    const track = info.layer?.id === TRACKS_LAYER_ID ? ((info.object as Track | undefined) ?? null) : null;
    this.#map.getCanvas().style.cursor = track ? 'pointer' : '';
    try {
      handler?.({ track, x: info.x, y: info.y });
    } catch (error) {
      console.error('track pointer handler failed', error);
    }
  }
}
