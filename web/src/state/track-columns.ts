import type { Track, TrackId } from '@seawall/contracts';
import { trackBearingDeg } from '../map/track-icons';
import { iconAngleOf, rankOf, trackStyleOf } from './track-style';

/**
 * A track without the fields that change with every update: what a panel shows besides the motion,
 * and what the filter reads (ring, level, kind). It only travels when one of its fields changed.
 */
export type TrackRecord = Omit<Track, 'lon' | 'lat' | 'sogKn' | 'cogDeg' | 'headingDeg' | 'lastSeenMs' | 'updates'>;

/** Numbers per item in `TrackColumnBatch.kinematics`: lon, lat, sogKn, cogDeg, headingDeg, lastSeenMs, updates (NaN for null). */
export const KINEMATIC_STRIDE = 7;

/**
 * One socket payload as columns, ready to apply without a per-track object or string lookup: every
 * track is named by a slot, a small integer the encoder keeps for it while it lives. The arrays are
 * transferable, so a worker can hand the batch over without copying.
 *
 * Applied in order: `removed` slots are freed, `records` set (a slot not held yet is a new track), then
 * each item's kinematics, style and angle written.
 *
 * Deltas come in slot order (a batch's own order is the server's, which the page does not keep): the
 * reader's writes by slot, and by row (rows follow slots closely), then walk memory forwards instead of
 * at random, and runs of neighbouring slots copy their motion in one `set`.
 */
export interface TrackColumnBatch {
  /** `replace`: a snapshot (every track not in it is in `removed`); `upsert`: deltas; `remove`: removals only. */
  kind: 'replace' | 'upsert' | 'remove';
  removed: Int32Array;
  /** New tracks, and tracks whose record changed, with their slots. */
  records: { slot: number; record: TrackRecord }[];
  /** Per item: its slot. A snapshot's items come lowest risk first, so new rows join their rank group without swaps. */
  slots: Int32Array;
  /** Per item: KINEMATIC_STRIDE numbers. */
  kinematics: Float64Array;
  /** Per item: lon, lat in single precision, as the map's columns hold them (rounded here, not on the page). */
  positions: Float32Array;
  /** Per item: the style byte (track-style.ts). */
  styles: Uint8Array;
  /** Per item: deck.gl's icon angle. */
  angles: Float32Array;
}

/**
 * The buffers of a batch, for `postMessage`'s transfer list (each once; a transfer list may not name one
 * twice). After the page applied the batch, the same list can go back to the encoder (`recycle`).
 */
export function batchTransferables(batch: TrackColumnBatch): ArrayBuffer[] {
  const all = [batch.removed.buffer, batch.slots.buffer, batch.kinematics.buffer, batch.positions.buffer, batch.styles.buffer, batch.angles.buffer] as ArrayBuffer[];
  return all.filter((buffer, k) => all.indexOf(buffer) === k);
}

/** Buffers kept for reuse at most (a batch has six). */
const POOL_MAX = 12;
/** Below this a new buffer is made to measure (small batches are cheap); above, with room to grow. */
const POOL_MIN_BYTES = 4096;

const nan = (value: number | null): number => (value === null ? NaN : value);

