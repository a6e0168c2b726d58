import type { AccessorContext } from '@deck.gl/core';
import { LineLayer } from '@deck.gl/layers';
import type { RowRange, TrackTrails } from '../state/track-trails';

/** Stable deck.gl layer ids of the trails. */
export const TRAIL_SEGMENTS_LAYER_ID = 'track-trails';
export const TRAIL_HEADS_LAYER_ID = 'track-trail-heads';

/** Trails are drawn this much fainter than their tracks' symbols. */
const TRAIL_OPACITY = 0.45;
const TRAIL_WIDTH_PX = 1.5;

/** Per track, the piece from its newest trail sample to where it is now: binary data for a LineLayer. */
export interface TrailHeadsData {
  length: number;
  /** `getSourcePosition`, `getTargetPosition`, `getColor`, as binary attributes. */
  attributes: Record<string, object>;
}

/** How segments are drawn: the display transform, which tracks are hidden, and a key that changes with either. */
export interface TrailStyle {
  toDisplay: ((lon: number, lat: number) => readonly [number, number]) | null;
  hiddenSerials: ReadonlySet<number> | null;
  key: string;
}

/** The segment ring as deck.gl data: its row count and the rows changed since the previous layer. */
interface TrailData {
  length: number;
  /** null: upload every row. */
  dirty: RowRange[] | null;
}

/**
 * LineLayer with single-precision positions: deck then keeps a Float32 copy of the ring, not a
 * Float64 one (half the memory); ≈1 m at Hainan's longitudes, under a pixel at the maximum zoom.
 */
class TrailSegmentLayer extends LineLayer<unknown> {
  static override layerName = 'TrailSegmentLayer';

  override use64bitPositions(): boolean {
    return false;
  }
}

/**
 * Builds the two trail layers of one frame:
 * - `track-trails`: the segment ring of {@link TrackTrails}, one line per segment. Accessors read the
 *   ring's arrays by row and `_dataDiff` hands deck only the rows the store touched since the last
 *   frame, so a batch re-uploads a few thousand rows, not the whole ring.
 * - `track-trail-heads`: per track, the piece from its newest trail sample to where it is now, as
 *   binary attributes over the same columns as the symbols (it moves with every position update).
 */
export class TrailsLayers {
  #dataVersion = -1;
  #styleKey = '';
  #data: TrailData = { length: 0, dirty: null };

  /**
   * The layers for the ring's current segments and the given heads (a new `heads` object when any of its
   * attributes changed; `headsDiff` is its `_dataDiff`).
   */
  build(
    trails: TrackTrails,
    heads: TrailHeadsData,
    headsDiff: (next: TrailHeadsData, previous: TrailHeadsData | undefined) => RowRange[],
    style: TrailStyle,
  ): LineLayer<unknown>[] {
    if (trails.version !== this.#dataVersion || style.key !== this.#styleKey) {
      const restyled = style.key !== this.#styleKey;
      this.#dataVersion = trails.version;
      this.#styleKey = style.key;
      const dirty = trails.takeDirtyRanges();
      this.#data = { length: trails.capacity, dirty: restyled ? null : dirty };
    }
    const { ends, colors, serials } = trails;
    const { toDisplay, hiddenSerials } = style;
    const end = (index: number, at: number, target: number[]): [number, number] => {
      const lon = ends[4 * index + at]!;
      const lat = ends[4 * index + at + 1]!;
      if (toDisplay) {
        const [x, y] = toDisplay(lon, lat);
        target[0] = x;
        target[1] = y;
      } else {
        target[0] = lon;
        target[1] = lat;
      }
      return target as [number, number];
    };
    const segments = new TrailSegmentLayer({
      id: TRAIL_SEGMENTS_LAYER_ID,
      data: this.#data,
      // A first layer, a grown ring or a new style uploads everything; otherwise only the rows that changed.
      _dataDiff: (next: TrailData, previous: TrailData | undefined) =>
        next.dirty && previous && next.length === previous.length ? next.dirty : [{ startRow: 0, endRow: next.length }],
      getSourcePosition: (_: unknown, { index, target }: AccessorContext<unknown>) => end(index, 0, target),
      getTargetPosition: (_: unknown, { index, target }: AccessorContext<unknown>) => end(index, 2, target),
      getColor: (_: unknown, { index, target }: AccessorContext<unknown>) => {
        target[0] = colors[4 * index]!;
        target[1] = colors[4 * index + 1]!;
        target[2] = colors[4 * index + 2]!;
        target[3] = hiddenSerials?.has(serials[index]!) ? 0 : colors[4 * index + 3]!;
        return target as [number, number, number, number];
      },
      getWidth: TRAIL_WIDTH_PX,
      widthUnits: 'pixels',
      opacity: TRAIL_OPACITY,
      pickable: false,
    } as ConstructorParameters<typeof TrailSegmentLayer>[0]);

    const headLayer = new LineLayer<unknown>({
      id: TRAIL_HEADS_LAYER_ID,
      data: heads,
      _dataDiff: headsDiff,
      getWidth: TRAIL_WIDTH_PX,
      widthUnits: 'pixels',
      opacity: TRAIL_OPACITY,
      pickable: false,
    } as ConstructorParameters<typeof LineLayer<unknown>>[0]);
    return [segments, headLayer];
  }
}
