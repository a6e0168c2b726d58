import { RISK_LEVELS, riskRank, type RiskLevel, type Track, type TrackId } from '@seawall/contracts';
import { KINEMATIC_STRIDE, TrackBatchEncoder, type TrackColumnBatch, type TrackRecord } from './track-columns';
import { RANKS, STYLE_COLOR, STYLE_ICON, STYLE_RANK, styleOf } from './track-style';
import { TrackTrails, type TrackTrailOptions } from './track-trails';

/** What changed in one store update, so listeners can do as little as possible. */
export type TrackStoreChange =
  | { kind: 'replaced'; count: number }
  | { kind: 'upserted'; count: number }
  | { kind: 'removed'; count: number };

export type TrackStoreListener = (change: TrackStoreChange) => void;

const INITIAL_CAPACITY = 1024;
const K = KINEMATIC_STRIDE;

/** Bits of `dirtyRows`: which of a row's columns changed since the last `clearDirty`. */
export const DIRTY_POSITION = 1;
export const DIRTY_ANGLE = 2;
/** Colour and symbol. */
export const DIRTY_STYLE = 4;
export const DIRTY_TRAIL_HEAD = 8;
const DIRTY_ALL = DIRTY_POSITION | DIRTY_ANGLE | DIRTY_STYLE | DIRTY_TRAIL_HEAD;

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/** Which columns changed; each counter goes up when any row of its column does. */
export interface TrackColumnVersions {
  /** Any change at all. */
  tracks: number;
  /** A track's record (ring, level, kind, names) changed, or tracks came or went. */
  records: number;
  /** Rows added, removed or moved: every column changed. */
  layout: number;
  positions: number;
  angles: number;
  colors: number;
  icons: number;
  trailHeads: number;
}

/**
 * The tracks as typed arrays, one row per track, ready to hand to deck.gl as binary attributes.
 * Rows are kept in draw order: grouped by risk rank, lowest first, so red is drawn over the rest.
 * Arrays are replaced (larger) when the store grows; read them again after every change.
 */
export interface TrackColumns {
  /** Rows in use; the arrays may be longer. */
  readonly length: number;
  /** lon, lat per row. */
  readonly positions: Float32Array;
  /** deck.gl icon angle per row (degrees counter-clockwise; the map is north-up). */
  readonly angles: Float32Array;
  /** RGBA per row: risk colour, alpha by state. */
  readonly colors: Uint8Array;
  /** Index into `TRACK_ICON_ORDER` per row. */
  readonly icons: Uint8Array;
  /** lon, lat of the newest trail sample per row: a trail's last segment runs from here to `positions`. */
  readonly trailHeads: Float32Array;
  /** A number per track, never reused while the page lives: tags the track's trail segments. */
  readonly serials: Uint32Array;
}

export interface TrackStoreOptions {
  trails?: TrackTrailOptions;
}

/**
 * The browser's copy of the live picture: one row per track.
 *
 * Written by {@link apply} with {@link TrackColumnBatch}es (the console's socket worker encodes them), or
 * with `Track` objects through `replaceAll` / `upsert` / `remove`, which encode them here; one store takes
 * one of the two. Each track has a slot (the encoder's) and a row: rows are the draw order, slot → row
 * and row → slot are typed arrays, so an update batch is typed-array writes, with no string lookup and no
 * object per track. What the map draws is kept in typed-array columns by row (`columns`, `versions`,
 * `dirtyRows`), so deck.gl re-uploads only what changed; trails are sampled here too (`trails`).
 *
 * `get` and `list` give `Track` objects, made from a track's record and its motion columns when asked for
 * and kept until the track changes; `list()` returns a new array after each change and the same array
 * between changes.
 */
