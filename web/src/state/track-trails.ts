/** How long trails are, and how many segments all of them may hold together. */
export interface TrackTrailOptions {
  /** Trail length in time; older segments are dropped. Default 10 minutes. */
  windowMs?: number;
  /** The cap on trail segments over all tracks (memory and GPU work are bounded by it). Default 500,000. */
  maxSegments?: number;
  /** Never sample a track more often than this. Default 5 s. */
  minIntervalMs?: number;
}

/** Rows of the segment ring to re-upload, `[startRow, endRow)`, as deck.gl's `_dataDiff` takes them. */
export interface RowRange {
  startRow: number;
  endRow: number;
}

const INITIAL_CAPACITY = 1024;
/** More dirty ranges than this are uploaded as one. */
const MAX_RANGES = 8;

/**
 * The trails of all tracks as one ring of line segments in time order: each segment joins two
 * positions of one track sampled at least {@link TrackTrails.sampleIntervalMs} apart. New segments
 * go in at the head, expired ones are cleared at the tail, so each store update dirties one or two
 * contiguous row ranges and a layer re-uploads only those. A track's own trail is the segments that
 * carry its serial; the piece from its newest sample to where it is now is drawn from the store's
 * `trailHeads` column.
 *
 * The ring grows by doubling up to `maxSegments`; when full, the oldest segment is overwritten. The
 * sampling interval widens with the number of tracks so that `maxSegments` covers the whole window.
 */
export class TrackTrails {
  readonly windowMs: number;
  readonly maxSegments: number;
  readonly minIntervalMs: number;
  /** Segment ends: x0, y0, x1, y1 (lon, lat) per row. */
  ends = new Float32Array(0);
  /** RGBA per row; alpha 0 for a cleared row. */
  colors = new Uint8Array(0);
  /** When each segment was recorded (epoch ms); -Infinity for a cleared row. */
  times = new Float64Array(0);
  /** The serial of the track (the store's `serials` column) that each segment belongs to. */
  serials = new Uint32Array(0);
  /** Bumped whenever any row changes. */
  version = 0;
  /**
   * One serial is watched at a time (the selection's): its trail's version, a `#touches` value, moves when
   * one of its segments does. Any other serial's segments cost a comparison, not a map write per segment.
   */
  #watched = 0;
  #watchedVersion = 0;
  #touches = 0;
  #capacity = 0;
  #head = 0;
  #count = 0;
  #dirty: RowRange[] = [];

  constructor(options: TrackTrailOptions = {}) {
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.maxSegments = Math.max(INITIAL_CAPACITY, options.maxSegments ?? 500_000);
    this.minIntervalMs = options.minIntervalMs ?? 5_000;
  }

  /** Rows allocated (what a layer draws; cleared rows are transparent). */
  get capacity(): number {
    return this.#capacity;
  }

  /** Segments held. */
  get count(): number {
    return this.#count;
  }

  /** How far apart in time one track's samples are, so that `tracks` tracks fit the cap for the whole window. */
  sampleIntervalMs(tracks: number): number {
    return Math.max(this.minIntervalMs, (this.windowMs * tracks) / this.maxSegments);
  }

