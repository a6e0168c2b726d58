import { RINGS, RISK_LEVELS, TRACK_KINDS, type Track } from './track';
import type { TrackId } from './ids';

/**
 * Track frames: the binary encoding of `tracks:snapshot` and `tracks:updated`.
 *
 * A track's position and state change every second; its identity (names, MMSI, sources) hardly ever.
 * A record carries the changing part always and the identity part only when the receiver may not have
 * it: in a snapshot, for a track new to the stream, or when it changed. About 50 bytes a track instead
 * of about 350 as JSON, and read without a parser.
 *
 * Little-endian. Header: u8 version, u32 record count. Record:
 * - u16 id length, id (UTF-8)
 * - u16 bits: kind (3) | state (2) << 3 | ring (3, 0 = null) << 5 | level (3, 0 = null) << 8 | identity (1) << 11
 * - f64 lon, f64 lat, f64 lastSeenMs, u32 updates
 * - u16 sog, cog, heading in hundredths (knots, degrees; 0xFFFF = null)
 * - identity, when its bit is set: f64 firstSeenMs, f64 mmsi, f64 shipType (NaN = null),
 *   str name, str callsign, str destination (u16 length, 0xFFFF = null), u8 source count, str8 each source
 */
export const TRACK_FRAME_VERSION = 1;

/** What a track frame sends only when it changed. */
export type TrackIdentity = Pick<
  Track,
  'firstSeenMs' | 'mmsi' | 'shipType' | 'name' | 'callsign' | 'destination' | 'sources'
>;

const NULL16 = 0xffff;
/** Hundredths up to 655.34: speeds beyond are clamped there (no vessel or patrol drone goes that fast). */
const MAX_HUNDREDTHS = NULL16 - 1;
const IDENTITY_BIT = 1 << 11;
const STATES = ['active', 'stale', 'lost'] as const;
const MAX_ID = 128;
const MAX_TEXT = 256;
const MAX_CALLSIGN = 64;
const MAX_SOURCES = 32;
/** Sensor ids are at most 64 characters; 64 × 3 UTF-8 bytes fit a one-byte length. */
const MAX_SOURCE = 64;

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function sameIdentity(a: TrackIdentity, t: Track): boolean {
  if (
    a.firstSeenMs !== t.firstSeenMs ||
    a.mmsi !== t.mmsi ||
    a.shipType !== t.shipType ||
    a.name !== t.name ||
    a.callsign !== t.callsign ||
    a.destination !== t.destination ||
    a.sources.length !== t.sources.length
  ) {
    return false;
  }
  for (let i = 0; i < a.sources.length; i++) if (a.sources[i] !== t.sources[i]) return false;
  return true;
}

function identityOf(t: Track): TrackIdentity {
  return {
    firstSeenMs: t.firstSeenMs,
    mmsi: t.mmsi,
    shipType: t.shipType,
    name: t.name,
    callsign: t.callsign,
    destination: t.destination,
    sources: t.sources,
  };
}

/** The contract's bounds, so that what the server sends is what the receiver accepts. */
function clip(v: string | null, max: number): string | null {
  return v !== null && v.length > max ? v.slice(0, max) : v;
}

function hundredths(v: number | null): number {
  if (v === null || !Number.isFinite(v)) return NULL16;
  return Math.min(MAX_HUNDREDTHS, Math.max(0, Math.round(v * 100)));
}

/** A growable little-endian byte writer. */
class Writer {
  bytes: Uint8Array;
  view: DataView;
  at = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.bytes[this.at++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.at, v, true);
    this.at += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }

  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.at, v, true);
    this.at += 8;
  }

  /** A string with a u16 (or u8) length prefix; `null` as the all-ones length. */
  str(v: string | null, lengthBytes: 1 | 2 = 2): void {
    if (v === null) {
      this.u16(NULL16);
      return;
    }
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.room(lengthBytes + v.length * 3);
    const start = this.at + lengthBytes;
    let ascii = true;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      this.bytes[start + i] = c;
    }
    const n = ascii ? v.length : utf8.encodeInto(v, this.bytes.subarray(start)).written;
    if (lengthBytes === 1) this.bytes[this.at] = n;
    else this.view.setUint16(this.at, n, true);
    this.at = start + n;
  }
}

/**
 * Encodes track frames for one stream of frames (one socket, or a room that all get the same frames).
 * It remembers the identity it last sent of each track, so a frame carries an identity only when it
 * changed (or, as a refresh, `refreshMs` of observation time after it last went); a snapshot (`encode(tracks, true)`) carries every identity and starts the memory afresh.
 */
export class TrackFrameEncoder {
  readonly #sent = new Map<TrackId, { identity: TrackIdentity; atMs: number }>();

