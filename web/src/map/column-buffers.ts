import type { RowRange } from '../state/track-trails';

/** The part of a luma.gl GPU buffer used here (deck.gl's device makes them). */
export interface GpuBuffer {
  readonly byteLength: number;
  write(data: ArrayBufferView, byteOffset?: number): void;
  destroy(): void;
}

/** The part of a luma.gl device used here: deck.gl hands it over in `onDeviceInitialized`. */
export interface GpuDevice {
  createBuffer(props: { byteLength: number; usage: number }): GpuBuffer;
}

/** luma.gl `Buffer.VERTEX | Buffer.COPY_DST`: a vertex buffer written from the CPU. */
const VERTEX_BUFFER = 0x0020 | 0x0008;
/** Dirty rows closer than this are uploaded in one write (fewer calls beat a few extra bytes). */
const MERGE_GAP_ROWS = 64;
/**
 * A column's own ranges closer than this many bytes are written as one: each `bufferSubData` costs far
 * more than copying a few kilobytes more, so narrow columns (colours, sizes) merge across wide gaps.
 */
const MERGE_GAP_BYTES = 16_384;
/** More ranges than this become one write over all of them. */
const MAX_RANGES = 128;

/** A binary attribute over a GPU buffer of our own, as deck.gl takes it. */
export interface BufferAttribute {
  buffer: GpuBuffer;
  type: 'float32' | 'unorm8';
  size: number;
  /** Bytes per row (deck would assume 8-byte elements for 64-bit positions otherwise). */
  stride: number;
  /** Where in a row this attribute starts, in bytes (several attributes can share one buffer). */
  offset: number;
}

/**
 * Rows of one column given in ascending order, gathered into row ranges with neighbours merged: what to
 * upload of that column. Several collectors fill in one pass over the dirty bits.
 */
export class RowRangeCollector {
  readonly #ranges: RowRange[] = [];
  #start = -1;
  #end = -1;

  add(row: number): void {
    if (this.#start >= 0 && row - this.#end <= MERGE_GAP_ROWS) {
      this.#end = row + 1;
      return;
    }
    if (this.#start >= 0) this.#ranges.push({ startRow: this.#start, endRow: this.#end });
    this.#start = row;
    this.#end = row + 1;
  }

  /** The ranges (one over all of them when there are too many to write one by one). */
  finish(): RowRange[] {
    const ranges = this.#ranges;
    if (this.#start >= 0) ranges.push({ startRow: this.#start, endRow: this.#end });
    this.#start = -1;
    if (ranges.length > MAX_RANGES) return [{ startRow: ranges[0]!.startRow, endRow: ranges[ranges.length - 1]!.endRow }];
    return ranges;
  }
}

/**
 * The rows whose `bit` is set in `dirty` as row ranges, neighbours merged: what to upload of one column.
 */
export function dirtyRanges(dirty: Uint8Array, bit: number): RowRange[] {
  const collector = new RowRangeCollector();
  for (let row = 0; row < dirty.length; row++) if ((dirty[row]! & bit) !== 0) collector.add(row);
  return collector.finish();
}

/** Ranges in row order with those at most `gapRows` apart joined (a new list; the given one is left as it is). */
export function coalesce(ranges: readonly RowRange[], gapRows: number): RowRange[] {
  const joined: RowRange[] = [];
  let last: RowRange | undefined;
  for (const { startRow, endRow } of ranges) {
    if (last && startRow - last.endRow <= gapRows) last.endRow = Math.max(last.endRow, endRow);
    else joined.push((last = { startRow, endRow }));
  }
  return joined;
}

/**
 * One column of per-row values kept on the GPU: uploads only the rows it is told changed, grows by
 * doubling (and then uploads everything). Each write yields a new attribute object, which is how
 * deck.gl learns that the buffer's content changed and redraws; the buffer itself is deck's to read.
 */
export class GpuColumn {
  readonly #type: 'float32' | 'unorm8';
  readonly #size: number;
  readonly #rowBytes: number;
  #buffer: GpuBuffer | null = null;
  #rows = 0;
  #attribute: BufferAttribute | null = null;
  /** Replaced buffers, destroyed at the next write (deck may still draw from them until it has the new one). */
  #retired: GpuBuffer[] = [];

  readonly #maxRows: number;

  /** `maxRows`: the most rows it will ever be asked for (growth by doubling stops there). */
  constructor(type: 'float32' | 'unorm8', size: number, maxRows = Infinity) {
    this.#maxRows = maxRows;
    this.#type = type;
    this.#size = size;
    this.#rowBytes = size * (type === 'float32' ? 4 : 1);
  }

  /** The attribute of the last write (null before the first). */
  get attribute(): BufferAttribute | null {
    return this.#attribute;
  }

  /**
   * Upload `ranges` of `source` (this column's values for rows 0…n-1, `size` per row), or all n rows when
   * the buffer had to grow or `ranges` is null. Returns the attribute, new if anything was written.
   */
  write(device: GpuDevice, source: Float32Array | Uint8Array, n: number, ranges: readonly RowRange[] | null): BufferAttribute {
    for (const old of this.#retired) old.destroy();
    this.#retired = [];
    let all = ranges === null || this.#attribute === null;
    if (!this.#buffer || this.#rows < n) {
      if (this.#buffer) this.#retired.push(this.#buffer);
      this.#rows = Math.max(n, Math.min(this.#maxRows, Math.max(1024, 2 * n)));
      this.#buffer = device.createBuffer({ byteLength: this.#rows * this.#rowBytes, usage: VERTEX_BUFFER });
      all = true;
    }
    const buffer = this.#buffer;
    const size = this.#size;
    const writes = all ? (n > 0 ? [{ startRow: 0, endRow: n }] : []) : coalesce(ranges!, Math.floor(MERGE_GAP_BYTES / this.#rowBytes));
    for (const { startRow, endRow } of writes) {
      const end = Math.min(endRow, n);
      if (end > startRow) buffer.write(source.subarray(startRow * size, end * size), startRow * this.#rowBytes);
    }
    if (writes.length > 0 || !this.#attribute || this.#attribute.buffer !== buffer) {
      this.#attribute = { buffer, type: this.#type, size, stride: this.#rowBytes, offset: 0 };
    }
    return this.#attribute;
  }

  /** Free the GPU memory. */
  destroy(): void {
    for (const old of this.#retired) old.destroy();
    this.#buffer?.destroy();
    this.#retired = [];
    this.#buffer = null;
    this.#attribute = null;
  }
}