function sameSources(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRecord(record: TrackRecord, track: Track): boolean {
  return (
    record.state === track.state &&
    record.level === track.level &&
    record.ring === track.ring &&
    record.kind === track.kind &&
    record.name === track.name &&
    record.mmsi === track.mmsi &&
    record.callsign === track.callsign &&
    record.shipType === track.shipType &&
    record.destination === track.destination &&
    record.firstSeenMs === track.firstSeenMs &&
    sameSources(record.sources, track.sources)
  );
}

function recordOf(track: Track): TrackRecord {
  return {
    id: track.id,
    kind: track.kind,
    state: track.state,
    mmsi: track.mmsi,
    name: track.name,
    callsign: track.callsign,
    shipType: track.shipType,
    destination: track.destination,
    ring: track.ring,
    level: track.level,
    sources: track.sources,
    firstSeenMs: track.firstSeenMs,
  };
}

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
 * Track id → slot. A batch's ids are fresh strings from `JSON.parse`: looking one up in a string-keyed
 * Map costs hashing it and comparing it with the stored key, most of the encoding at 50,000 tracks. AIS
 * ids, the bulk of any picture, are kept by their MMSI instead (a small integer: no hash to compute, no
 * string to compare); the two forms never overlap, so the index stays exact.
 */
class SlotIndex {
  readonly #byMmsi = new Map<number, number>();
  readonly #byId = new Map<TrackId, number>();

  get size(): number {
    return this.#byMmsi.size + this.#byId.size;
  }

  get(id: TrackId): number | undefined {
    const mmsi = mmsiKey(id);
    return mmsi >= 0 ? this.#byMmsi.get(mmsi) : this.#byId.get(id);
  }

  set(id: TrackId, slot: number): void {
    const mmsi = mmsiKey(id);
    if (mmsi >= 0) this.#byMmsi.set(mmsi, slot);
    else this.#byId.set(id, slot);
  }

  delete(id: TrackId): void {
    const mmsi = mmsiKey(id);
    if (mmsi >= 0) this.#byMmsi.delete(mmsi);
    else this.#byId.delete(id);
  }
}

/**
 * Turns validated tracks into {@link TrackColumnBatch}es: keeps each track id's slot and last record,
 * so the reader's work per track is typed-array writes. Freed slots are reused (lowest first is not
 * promised). One encoder per reader: the slots mean something only to the store they are applied to.
 */
export class TrackBatchEncoder {
  readonly #slots = new SlotIndex();
  readonly #records: (TrackRecord | undefined)[] = [];
  readonly #free: number[] = [];
  #itemSlots = new Int32Array(0);
  #counts = new Int32Array(0);
  #order = new Int32Array(0);
  /** Buffers of applied batches, handed back by the page (`recycle`), for the next batches' columns. */
  readonly #pool: ArrayBuffer[] = [];

  /** Tracks held. */
  get size(): number {
    return this.#slots.size;
  }

  /** A snapshot: every track not in `tracks` is removed, the rest upserted. */
  replace(tracks: readonly Track[]): TrackColumnBatch {
    const keep = new Set<TrackId>();
    for (const track of tracks) keep.add(track.id);
    const gone: TrackId[] = [];
    for (const record of this.#records) if (record && !keep.has(record.id)) gone.push(record.id);
    const removed = this.#release(gone);
    const byRank = [...tracks].sort((a, b) => rankOf(a.level) - rankOf(b.level));
    return this.#encode('replace', removed, byRank);
  }

  /** Deltas. */
  upsert(tracks: readonly Track[]): TrackColumnBatch {
    return this.#encode('upsert', new Int32Array(0), tracks);
  }

  /** Removals; ids not held are ignored. */
  remove(ids: readonly TrackId[]): TrackColumnBatch {
    return this.#encode('remove', this.#release(ids), []);
  }

  /**
   * Buffers of batches the page has applied (sent back to the worker, transferred): the next batches'
   * columns are written into them when they are large enough, instead of a few MB of new arrays per batch
   * that the page's garbage collector must then free. Detached or empty buffers are ignored; the pool is
   * bounded (the smallest are dropped).
   */
  recycle(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer.byteLength > 0 && !this.#pool.includes(buffer)) this.#pool.push(buffer);
    }
    if (this.#pool.length > POOL_MAX) {
      this.#pool.sort((a, b) => b.byteLength - a.byteLength);
      this.#pool.length = POOL_MAX;
    }
  }

  /** A buffer of at least `bytes` from the pool (the smallest that fits), else a new one with some room to grow. */
  #buffer(bytes: number): ArrayBuffer {
    const pool = this.#pool;
    let best = -1;
    for (let k = 0; k < pool.length; k++) {
      const size = pool[k]!.byteLength;
      if (size >= bytes && (best < 0 || size < pool[best]!.byteLength)) best = k;
    }
    if (best < 0) return new ArrayBuffer(bytes < POOL_MIN_BYTES ? bytes : Math.ceil((bytes * 1.125) / 8) * 8);
    const buffer = pool[best]!;
    pool[best] = pool[pool.length - 1]!;
    pool.pop();
    return buffer;
  }

  #release(ids: readonly TrackId[]): Int32Array {
    const removed: number[] = [];
    for (const id of ids) {
      const slot = this.#slots.get(id);
      if (slot === undefined) continue;
      this.#slots.delete(id);
      this.#records[slot] = undefined;
      removed.push(slot);
    }
    // Reused only after this batch's removals are applied: the reader frees them first.
    this.#free.push(...removed);
    return Int32Array.from(removed);
  }

  #encode(kind: TrackColumnBatch['kind'], removed: Int32Array, tracks: readonly Track[]): TrackColumnBatch {
    const n = tracks.length;
    const itemSlots = this.#scratch(n);
    const records: TrackColumnBatch['records'] = [];
    let slotEnd = 0;
    for (let i = 0; i < n; i++) {
      const track = tracks[i]!;
      let slot = this.#slots.get(track.id);
      if (slot === undefined) {
        slot = this.#free.pop() ?? this.#slots.size;
        // A slot past the end when none is free: the held slots are exactly 0 … size-1 then.
        this.#slots.set(track.id, slot);
      }
      const previous = this.#records[slot];
      if (previous === undefined || !sameRecord(previous, track)) {
        const record = recordOf(track);
        this.#records[slot] = record;
        records.push({ slot, record });
      }
      itemSlots[i] = slot;
      if (slot >= slotEnd) slotEnd = slot + 1;
    }
    // A snapshot keeps its risk order (new rows join their rank group without swaps); deltas go in slot order.
    const order = kind === 'upsert' ? this.#slotOrder(itemSlots, n, slotEnd) : null;
    // Views on recycled buffers when the page has sent some back (their length is the batch's, the buffer may be longer).
    const slots = new Int32Array(this.#buffer(4 * n), 0, n);
    const kinematics = new Float64Array(this.#buffer(8 * KINEMATIC_STRIDE * n), 0, KINEMATIC_STRIDE * n);
    const positions = new Float32Array(this.#buffer(8 * n), 0, 2 * n);
    const styles = new Uint8Array(this.#buffer(n), 0, n);
    const angles = new Float32Array(this.#buffer(4 * n), 0, n);
    for (let j = 0; j < n; j++) {
      const i = order ? order[j]! : j;
      const track = tracks[i]!;
      slots[j] = itemSlots[i]!;
      const k = KINEMATIC_STRIDE * j;
      kinematics[k] = track.lon;
      kinematics[k + 1] = track.lat;
      kinematics[k + 2] = nan(track.sogKn);
      kinematics[k + 3] = nan(track.cogDeg);
      kinematics[k + 4] = nan(track.headingDeg);
      kinematics[k + 5] = track.lastSeenMs;
      kinematics[k + 6] = track.updates;
      positions[2 * j] = track.lon;
      positions[2 * j + 1] = track.lat;
      const bearing = trackBearingDeg(track);
      styles[j] = trackStyleOf(track, bearing);
      angles[j] = iconAngleOf(bearing);
    }
    return { kind, removed, records, slots, kinematics, positions, styles, angles };
  }

  /** Item indices by slot, a stable counting sort (a track twice in one batch: its later item stays later). */
  #slotOrder(itemSlots: Int32Array, n: number, slotEnd: number): Int32Array {
    if (this.#counts.length < slotEnd + 1) this.#counts = new Int32Array(Math.max(slotEnd + 1, 2 * this.#counts.length));
    const counts = this.#counts;
    counts.fill(0, 0, slotEnd + 1);
    for (let i = 0; i < n; i++) counts[itemSlots[i]! + 1]! += 1;
    for (let s = 1; s <= slotEnd; s++) counts[s]! += counts[s - 1]!;
    if (this.#order.length < n) this.#order = new Int32Array(Math.max(n, 2 * this.#order.length));
    const order = this.#order;
    for (let i = 0; i < n; i++) order[counts[itemSlots[i]!]!++] = i;
    return order;
  }

  /** A reused array for the items' slots (the batch's own arrays are transferred; they come back through `recycle`). */
  #scratch(n: number): Int32Array {
    if (this.#itemSlots.length < n) this.#itemSlots = new Int32Array(Math.max(n, 2 * this.#itemSlots.length));
    return this.#itemSlots;
  }
}