  /**
   * An identity goes again once this much observation time passed since it was last sent, so a receiver
   * whose snapshot was a little old (one taken from another instance's copy) is put right within it.
   */
  constructor(readonly refreshMs = 30_000) {}

  /** A frame of these tracks; `everyIdentity` for a snapshot, or a frame to a receiver with no memory. */
  encode(tracks: Iterable<Track>, everyIdentity = false): Uint8Array {
    const w = new Writer(64 * 1024);
    w.u8(TRACK_FRAME_VERSION);
    w.u32(0);
    let count = 0;
    for (const t of tracks) {
      count++;
      const last = this.#sent.get(t.id);
      const withIdentity =
        everyIdentity || last === undefined || t.lastSeenMs - last.atMs >= this.refreshMs || !sameIdentity(last.identity, t);
      if (withIdentity && !everyIdentity) this.#sent.set(t.id, { identity: identityOf(t), atMs: t.lastSeenMs });
      w.str(t.id);
      w.u16(
        TRACK_KINDS.indexOf(t.kind) |
          (STATES.indexOf(t.state) << 3) |
          ((t.ring === null ? 0 : RINGS.indexOf(t.ring) + 1) << 5) |
          ((t.level === null ? 0 : RISK_LEVELS.indexOf(t.level) + 1) << 8) |
          (withIdentity ? IDENTITY_BIT : 0),
      );
      w.f64(t.lon);
      w.f64(t.lat);
      w.f64(t.lastSeenMs);
      w.u32(Math.min(0xffffffff, t.updates));
      w.u16(hundredths(t.sogKn));
      w.u16(hundredths(t.cogDeg));
      w.u16(hundredths(t.headingDeg));
      if (!withIdentity) continue;
      w.f64(t.firstSeenMs);
      w.f64(t.mmsi ?? Number.NaN);
      w.f64(t.shipType ?? Number.NaN);
      w.str(clip(t.name, MAX_TEXT));
      w.str(clip(t.callsign, MAX_CALLSIGN));
      w.str(clip(t.destination, MAX_TEXT));
      const sources = t.sources.slice(0, MAX_SOURCES);
      w.u8(sources.length);
      for (const s of sources) w.str(clip(s, MAX_SOURCE), 1);
    }
    w.view.setUint32(1, count, true);
    return w.bytes.slice(0, w.at);
  }

  /** Makes the encoder send `id`'s identity again (a track dropped from the picture may come back). */
  forget(ids: Iterable<TrackId>): void {
    for (const id of ids) this.#sent.delete(id);
  }
}

/** A frame that cannot be read: truncated, of another version, or with a value outside the contract. */
export class TrackFrameError extends Error {
  override name = 'TrackFrameError';
}

/** What a frame held, as tracks, and the records of tracks whose identity the receiver does not have. */
export interface DecodedTrackFrame {
  tracks: Track[];
  /** Ids of records that came without their identity, of tracks the receiver never had: a snapshot will tell. */
  unknown: TrackId[];
}