export class TrackStore {
  readonly #listeners = new Set<TrackStoreListener>();
  readonly #trails: TrackTrails;
  #encoder: TrackBatchEncoder | null = null;
  readonly #slotOfId = new Map<TrackId, number>();
  /** By slot: the record, the motion (K numbers), the Track made from them (until either changes), the row (-1: none). */
  readonly #records: (TrackRecord | undefined)[] = [];
  #kinematics = new Float64Array(0);
  readonly #made: (Track | undefined)[] = [];
  /** Entries of `#made` set: with none, an update has none to drop. */
  #madeCount = 0;
  #rowOfSlot = new Int32Array(0);
  #slotCapacity = 0;
  #size = 0;
  #capacity = 0;
  #nextSerial = 1;
  /** First row of each rank; `#rankStart[RANKS]` is the row count. */
  readonly #rankStart = new Int32Array(RANKS + 1);
  #slotOfRow = new Int32Array(0);
  #positions = new Float32Array(0);
  #angles = new Float32Array(0);
  #colors = new Uint8Array(0);
  #icons = new Uint8Array(0);
  #styles = new Uint8Array(0);
  #trailHeads = new Float32Array(0);
  #serials = new Uint32Array(0);
  /** Per row, the DIRTY_* bits of the columns that changed since `clearDirty`. */
  #dirty = new Uint8Array(0);
  /** Every dirty row is in `[#dirtyStart, #dirtyEnd)`. */
  #dirtyStart = Infinity;
  #dirtyEnd = 0;
  /** By DIRTY_* bit value: rows that got the bit since `clearDirty`. */
  readonly #dirtyCounts = new Int32Array(DIRTY_ALL + 1);
  /** Trails are sampled a slice of rows per update, round the rows: where the next slice starts. */
  #trailCursor = 0;
  /** Rows owed a trail sample (fractional), and when the last update came. */
  #trailDebt = 0;
  #lastUpdateMs: number | null = null;
  readonly #versions: TrackColumnVersions = { tracks: 0, records: 0, layout: 0, positions: 0, angles: 0, colors: 0, icons: 0, trailHeads: 0 };
  #list: Track[] | null = [];
  #lastChangeMs: number | null = null;

  constructor(options: TrackStoreOptions = {}) {
    this.#trails = new TrackTrails(options.trails);
    this.#grow(INITIAL_CAPACITY);
    this.#growSlots(INITIAL_CAPACITY);
  }

  /** Number of tracks held. */
  get size(): number {
    return this.#size;
  }

  /** Wall-clock time (epoch ms) of the last change, or null before the first. */
  get lastChangeMs(): number | null {
    return this.#lastChangeMs;
  }

  /** The typed-array picture (a fresh view object; its arrays are the store's own, do not write to them). */
  get columns(): TrackColumns {
    return {
      length: this.#size,
      positions: this.#positions,
      angles: this.#angles,
      colors: this.#colors,
      icons: this.#icons,
      trailHeads: this.#trailHeads,
      serials: this.#serials,
    };
  }

  /** Per row, the track's slot (valid until the next change; do not write to it). */
  get rowSlots(): Int32Array {
    return this.#slotOfRow.subarray(0, this.#size);
  }

  /**
   * Per row, which columns changed since the last {@link clearDirty} (DIRTY_* bits): what a layer that
   * keeps its own GPU copy must upload. One reader; rows past `size` mean nothing.
   */
  get dirtyRows(): Uint8Array {
    return this.#dirty.subarray(0, this.#size);
  }

