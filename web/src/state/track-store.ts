import { RISK_LEVELS, riskRank, type RiskLevel, type Track, type TrackId, type TrackState } from '@seawall/contracts';
import { trackColor } from '../map/risk-colors';
import { TRACK_ICON_ORDER, trackBearingDeg, trackIconIndexFor } from '../map/track-icons';
import { TrackTrails, type TrackTrailOptions } from './track-trails';

/** What changed in one store update, so listeners can do as little as possible. */
export type TrackStoreChange =
  | { kind: 'replaced'; count: number }
  | { kind: 'upserted'; count: number }
  | { kind: 'removed'; count: number };

export type TrackStoreListener = (change: TrackStoreChange) => void;

/** Risk ranks 0 (no open alert) to 4 (red), as `riskRank` gives them. */
const RANKS = RISK_LEVELS.length + 1;
const STATES: readonly TrackState[] = ['active', 'stale', 'lost'];
const STATE_INDEX: Readonly<Record<TrackState, number>> = { active: 0, stale: 1, lost: 2 };
const INITIAL_CAPACITY = 1024;
/** `riskRank` as a table, for the update loop. */
const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { red: riskRank('red'), orange: riskRank('orange'), yellow: riskRank('yellow'), blue: riskRank('blue') };
const ICONS = TRACK_ICON_ORDER.length;

/**
 * Everything about a row's look but its angle in one byte: risk rank, state and symbol. The update
 * loop compares one byte per track and rewrites colour and symbol only when it moved.
 */
function styleOf(rank: number, state: number, icon: number): number {
  return (rank * STATES.length + state) * ICONS + icon;
}
/** 5 ranks × 3 states × 8 symbols: a style fits the `styles` byte column. */
const STYLES = RANKS * STATES.length * ICONS;
/** By style: its risk rank, its symbol, and its RGBA (risk colour, alpha by state). */
const STYLE_RANK = new Uint8Array(STYLES);
const STYLE_ICON = new Uint8Array(STYLES);
const STYLE_COLOR = new Uint8Array(STYLES * 4);
for (const level of [null, ...RISK_LEVELS] as (RiskLevel | null)[]) {
  for (const state of STATES) {
    for (let icon = 0; icon < ICONS; icon++) {
      const style = styleOf(riskRank(level), STATE_INDEX[state], icon);
      STYLE_RANK[style] = riskRank(level);
      STYLE_ICON[style] = icon;
      STYLE_COLOR.set(trackColor(level, state), 4 * style);
    }
  }
}

/** Bits of `dirtyRows`: which of a row's columns changed since the last `clearDirty`. */
export const DIRTY_POSITION = 1;
export const DIRTY_ANGLE = 2;
/** Colour and symbol. */
export const DIRTY_STYLE = 4;
export const DIRTY_TRAIL_HEAD = 8;
const DIRTY_ALL = DIRTY_POSITION | DIRTY_ANGLE | DIRTY_STYLE | DIRTY_TRAIL_HEAD;

/**
 * The MMSI of a canonical AIS track id (`ais:` and 1–9 decimal digits without a leading zero, as the
 * server's `trackIdOf('ais', mmsi)` writes it), else -1.
 */