class Reader {
  readonly view: DataView;
  at = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number): void {
    if (this.at + n > this.bytes.length) throw new TrackFrameError(`frame truncated at byte ${this.at}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.at, true);
    this.at += 8;
    return v;
  }

  str(what: string, max: number, lengthBytes: 1 | 2 = 2): string | null {
    const n = lengthBytes === 1 ? this.u8() : this.u16();
    if (lengthBytes === 2 && n === NULL16) return null;
    this.need(n);
    const start = this.at;
    this.at += n;
    let ascii = n <= 128;
    for (let i = start; ascii && i < start + n; i++) if (this.bytes[i]! >= 0x80) ascii = false;
    let s: string;
    if (ascii) s = String.fromCharCode.apply(null, this.bytes.subarray(start, start + n) as unknown as number[]);
    else {
      try {
        s = utf8Strict.decode(this.bytes.subarray(start, start + n));
      } catch {
        throw new TrackFrameError(`${what} is not UTF-8`);
      }
    }
    if (s.length > max) throw new TrackFrameError(`${what} longer than ${max}`);
    return s;
  }
}

function fromHundredths(v: number): number | null {
  return v === NULL16 ? null : v / 100;
}

function finiteIn(v: number, min: number, max: number, what: string): number {
  if (!(v >= min && v <= max)) throw new TrackFrameError(`${what} out of range`);
  return v;
}

function nullableInt(v: number, what: string): number | null {
  if (Number.isNaN(v)) return null;
  if (!Number.isSafeInteger(v)) throw new TrackFrameError(`${what} is not an integer`);
  return v;
}

/**
 * Reads one frame from a stream. `identities` is the receiver's memory of every track's identity, kept
 * across the frames of one stream (cleared by the caller before a snapshot): records with an identity
 * update it, records without take theirs from it. Throws TrackFrameError when the frame cannot be read;
 * what it returns passed the same bounds as the contract's `Track` schema.
 */
export function decodeTrackFrame(bytes: Uint8Array, identities: Map<TrackId, TrackIdentity>): DecodedTrackFrame {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== TRACK_FRAME_VERSION) throw new TrackFrameError(`frame version ${version}, expected ${TRACK_FRAME_VERSION}`);
  const count = r.u32();
  // A record is at least 44 bytes: refuse a count the frame cannot hold before allocating for it.
  if (count * 44 > bytes.length) throw new TrackFrameError(`frame of ${bytes.length} bytes cannot hold ${count} tracks`);
  const tracks: Track[] = [];
  const unknown: TrackId[] = [];
  for (let i = 0; i < count; i++) {
    const id = r.str('track id', MAX_ID) as TrackId | null;
    if (id === null || id.length < 3) throw new TrackFrameError('track id missing or shorter than 3');
    const bits = r.u16();
    const kind = TRACK_KINDS[bits & 7];
    const state = STATES[(bits >> 3) & 3];
    const ringCode = (bits >> 5) & 7;
    const levelCode = (bits >> 8) & 7;
    if (kind === undefined || state === undefined || ringCode > RINGS.length || levelCode > RISK_LEVELS.length || bits >> 12) {
      throw new TrackFrameError(`track ${id}: state bits ${bits} outside the contract`);
    }
    const lon = finiteIn(r.f64(), -180, 180, 'lon');
    const lat = finiteIn(r.f64(), -90, 90, 'lat');
    const lastSeenMs = r.f64();
    if (!Number.isSafeInteger(lastSeenMs) || lastSeenMs < 0) throw new TrackFrameError(`track ${id}: lastSeenMs`);
    const updates = r.u32();
    const sogKn = fromHundredths(r.u16());
    const cogDeg = fromHundredths(r.u16());
    const headingDeg = fromHundredths(r.u16());
    let identity: TrackIdentity | undefined;
    if (bits & IDENTITY_BIT) {
      const firstSeenMs = r.f64();
      if (!Number.isSafeInteger(firstSeenMs) || firstSeenMs < 0) throw new TrackFrameError(`track ${id}: firstSeenMs`);
      const mmsi = nullableInt(r.f64(), 'mmsi');
      const shipType = nullableInt(r.f64(), 'shipType');
      const name = r.str('name', MAX_TEXT);
      const callsign = r.str('callsign', MAX_CALLSIGN);
      const destination = r.str('destination', MAX_TEXT);
      const n = r.u8();
      if (n > MAX_SOURCES) throw new TrackFrameError(`track ${id}: ${n} sources`);
      const sources: string[] = [];
      for (let s = 0; s < n; s++) sources.push(r.str('source', MAX_SOURCE, 1)!);
      identity = { firstSeenMs, mmsi, shipType, name, callsign, destination, sources };
      identities.set(id, identity);
    } else {
      identity = identities.get(id);
      if (identity === undefined) {
        unknown.push(id);
        continue;
      }
    }
    tracks.push({
      id,
      kind,
      state,
      lon,
      lat,
      sogKn,
      cogDeg,
      headingDeg,
      mmsi: identity.mmsi,
      name: identity.name,
      callsign: identity.callsign,
      shipType: identity.shipType,
      destination: identity.destination,
      ring: ringCode === 0 ? null : RINGS[ringCode - 1]!,
      level: levelCode === 0 ? null : RISK_LEVELS[levelCode - 1]!,
      sources: identity.sources,
      firstSeenMs: identity.firstSeenMs,
      lastSeenMs,
      updates,
    });
  }
  if (r.at !== bytes.length) throw new TrackFrameError(`${bytes.length - r.at} bytes after the last track`);
  return { tracks, unknown };
}

/** The bytes of a binary socket.io payload: an ArrayBuffer in a browser, a Buffer (a Uint8Array) in Node. */
export function trackFrameBytes(payload: unknown): Uint8Array {
  if (payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  throw new TrackFrameError('a track frame is binary');
}

/**
 * The receiving end of one socket's track frames: `tracks:snapshot` starts its memory of identities
 * afresh, `tracks:updated` reads against it, `tracks:removed` drops from it. Records it cannot place
 * come back in `unknown`; the receiver should ask for a snapshot (`tracks:resync`).
 */
export class TrackFrameReader {
  readonly identities = new Map<TrackId, TrackIdentity>();

  snapshot(payload: unknown): DecodedTrackFrame {
    this.identities.clear();
    return decodeTrackFrame(trackFrameBytes(payload), this.identities);
  }

  update(payload: unknown): DecodedTrackFrame {
    return decodeTrackFrame(trackFrameBytes(payload), this.identities);
  }

  removed(ids: Iterable<TrackId>): void {
    for (const id of ids) this.identities.delete(id);
  }
}