  /** Rows `[start, end)` outside which no row is dirty: a reader need look no further. */
  get dirtySpan(): { start: number; end: number } {
    return { start: Math.min(this.#dirtyStart, this.#size), end: Math.min(this.#dirtyEnd, this.#size) };
  }

  /**
   * About how many rows have `bit` (one DIRTY_* bit) set: a reader that finds them dense in `dirtySpan`
   * uploads the span whole instead of looking for them row by row.
   */
  dirtyRowCount(bit: number): number {
    return this.#dirtyCounts[bit] ?? 0;
  }

  /** The reader of `dirtyRows` has uploaded them. */
  clearDirty(): void {
    if (this.#dirtyEnd > this.#dirtyStart) this.#dirty.fill(0, this.#dirtyStart, Math.min(this.#dirtyEnd, this.#dirty.length));
    this.#dirtyStart = Infinity;
    this.#dirtyEnd = 0;
    this.#dirtyCounts.fill(0);
  }

  /** Change counters of the columns (read-only). */
  get versions(): Readonly<TrackColumnVersions> {
    return this.#versions;
  }

  /** Every track's recent path. */
  get trails(): TrackTrails {
    return this.#trails;
  }

  /** One track by id. */
  get(id: TrackId): Track | undefined {
    const slot = this.#slotOfId.get(id);
    return slot === undefined ? undefined : this.trackInSlot(slot);
  }

  /** The track in a slot (see `rowSlots`), or undefined when the slot is free. */
  trackInSlot(slot: number): Track | undefined {
    const made = this.#made[slot];
    if (made) return made;
    const record = this.#records[slot];
    if (!record) return undefined;
    const kin = this.#kinematics;
    const k = K * slot;
    const track: Track = {
      id: record.id,
      kind: record.kind,
      state: record.state,
      lon: kin[k]!,
      lat: kin[k + 1]!,
      sogKn: orNull(kin[k + 2]!),
      cogDeg: orNull(kin[k + 3]!),
      headingDeg: orNull(kin[k + 4]!),
      mmsi: record.mmsi,
      name: record.name,
      callsign: record.callsign,
      shipType: record.shipType,
      destination: record.destination,
      ring: record.ring,
      level: record.level,
      sources: record.sources,
      firstSeenMs: record.firstSeenMs,
      lastSeenMs: kin[k + 5]!,
      updates: kin[k + 6]!,
    };
    this.#made[slot] = track;
    this.#madeCount += 1;
    return track;
  }

  /** The record (everything but the motion: ring, level, kind, names) of the track in a row. */
  recordAtRow(row: number): TrackRecord | undefined {
    return row < this.#size ? this.#records[this.#slotOfRow[row]!] : undefined;
  }

  /** The row of a track (valid until the next change), or undefined. */
  rowOf(id: TrackId): number | undefined {
    const slot = this.#slotOfId.get(id);
    return slot === undefined ? undefined : this.#rowOfSlot[slot]!;
  }

  /** All tracks, in draw order (lowest risk first); a new array after every change, the same array otherwise. */
  list(): readonly Track[] {
    if (this.#list === null) {
      const list: Track[] = new Array(this.#size);
      for (let row = 0; row < this.#size; row++) list[row] = this.trackInSlot(this.#slotOfRow[row]!)!;
      this.#list = list;
    }
    return this.#list;
  }

  /** How many tracks are at each level, from the rank groups (no pass over the tracks). */
  levelCounts(): Record<RiskLevel | 'none', number> {
    const count = (rank: number) => this.#rankStart[rank + 1]! - this.#rankStart[rank]!;
    const counts = { none: count(0) } as Record<RiskLevel | 'none', number>;
    for (const level of RISK_LEVELS) counts[level] = count(riskRank(level));
    return counts;
  }

  /** Replace the whole picture with a snapshot; tracks still in it keep their trails. */
  replaceAll(tracks: readonly Track[], nowMs = Date.now()): void {
    this.apply(this.#ownEncoder().replace(tracks), nowMs);
  }

  /** Insert or overwrite the given tracks (a delta batch). */
  upsert(tracks: readonly Track[], nowMs = Date.now()): void {
    if (tracks.length === 0) return;
    this.apply(this.#ownEncoder().upsert(tracks), nowMs);
  }

  /** Forget the given tracks. */
  remove(ids: readonly TrackId[], nowMs = Date.now()): void {
    this.apply(this.#ownEncoder().remove(ids), nowMs);
  }

  /**
   * Apply an encoded batch (from the one encoder that feeds this store). A snapshot replaces the
   * picture, tracks still in it keeping their trails; deltas upsert; removals forget.
   */
  apply(batch: TrackColumnBatch, nowMs = Date.now()): void {
    const removed = this.#removeSlots(batch.removed);
    for (const { slot, record } of batch.records) {
      if (slot >= this.#slotCapacity) this.#growSlots(Math.max(2 * this.#slotCapacity, slot + 1));
      const old = this.#records[slot];
      if (old && old.id !== record.id) this.#slotOfId.delete(old.id);
      this.#records[slot] = record;
      this.#slotOfId.set(record.id, slot);
    }
    if (batch.records.length > 0) this.#versions.records += 1;
    const count = batch.slots.length;
    if (count > 0) this.#upsertRows(batch, nowMs);
    if (batch.kind === 'replace') this.#changed({ kind: 'replaced', count }, nowMs);
    else if (batch.kind === 'upsert' && count > 0) this.#changed({ kind: 'upserted', count }, nowMs);
    else if (batch.kind === 'remove' && removed > 0) this.#changed({ kind: 'removed', count: removed }, nowMs);
  }

  /** Listen to changes; returns the function that stops listening. */
  subscribe(listener: TrackStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #ownEncoder(): TrackBatchEncoder {
    this.#encoder ??= new TrackBatchEncoder();
    return this.#encoder;
  }

  #upsertRows(batch: TrackColumnBatch, nowMs: number): void {
    const { slots, kinematics, positions: itemPositions, styles: itemStyles, angles: itemAngles } = batch;
    const count = slots.length;
    this.#copyKinematics(slots, kinematics);
    const rowOfSlot = this.#rowOfSlot;
    let positions = this.#positions;
    let angles = this.#angles;
    let styles = this.#styles;
    let dirty = this.#dirty;
    let moved = false;
    let turned = false;
    let restyled = false;
    let dirtyStart = this.#dirtyStart;
    let dirtyEnd = this.#dirtyEnd;
    let movedRows = 0;
    let turnedRows = 0;
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      const style = itemStyles[i]!;
      let row = rowOfSlot[slot]!;
      if (row < 0) {
        this.#insert(slot, style, itemAngles[i]!);
        // The insert may have grown the columns.
        positions = this.#positions;
        angles = this.#angles;
        styles = this.#styles;
        dirty = this.#dirty;
        continue;
      }
      let bits = 0;
      if (styles[row] !== style) {
        if (STYLE_RANK[styles[row]!] !== STYLE_RANK[style]) row = this.#changeRank(row, STYLE_RANK[style]!);
        this.#setStyle(row, style);
        bits = DIRTY_STYLE;
        restyled = true;
      }
      const p = 2 * row;
      const lon = itemPositions[2 * i]!;
      const lat = itemPositions[2 * i + 1]!;
      if (positions[p] !== lon || positions[p + 1] !== lat) {
        positions[p] = lon;
        positions[p + 1] = lat;
        bits |= DIRTY_POSITION;
        moved = true;
      }
      const angle = itemAngles[i]!;
      if (angles[row] !== angle) {
        angles[row] = angle;
        bits |= DIRTY_ANGLE;
        turned = true;
      }
      if (bits !== 0) {
        // #markDirty inlined: this runs for nearly every row of a batch.
        const fresh = bits & ~dirty[row]!;
        dirty[row]! |= bits;
        if (fresh & DIRTY_POSITION) movedRows += 1;
        if (fresh & DIRTY_ANGLE) turnedRows += 1;
        if (fresh & DIRTY_STYLE) this.#dirtyCounts[DIRTY_STYLE]! += 1;
        if (row < dirtyStart) dirtyStart = row;
        if (row >= dirtyEnd) dirtyEnd = row + 1;
      }
    }
    // Inserts and swaps above widened the span themselves.
    this.#dirtyStart = Math.min(this.#dirtyStart, dirtyStart);
    this.#dirtyEnd = Math.max(this.#dirtyEnd, dirtyEnd);
    this.#dirtyCounts[DIRTY_POSITION]! += movedRows;
    this.#dirtyCounts[DIRTY_ANGLE]! += turnedRows;
    const sampled = this.#sampleTrails(nowMs);
    this.#trails.expire(nowMs - this.#trails.windowMs);
    const v = this.#versions;
    if (moved) v.positions += 1;
    if (turned) v.angles += 1;
    if (restyled) {
      v.colors += 1;
      v.icons += 1;
    }
    if (sampled) v.trailHeads += 1;
  }

  /**
   * The items' motion into the slots' rows of `#kinematics`, and the Track objects made from the old
   * motion dropped. Deltas come in slot order, so runs of neighbouring slots go in one `set`.
   */
  #copyKinematics(slots: Int32Array, kinematics: Float64Array): void {
    const kin = this.#kinematics;
    const count = slots.length;
    let start = 0;
    for (let i = 1; i <= count; i++) {
      if (i < count && slots[i] === slots[i - 1]! + 1) continue;
      kin.set(kinematics.subarray(K * start, K * i), K * slots[start]!);
      start = i;
    }
    if (this.#madeCount === 0) return;
    const made = this.#made;
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      if (made[slot] === undefined) continue;
      made[slot] = undefined;
      this.#madeCount -= 1;
    }
  }

  /**
   * Trail samples for the rows whose turn it is: every row once per sampling interval, a slice of
   * them per update, so no update pays for all and the trail ring fills evenly.
   */
  #sampleTrails(nowMs: number): boolean {
    const last = this.#lastUpdateMs;
    this.#lastUpdateMs = nowMs;
    const size = this.#size;
    if (last === null || size === 0 || nowMs <= last) return false;
    this.#trailDebt = Math.min(size, this.#trailDebt + (size * (nowMs - last)) / this.#trails.sampleIntervalMs(size));
    const due = Math.floor(this.#trailDebt);
    this.#trailDebt -= due;
    let row = this.#trailCursor >= size ? 0 : this.#trailCursor;
    let sampled = false;
    for (let k = 0; k < due; k++) {
      if (this.#sampleTrail(row, nowMs)) sampled = true;
      row = row + 1 === size ? 0 : row + 1;
    }
    this.#trailCursor = row;
    return sampled;
  }

  /** A new trail segment from the row's last sample to where it is now, if it moved. */
  #sampleTrail(row: number, nowMs: number): boolean {
    const p = 2 * row;
    const heads = this.#trailHeads;
    const x0 = heads[p]!;
    const y0 = heads[p + 1]!;
    const x1 = this.#positions[p]!;
    const y1 = this.#positions[p + 1]!;
    if (x0 === x1 && y0 === y1) return false;
    this.#trails.append(this.#serials[row]!, x0, y0, x1, y1, nowMs, this.#colors, 4 * row);
    heads[p] = x1;
    heads[p + 1] = y1;
    this.#markDirty(row, DIRTY_TRAIL_HEAD);
    return true;
  }

  #markDirty(row: number, bits: number): void {
    const fresh = bits & ~this.#dirty[row]!;
    const counts = this.#dirtyCounts;
    if (fresh & DIRTY_POSITION) counts[DIRTY_POSITION]! += 1;
    if (fresh & DIRTY_ANGLE) counts[DIRTY_ANGLE]! += 1;
    if (fresh & DIRTY_STYLE) counts[DIRTY_STYLE]! += 1;
    if (fresh & DIRTY_TRAIL_HEAD) counts[DIRTY_TRAIL_HEAD]! += 1;
    this.#dirty[row]! |= bits;
    if (row < this.#dirtyStart) this.#dirtyStart = row;
    if (row >= this.#dirtyEnd) this.#dirtyEnd = row + 1;
  }

  #setStyle(row: number, style: number): void {
    this.#styles[row] = style;
    this.#icons[row] = STYLE_ICON[style]!;
    const c = 4 * row;
    const k = 4 * style;
    this.#colors[c] = STYLE_COLOR[k]!;
    this.#colors[c + 1] = STYLE_COLOR[k + 1]!;
    this.#colors[c + 2] = STYLE_COLOR[k + 2]!;
    this.#colors[c + 3] = STYLE_COLOR[k + 3]!;
  }

  /** A new row for a slot whose record and motion are set. */
  #insert(slot: number, style: number, angle: number): void {
    if (this.#size === this.#capacity) this.#grow(2 * this.#capacity);
    let row = this.#size;
    this.#size += 1;
    this.#rankStart[RANKS] = this.#size;
    this.#slotOfRow[row] = slot;
    this.#rowOfSlot[slot] = row;
    // The new row sits at the end of the top rank group; walk it down to its own.
    this.#styles[row] = styleOf(RANKS - 1, 0, 0);
    const rank = STYLE_RANK[style]!;
    if (rank !== RANKS - 1) row = this.#changeRank(row, rank);
    this.#setStyle(row, style);
    const serial = this.#nextSerial;
    this.#nextSerial = (serial + 1) >>> 0 || 1;
    this.#serials[row] = serial;
    const p = 2 * row;
    const k = K * slot;
    this.#positions[p] = this.#trailHeads[p] = this.#kinematics[k]!;
    this.#positions[p + 1] = this.#trailHeads[p + 1] = this.#kinematics[k + 1]!;
    this.#angles[row] = angle;
    this.#markDirty(row, DIRTY_ALL);
    this.#layoutChanged();
  }

  #removeSlots(slots: Int32Array): number {
    if (slots.length === 0) return 0;
    const serials = new Set<number>();
    for (const slot of slots) {
      let row = slot < this.#slotCapacity ? this.#rowOfSlot[slot]! : -1;
      const record = this.#records[slot];
      if (record) this.#slotOfId.delete(record.id);
      this.#records[slot] = undefined;
      if (this.#made[slot] !== undefined) {
        this.#made[slot] = undefined;
        this.#madeCount -= 1;
      }
      if (row < 0) continue;
      serials.add(this.#serials[row]!);
      // Up to the top rank group, then swap with the very last row and drop it.
      if (STYLE_RANK[this.#styles[row]!] !== RANKS - 1) row = this.#changeRank(row, RANKS - 1);
      const last = this.#size - 1;
      if (row !== last) this.#swap(row, last);
      this.#rowOfSlot[slot] = -1;
      this.#size = last;
      this.#rankStart[RANKS] = last;
    }
    this.#versions.records += 1;
    if (serials.size > 0) {
      this.#trails.forget(serials);
      this.#layoutChanged();
    }
    return serials.size;
  }

  /**
   * Move a row into another rank group by swapping it across the group boundaries in between, one
   * swap per boundary; returns its new row.
   */
  #changeRank(row: number, to: number): number {
    let from = STYLE_RANK[this.#styles[row]!]!;
    const start = this.#rankStart;
    while (from < to) {
      const last = start[from + 1]! - 1;
      if (row !== last) this.#swap(row, last);
      row = last;
      start[from + 1] = last;
      from += 1;
    }
    while (from > to) {
      const first = start[from]!;
      if (row !== first) this.#swap(row, first);
      row = first;
      start[from] = first + 1;
      from -= 1;
    }
    // The caller sets the row's new style.
    this.#layoutChanged();
    return row;
  }

  #swap(a: number, b: number): void {
    const sa = this.#slotOfRow[a]!;
    const sb = this.#slotOfRow[b]!;
    this.#slotOfRow[a] = sb;
    this.#slotOfRow[b] = sa;
    this.#rowOfSlot[sb] = a;
    this.#rowOfSlot[sa] = b;
    swap2(this.#positions, a, b);
    swap2(this.#trailHeads, a, b);
    swap1(this.#angles, a, b);
    swap1(this.#icons, a, b);
    swap1(this.#styles, a, b);
    swap1(this.#serials, a, b);
    this.#markDirty(a, DIRTY_ALL);
    this.#markDirty(b, DIRTY_ALL);
    const colors = this.#colors;
    for (let i = 0; i < 4; i++) {
      const x = colors[4 * a + i]!;
      colors[4 * a + i] = colors[4 * b + i]!;
      colors[4 * b + i] = x;
    }
  }

  #grow(capacity: number): void {
    const grown = <T extends Float32Array | Uint8Array | Uint32Array | Int32Array>(old: T, size: number): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity * size);
      next.set(old);
      return next;
    };
    this.#slotOfRow = grown(this.#slotOfRow, 1);
    this.#positions = grown(this.#positions, 2);
    this.#trailHeads = grown(this.#trailHeads, 2);
    this.#angles = grown(this.#angles, 1);
    this.#colors = grown(this.#colors, 4);
    this.#icons = grown(this.#icons, 1);
    this.#styles = grown(this.#styles, 1);
    this.#dirty = grown(this.#dirty, 1);
    this.#serials = grown(this.#serials, 1);
    this.#capacity = capacity;
    this.#layoutChanged();
  }

  #growSlots(capacity: number): void {
    const rows = new Int32Array(capacity).fill(-1);
    rows.set(this.#rowOfSlot);
    this.#rowOfSlot = rows;
    const kin = new Float64Array(K * capacity);
    kin.set(this.#kinematics);
    this.#kinematics = kin;
    this.#slotCapacity = capacity;
  }

  #layoutChanged(): void {
    const v = this.#versions;
    v.layout += 1;
    v.positions += 1;
    v.angles += 1;
    v.colors += 1;
    v.icons += 1;
    v.trailHeads += 1;
  }

  #changed(change: TrackStoreChange, nowMs: number): void {
    this.#list = null;
    this.#versions.tracks += 1;
    this.#lastChangeMs = nowMs;
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        // One broken listener must not stop the others or the socket handler that called us.
        console.error('track store listener failed', error);
      }
    }
  }
}

function swap1(a: Float32Array | Uint8Array | Uint32Array, i: number, j: number): void {
  const x = a[i]!;
  a[i] = a[j]!;
  a[j] = x;
}

function swap2(a: Float32Array, i: number, j: number): void {
  const x = a[2 * i]!;
  const y = a[2 * i + 1]!;
  a[2 * i] = a[2 * j]!;
  a[2 * i + 1] = a[2 * j + 1]!;
  a[2 * j] = x;
  a[2 * j + 1] = y;
}