  /** Record one segment from (x0, y0) to (x1, y1) at `t`, coloured by `rgba[offset..offset+3]`. */
  append(serial: number, x0: number, y0: number, x1: number, y1: number, t: number, rgba: Uint8Array, offset: number): void {
    if (this.#count === this.#capacity && this.#capacity < this.maxSegments) this.#grow();
    const row = this.#head;
    const e = 4 * row;
    this.ends[e] = x0;
    this.ends[e + 1] = y0;
    this.ends[e + 2] = x1;
    this.ends[e + 3] = y1;
    this.colors[e] = rgba[offset]!;
    this.colors[e + 1] = rgba[offset + 1]!;
    this.colors[e + 2] = rgba[offset + 2]!;
    this.colors[e + 3] = rgba[offset + 3]!;
    this.times[row] = t;
    this.serials[row] = serial;
    this.#touch(serial);
    this.#head = row + 1 === this.#capacity ? 0 : row + 1;
    if (this.#count < this.#capacity) this.#count += 1;
    this.#markDirty(row, row + 1);
  }

  /** Clear every segment recorded before `cutoffMs` (they are the oldest, at the tail). */
  expire(cutoffMs: number): void {
    while (this.#count > 0) {
      const tail = this.#tail();
      if (!(this.times[tail]! < cutoffMs)) break;
      this.#touch(this.serials[tail]!);
      this.#clear(tail);
      this.#count -= 1;
      this.#markDirty(tail, tail + 1);
    }
  }

  /** Clear the segments of tracks that left the picture. */
  forget(serials: ReadonlySet<number>): void {
    if (serials.has(this.#watched)) this.#touch(this.#watched);
    if (serials.size === 0 || this.#count === 0) return;
    let lo = Infinity;
    let hi = -Infinity;
    let row = this.#tail();
    for (let k = 0; k < this.#count; k++) {
      if (this.times[row] !== -Infinity && serials.has(this.serials[row]!)) {
        this.#clear(row);
        lo = Math.min(lo, row);
        hi = Math.max(hi, row);
      }
      row = row + 1 === this.#capacity ? 0 : row + 1;
    }
    // One range over the cleared rows: a few large uploads beat thousands of small ones.
    if (hi >= lo) this.#markDirty(lo, hi + 1);
  }

  /**
   * Changes whenever the trail of the track with this serial does. One serial is followed at a time: asking
   * for another one than last time starts following it and gives a value not given before.
   */
  versionOf(serial: number): number {
    if (serial !== this.#watched) {
      this.#watched = serial;
      this.#watchedVersion = ++this.#touches;
    }
    return this.#watchedVersion;
  }

  /**
   * One track's trail as a path, oldest point first: the first segment's start, then every segment's
   * end. Empty when the track has no segments.
   */
  pathOf(serial: number): number[] {
    const path: number[] = [];
    let row = this.#tail();
    for (let k = 0; k < this.#count; k++) {
      if (this.serials[row] === serial && this.times[row] !== -Infinity) {
        const e = 4 * row;
        if (path.length === 0) path.push(this.ends[e]!, this.ends[e + 1]!);
        path.push(this.ends[e + 2]!, this.ends[e + 3]!);
      }
      row = row + 1 === this.#capacity ? 0 : row + 1;
    }
    return path;
  }

  /** The row ranges changed since the last call (merged, in row order); the caller re-uploads them. */
  takeDirtyRanges(): RowRange[] {
    const ranges = this.#dirty.sort((a, b) => a.startRow - b.startRow);
    this.#dirty = [];
    if (ranges.length > MAX_RANGES) return [{ startRow: ranges[0]!.startRow, endRow: ranges.reduce((end, r) => Math.max(end, r.endRow), 0) }];
    const merged: RowRange[] = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r.startRow <= last.endRow) last.endRow = Math.max(last.endRow, r.endRow);
      else merged.push({ ...r });
    }
    return merged;
  }

  /** Drop every segment. */
  clear(): void {
    for (let row = 0; row < this.#capacity; row++) this.#clear(row);
    // Any trail drawn before differs from the empty one now.
    this.#touch(this.#watched);
    this.#count = 0;
    this.#head = 0;
    if (this.#capacity > 0) this.#markDirty(0, this.#capacity);
  }

  #touch(serial: number): void {
    if (serial === this.#watched) this.#watchedVersion = ++this.#touches;
  }

  #tail(): number {
    const tail = this.#head - this.#count;
    return tail < 0 ? tail + this.#capacity : tail;
  }

  #clear(row: number): void {
    const e = 4 * row;
    // Zero length and transparent: the row draws nothing.
    this.ends[e + 2] = this.ends[e]!;
    this.ends[e + 3] = this.ends[e + 1]!;
    this.colors[e + 3] = 0;
    this.times[row] = -Infinity;
  }

  #markDirty(startRow: number, endRow: number): void {
    const last = this.#dirty[this.#dirty.length - 1];
    if (last && last.endRow === startRow) last.endRow = endRow;
    else if (last && last.startRow === endRow) last.startRow = startRow;
    else this.#dirty.push({ startRow, endRow });
    this.version += 1;
  }

  /** Double the ring, oldest segment first at row 0. */
  #grow(): void {
    const capacity = Math.min(this.maxSegments, Math.max(INITIAL_CAPACITY, 2 * this.#capacity));
    const ends = new Float32Array(4 * capacity);
    const colors = new Uint8Array(4 * capacity);
    const times = new Float64Array(capacity).fill(-Infinity);
    const serials = new Uint32Array(capacity);
    let row = this.#tail();
    for (let k = 0; k < this.#count; k++) {
      ends.set(this.ends.subarray(4 * row, 4 * row + 4), 4 * k);
      colors.set(this.colors.subarray(4 * row, 4 * row + 4), 4 * k);
      times[k] = this.times[row]!;
      serials[k] = this.serials[row]!;
      row = row + 1 === this.#capacity ? 0 : row + 1;
    }
    this.ends = ends;
    this.colors = colors;
    this.times = times;
    this.serials = serials;
    this.#head = this.#count;
    this.#capacity = capacity;
    this.#dirty = [{ startRow: 0, endRow: capacity }];
    this.version += 1;
  }
}