function mmsiKey(id: string): number {
  const n = id.length;
  // 'a' 'i' 's' ':'
  if (n < 5 || n > 13 || id.charCodeAt(0) !== 97 || id.charCodeAt(1) !== 105 || id.charCodeAt(2) !== 115 || id.charCodeAt(3) !== 58) return -1;
  let value = 0;
  for (let k = 4; k < n; k++) {
    const digit = id.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9 || (digit === 0 && k === 4 && n > 5)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Track id → row. A batch's ids are fresh strings from `JSON.parse`: looking one up in a string-keyed
 * Map costs hashing it and comparing it with the stored key, which at 50,000 tracks is most of an
 * update. AIS ids, the bulk of any picture, are kept by their MMSI instead (a small integer: no hash
 * to compute, no string to compare); the two forms never overlap, so the index stays exact.
 */
class RowIndex {
  readonly #byMmsi = new Map<number, number>();
  readonly #byId = new Map<TrackId, number>();

  get(id: TrackId): number | undefined {
    const mmsi = mmsiKey(id);
    return mmsi >= 0 ? this.#byMmsi.get(mmsi) : this.#byId.get(id);
  }

  set(id: TrackId, row: number): void {
    const mmsi = mmsiKey(id);
    if (mmsi >= 0) this.#byMmsi.set(mmsi, row);
    else this.#byId.set(id, row);
  }

  delete(id: TrackId): void {
    const mmsi = mmsiKey(id);
    if (mmsi >= 0) this.#byMmsi.delete(mmsi);
    else this.#byId.delete(id);
  }
}

/** Which columns changed; each counter goes up when any row of its column does. */
export interface TrackColumnVersions {
  /** Any change at all: a track's object was replaced (its ring, say), added or removed. */
  tracks: number;
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
 * The browser's copy of the live picture: one row per track id.
 *
 * The socket owner writes to it (a snapshot replaces everything, a batch of deltas upserts, a removal
 * deletes); the map, panels and test hooks read it. The `Track` objects are kept as the socket gave
 * them (`get`, `list`); what the map draws is also written, in place, into typed-array columns
 * (`columns`, `versions`), with an id → row map and swap-remove, so an update batch allocates nothing
 * per track and deck.gl re-uploads only the columns that changed. Trails are sampled here too
 * (`trails`).
 *
 * `list()` returns a new array after each change and the same array between changes.
 */
export class TrackStore {
  readonly #rows = new RowIndex();
  readonly #listeners = new Set<TrackStoreListener>();
  readonly #trails: TrackTrails;
  #tracks: Track[] = [];
  #size = 0;
  #capacity = 0;
  #nextSerial = 1;
  /** First row of each rank; `#rankStart[RANKS]` is the row count. */
  readonly #rankStart = new Int32Array(RANKS + 1);
  #positions = new Float32Array(0);
  #angles = new Float32Array(0);
  #colors = new Uint8Array(0);
  #icons = new Uint8Array(0);
  #styles = new Uint8Array(0);
  #trailHeads = new Float32Array(0);
  #serials = new Uint32Array(0);
  /** Per row, the DIRTY_* bits of the columns that changed since `clearDirty`. */
  #dirty = new Uint8Array(0);
  /** Trails are sampled a slice of rows per update, round the rows: where the next slice starts. */
  #trailCursor = 0;
  /** Rows owed a trail sample (fractional), and when the last update came. */
  #trailDebt = 0;
  #lastUpdateMs: number | null = null;
  readonly #versions: TrackColumnVersions = { tracks: 0, layout: 0, positions: 0, angles: 0, colors: 0, icons: 0, trailHeads: 0 };
  #list: Track[] | null = [];
  #lastChangeMs: number | null = null;

  constructor(options: TrackStoreOptions = {}) {
    this.#trails = new TrackTrails(options.trails);
    this.#grow(INITIAL_CAPACITY);
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

  /**
   * Per row, which columns changed since the last {@link clearDirty} (DIRTY_* bits): what a layer that
   * keeps its own GPU copy must upload. One reader; rows past `size` mean nothing.
   */
  get dirtyRows(): Uint8Array {
    return this.#dirty.subarray(0, this.#size);
  }

  /** The reader of `dirtyRows` has uploaded them. */
  clearDirty(): void {
    this.#dirty.fill(0, 0, this.#size);
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
    const row = this.#rows.get(id);
    return row === undefined ? undefined : this.#tracks[row];
  }

  /** The row of a track (valid until the next change), or undefined. */
  rowOf(id: TrackId): number | undefined {
    return this.#rows.get(id);
  }

  /** All tracks, in draw order (lowest risk first); a new array after every change, the same array otherwise. */
  list(): readonly Track[] {
    this.#list ??= this.#tracks.slice(0, this.#size);
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
    const keep = new Set<TrackId>();
    for (const track of tracks) keep.add(track.id);
    const gone: TrackId[] = [];
    for (let row = 0; row < this.#size; row++) {
      const id = this.#tracks[row]!.id;
      if (!keep.has(id)) gone.push(id);
    }
    this.#removeRows(gone);
    // Lowest rank first: a new row then joins the top rank group present so far, with no swaps.
    const byRank = [...tracks].sort((a, b) => riskRank(a.level) - riskRank(b.level));
    this.#upsertRows(byRank, nowMs);
    this.#changed({ kind: 'replaced', count: tracks.length }, nowMs);
  }

  /** Insert or overwrite the given tracks (a delta batch). */
  upsert(tracks: readonly Track[], nowMs = Date.now()): void {
    if (tracks.length === 0) return;
    this.#upsertRows(tracks, nowMs);
    this.#changed({ kind: 'upserted', count: tracks.length }, nowMs);
  }

  /** Forget the given tracks. */
  remove(ids: readonly TrackId[], nowMs = Date.now()): void {
    const removed = this.#removeRows(ids);
    if (removed > 0) this.#changed({ kind: 'removed', count: removed }, nowMs);
  }

  /** Listen to changes; returns the function that stops listening. */
  subscribe(listener: TrackStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #upsertRows(tracks: readonly Track[], nowMs: number): void {
    const rows = this.#rows;
    let positions = this.#positions;
    let angles = this.#angles;
    let styles = this.#styles;
    let dirty = this.#dirty;
    let moved = false;
    let turned = false;
    let restyled = false;
    for (let i = 0; i < tracks.length; i++) {
      const track = tracks[i]!;
      const rank = track.level === null ? 0 : LEVEL_RANK[track.level];
      const bearing = trackBearingDeg(track);
      const style = styleOf(rank, STATE_INDEX[track.state], trackIconIndexFor(track.kind, bearing));
      let row = rows.get(track.id);
      if (row === undefined) {
        this.#insert(track, style);
        // The insert may have grown the columns.
        positions = this.#positions;
        angles = this.#angles;
        styles = this.#styles;
        dirty = this.#dirty;
        continue;
      }
      this.#tracks[row] = track;
      if (styles[row] !== style) {
        if (STYLE_RANK[styles[row]!] !== rank) row = this.#changeRank(row, rank);
        this.#setStyle(row, style);
        dirty[row]! |= DIRTY_STYLE;
        restyled = true;
      }
      const p = 2 * row;
      const lon = Math.fround(track.lon);
      const lat = Math.fround(track.lat);
      if (positions[p] !== lon || positions[p + 1] !== lat) {
        positions[p] = lon;
        positions[p + 1] = lat;
        dirty[row]! |= DIRTY_POSITION;
        moved = true;
      }
      // deck.gl's icon angle runs counter-clockwise; the map is north-up.
      const angle = bearing === null ? 0 : Math.fround(-bearing);
      if (angles[row] !== angle) {
        angles[row] = angle;
        dirty[row]! |= DIRTY_ANGLE;
        turned = true;
      }
    }
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
    this.#dirty[row]! |= DIRTY_TRAIL_HEAD;
    return true;
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

  #insert(track: Track, style: number): void {
    if (this.#size === this.#capacity) this.#grow(2 * this.#capacity);
    let row = this.#size;
    this.#size += 1;
    this.#rankStart[RANKS] = this.#size;
    this.#tracks[row] = track;
    this.#rows.set(track.id, row);
    // The new row sits at the end of the top rank group; walk it down to its own.
    this.#styles[row] = styleOf(RANKS - 1, 0, 0);
    const rank = STYLE_RANK[style]!;
    if (rank !== RANKS - 1) row = this.#changeRank(row, rank);
    this.#setStyle(row, style);
    const serial = this.#nextSerial;
    this.#nextSerial = (serial + 1) >>> 0 || 1;
    this.#serials[row] = serial;
    const p = 2 * row;
    this.#positions[p] = this.#trailHeads[p] = track.lon;
    this.#positions[p + 1] = this.#trailHeads[p + 1] = track.lat;
    const bearing = trackBearingDeg(track);
    this.#angles[row] = bearing === null ? 0 : -bearing;
    this.#dirty[row] = DIRTY_ALL;
    this.#layoutChanged();
  }

  #removeRows(ids: readonly TrackId[]): number {
    const serials = new Set<number>();
    for (const id of ids) {
      let row = this.#rows.get(id);
      if (row === undefined) continue;
      serials.add(this.#serials[row]!);
      // Up to the top rank group, then swap with the very last row and drop it.
      if (STYLE_RANK[this.#styles[row]!] !== RANKS - 1) row = this.#changeRank(row, RANKS - 1);
      const last = this.#size - 1;
      if (row !== last) this.#swap(row, last);
      this.#rows.delete(id);
      this.#tracks.pop();
      this.#size = last;
      this.#rankStart[RANKS] = last;
    }
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
    const ta = this.#tracks[a]!;
    const tb = this.#tracks[b]!;
    this.#tracks[a] = tb;
    this.#tracks[b] = ta;
    this.#rows.set(tb.id, a);
    this.#rows.set(ta.id, b);
    swap2(this.#positions, a, b);
    swap2(this.#trailHeads, a, b);
    swap1(this.#angles, a, b);
    swap1(this.#icons, a, b);
    swap1(this.#styles, a, b);
    swap1(this.#serials, a, b);
    this.#dirty[a] = DIRTY_ALL;
    this.#dirty[b] = DIRTY_ALL;
    const colors = this.#colors;
    for (let i = 0; i < 4; i++) {
      const x = colors[4 * a + i]!;
      colors[4 * a + i] = colors[4 * b + i]!;
      colors[4 * b + i] = x;
    }
  }

  #grow(capacity: number): void {
    const grown = <T extends Float32Array | Uint8Array | Uint32Array>(old: T, size: number): T => {
      const next = new (old.constructor as new (n: number) => T)(capacity * size);
      next.set(old);
      return next;
    };
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
