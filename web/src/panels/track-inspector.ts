import type { Track, TrackId } from '@seawall/contracts';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TrackPointerEvent } from '../map/tracks-layer';
import type { TrackStore } from '../state/track-store';
import type { TrackTooltip } from './track-tooltip';

/** What the inspector needs from the map's track overlay. */
export interface TrackSelectionTarget {
  select(id: TrackId | null): void;
}

/**
 * Hover a symbol to see its card; click to pin the card to the track (it then
 * follows the track as it moves and as the map pans); click empty sea or press
 * Escape to let go. The card's values refresh with every store update.
 */
export class TrackInspector {
  readonly #map: MapLibreMap;
  readonly #store: TrackStore;
  readonly #tooltip: TrackTooltip;
  readonly #selection: TrackSelectionTarget;
  #pinnedId: TrackId | null = null;
  #hover: { id: TrackId; x: number; y: number } | null = null;

  // A page with a track panel shows the pinned track there; the card then only follows the pointer.
  readonly #cardWhenPinned: boolean;

  constructor(map: MapLibreMap, store: TrackStore, tooltip: TrackTooltip, selection: TrackSelectionTarget, options: { cardWhenPinned?: boolean } = {}) {
    this.#cardWhenPinned = options.cardWhenPinned ?? true;
    this.#map = map;
    this.#store = store;
    this.#tooltip = tooltip;
    this.#selection = selection;
    map.on('move', () => this.#followPinned());
    window.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#unpin();
    });
  }

  get pinnedId(): TrackId | null {
    return this.#pinnedId;
  }

  /** The pointer moved: over a symbol, or off all of them (track null). */
  handleHover({ track, x, y }: TrackPointerEvent): void {
    this.#hover = track ? { id: track.id, x, y } : null;
    if (this.#pinnedId !== null) return;
    if (track) this.#tooltip.show(track, x, y);
    else this.#tooltip.hide();
  }

  /** A click on a symbol pins it; a click on empty map lets go. */
  handleClick({ track }: TrackPointerEvent): void {
    if (!track) {
      this.#unpin();
      return;
    }
    this.#pinnedId = track.id;
    this.#selection.select(track.id);
    this.#followPinned();
  }

  /** Lets go of the pinned track (the track panel was closed). */
  unpin(): void {
    this.#unpin();
  }

  /** The store changed: refresh the card, and drop the pin if its track is gone. */
  refresh(): void {
    if (this.#pinnedId !== null) {
      this.#followPinned();
      return;
    }
    if (!this.#hover) return;
    const track = this.#store.get(this.#hover.id);
    if (track) this.#tooltip.show(track, this.#hover.x, this.#hover.y);
    else this.#tooltip.hide();
  }

  #followPinned(): void {
    if (this.#pinnedId === null) return;
    const track: Track | undefined = this.#store.get(this.#pinnedId);
    if (!track) {
      this.#unpin();
      return;
    }
    if (!this.#cardWhenPinned) {
      this.#tooltip.hide();
      return;
    }
    const point = this.#map.project([track.lon, track.lat]);
    this.#tooltip.show(track, point.x, point.y, true);
  }

  #unpin(): void {
    if (this.#pinnedId === null) return;
    this.#pinnedId = null;
    this.#selection.select(null);
    this.#tooltip.hide();
  }
}
