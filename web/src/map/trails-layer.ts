import { LineLayer } from '@deck.gl/layers';
import type { RowRange, TrackTrails } from '../state/track-trails';
import { GpuColumn, type BufferAttribute, type GpuDevice } from './column-buffers';

/** Stable deck.gl layer ids of the trails. */
export const TRAIL_SEGMENTS_LAYER_ID = 'track-trails';
export const TRAIL_HEADS_LAYER_ID = 'track-trail-heads';

/** Trails are drawn this much fainter than their tracks' symbols. */
const TRAIL_OPACITY = 0.45;
const TRAIL_WIDTH_PX = 1.5;

/** Binary data for a LineLayer: row count and `getSourcePosition`, `getTargetPosition`, `getColor` as attributes. */
export interface TrailLineData {
  length: number;
  attributes: Record<string, BufferAttribute>;
}

/** Per track, the piece from its newest trail sample to where it is now. */
export type TrailHeadsData = TrailLineData;

/** How segments are drawn: the display transform, which tracks are hidden, and a key that changes with either. */
export interface TrailStyle {
  toDisplay: ((lon: number, lat: number) => readonly [number, number]) | null;
  hiddenSerials: ReadonlySet<number> | null;
  key: string;
}

/**
 * Binary data changes without deck re-reading anything: a new attribute object says its buffer changed;
 * only rows past the old end need deck's own attributes.
 */
const onlyNewRows = (next: { length: number }, previous: { length: number } | undefined): RowRange[] =>
  previous && next.length <= previous.length ? [] : [{ startRow: previous?.length ?? 0, endRow: next.length }];

/**
 * LineLayer with single-precision positions: the segment ends are float32 buffers of ours, and deck
 * then reads them as they are (≈1 m at Hainan's longitudes, under a pixel at the maximum zoom).
 */
class TrailSegmentLayer extends LineLayer<unknown> {
  static override layerName = 'TrailSegmentLayer';

  override use64bitPositions(): boolean {
    return false;
  }
}

/**
 * Builds the two trail layers of one frame:
 * - `track-trails`: the segment ring of {@link TrackTrails}, one line per ring row, on binary
 *   attributes: two GPU buffers of ours (the ends, x0 y0 x1 y1 per row, read as source and target
 *   through one stride; the colours) into which each frame writes only the row ranges the ring says
 *   changed. Deck calls no accessor and copies nothing per row.
 * - `track-trail-heads`: per track, the piece from its newest trail sample to where it is now, as
 *   binary attributes over the same columns as the symbols (it moves with every position update).
 *
 * Through a display transform (GCJ-02 tiles) or a filter the ring is uploaded from CPU copies of ours,
 * kept row range by row range as well: transformed ends, and colours with the hidden tracks' alpha 0.
 */
export class TrailsLayers {
  readonly #ends: GpuColumn;
  readonly #colors: GpuColumn;
  #dataVersion = -1;
  #styleKey: string | null = null;
  #data: TrailLineData | null = null;
  #endsAttribute: BufferAttribute | null = null;
  #shownEnds = new Float32Array(0);
  #shownColors = new Uint8Array(0);

  /** `maxSegments`: the ring's cap ({@link TrackTrails.maxSegments}), so no buffer is made larger. */
  constructor(maxSegments = Infinity) {
    this.#ends = new GpuColumn('float32', 4, maxSegments);
    this.#colors = new GpuColumn('unorm8', 4, maxSegments);
  }

  /**
   * The layers for the ring's current segments and the given heads (a new `heads` object when any of its
   * attributes changed). `all`: upload every row (a new device).
   */
  build(device: GpuDevice, trails: TrackTrails, heads: TrailHeadsData, style: TrailStyle, all = false): LineLayer<unknown>[] {
    const restyled = style.key !== this.#styleKey;
    if (trails.version !== this.#dataVersion || restyled || all || !this.#data) {
      this.#dataVersion = trails.version;
      this.#styleKey = style.key;
      const n = trails.capacity;
      const dirty = trails.takeDirtyRanges();
      const source = this.#source(trails, style, restyled || all ? null : dirty);
      const ends = this.#ends.write(device, source.ends, n, source.ranges);
      const colors = this.#colors.write(device, source.colors, n, source.ranges);
      const previous = this.#data;
      if (!previous || previous.length !== n || ends !== this.#endsAttribute || colors !== previous.attributes.getColor) {
        this.#endsAttribute = ends;
        this.#data = {
          length: n,
          attributes: {
            getSourcePosition: { ...ends, size: 2, offset: 0 },
            getTargetPosition: { ...ends, size: 2, offset: 8 },
            getColor: colors,
          },
        };
      }
    }
    const segments = new TrailSegmentLayer({
      id: TRAIL_SEGMENTS_LAYER_ID,
      data: this.#data,
      _dataDiff: onlyNewRows,
      getWidth: TRAIL_WIDTH_PX,
      widthUnits: 'pixels',
      opacity: TRAIL_OPACITY,
      pickable: false,
    } as unknown as ConstructorParameters<typeof TrailSegmentLayer>[0]);

    const headLayer = new LineLayer<unknown>({
      id: TRAIL_HEADS_LAYER_ID,
      data: heads,
      _dataDiff: onlyNewRows,
      getWidth: TRAIL_WIDTH_PX,
      widthUnits: 'pixels',
      opacity: TRAIL_OPACITY,
      pickable: false,
    } as unknown as ConstructorParameters<typeof LineLayer<unknown>>[0]);
    return [segments, headLayer];
  }

  /** Free the GPU memory. */
  destroy(): void {
    this.#ends.destroy();
    this.#colors.destroy();
    this.#data = null;
  }

  /**
   * What to upload the ring from, and which rows: its own arrays, or our copies with the transform and
   * the filter applied to `ranges` (to every row when null or when a copy had to be reallocated).
   */
  #source(trails: TrackTrails, style: TrailStyle, ranges: readonly RowRange[] | null): { ends: Float32Array; colors: Uint8Array; ranges: readonly RowRange[] | null } {
    const { toDisplay, hiddenSerials } = style;
    if (!toDisplay && !hiddenSerials) return { ends: trails.ends, colors: trails.colors, ranges };
    const n = trails.capacity;
    let rows = ranges;
    if (toDisplay && this.#shownEnds.length !== 4 * n) {
      this.#shownEnds = new Float32Array(4 * n);
      rows = null;
    }
    if (hiddenSerials && this.#shownColors.length !== 4 * n) {
      this.#shownColors = new Uint8Array(4 * n);
      rows = null;
    }
    const { ends, colors, serials } = trails;
    const shownEnds = this.#shownEnds;
    const shownColors = this.#shownColors;
    for (const { startRow, endRow } of rows ?? [{ startRow: 0, endRow: n }]) {
      for (let row = startRow; row < Math.min(endRow, n); row++) {
        const e = 4 * row;
        if (toDisplay) {
          const [x0, y0] = toDisplay(ends[e]!, ends[e + 1]!);
          const [x1, y1] = toDisplay(ends[e + 2]!, ends[e + 3]!);
          shownEnds[e] = x0;
          shownEnds[e + 1] = y0;
          shownEnds[e + 2] = x1;
          shownEnds[e + 3] = y1;
        }
        if (hiddenSerials) {
          shownColors[e] = colors[e]!;
          shownColors[e + 1] = colors[e + 1]!;
          shownColors[e + 2] = colors[e + 2]!;
          shownColors[e + 3] = hiddenSerials.has(serials[row]!) ? 0 : colors[e + 3]!;
        }
      }
    }
    return { ends: toDisplay ? shownEnds : ends, colors: hiddenSerials ? shownColors : colors, ranges: rows };
  }
}
