import type {
  AisAidToNavigationReport,
  AisBaseStationReport,
  AisExtendedPositionReportB,
  AisLongRangeReport,
  AisMessage,
  AisPositionReportA,
  AisPositionReportB,
  AisSarAircraftReport,
  AisStaticDataReportA,
  AisStaticDataReportB,
  AisStaticVoyageData,
  DecodedAis,
} from '../decoders/ais';

// The hot path of `seawall decode`. Messages are written as UTF-8 bytes straight into a large buffer:
// building a string per message and JSON.stringify both cost more than decoding (string pieces and
// printing doubles, about 0.4 µs each in V8, dominated the profile). The fields and their order are
// those of the decoder's message objects; the CLI test checks the two agree message by message over
// every fixture corpus, so a field added to the decoder and not here fails a test.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;
const NEWLINE = 0x0a;

/** Bytes of a constant piece of JSON. */
function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** `,"name":` for each name, as bytes. */
function keys<const N extends string>(names: readonly N[]): Record<N, Uint8Array> {
  return Object.fromEntries(names.map((name) => [name, ascii(`,"${name}":`)])) as Record<N, Uint8Array>;
}

const K = keys([
  'repeat', 'mmsi', 'navStatus', 'rot', 'rotRaw', 'sog', 'accuracy', 'lon', 'lat', 'cog', 'heading',
  'second', 'maneuver', 'raim', 'radio', 'year', 'month', 'day', 'hour', 'minute', 'epfd', 'aisVersion',
  'imo', 'callsign', 'shipName', 'shipType', 'toBow', 'toStern', 'toPort', 'toStarboard', 'eta',
  'draught', 'destination', 'dte', 'alt', 'regional', 'assigned', 'reserved', 'cs', 'display', 'dsc',
  'band', 'msg22', 'aidType', 'name', 'offPosition', 'virtualAid', 'partno', 'vendorId', 'model',
  'serial', 'mothershipMmsi', 'positionLatency', 'source', 'sourceTimeMs',
]);
const TYPE = ascii('{"type":');
/** `{"type":n` for every six-bit message type. */
const TYPES = Array.from({ length: 64 }, (_, n) => ascii(`{"type":${n}`));

/** `,"name":false` and `,"name":true` for each boolean field: one copy writes name and value. */
function flags<const N extends string>(names: readonly N[]): Record<N, readonly [Uint8Array, Uint8Array]> {
  const out = {} as Record<N, readonly [Uint8Array, Uint8Array]>;
  for (const n of names) out[n] = [ascii(`,"${n}":false`), ascii(`,"${n}":true`)];
  return out;
}

/** `,"name":0` … `,"name":max` for each small code field (the largest value its bits can hold). */
function codes<const N extends string>(max: Record<N, number>): Record<N, readonly Uint8Array[]> {
  const out = {} as Record<N, readonly Uint8Array[]>;
  for (const n of Object.keys(max) as N[]) out[n] = Array.from({ length: max[n] + 1 }, (_, v) => ascii(`,"${n}":${v}`));
  return out;
}

const F = flags(['accuracy', 'assigned', 'band', 'cs', 'display', 'dsc', 'msg22', 'offPosition', 'positionLatency', 'raim', 'virtualAid']);
const E = codes({ navStatus: 15, maneuver: 3, second: 63, epfd: 15, month: 15, day: 31, hour: 31, minute: 63, aisVersion: 3, dte: 1, partno: 3, model: 15, aidType: 31, regional: 255, shipType: 255, reserved: 255, repeat: 3 });
const NULL = ascii('null');

/** Fractional values other than tenths and degrees (rate of turn has 256) are printed once each. */
const printedNumbers = new Map<number, string>();
const MAX_PRINTED_NUMBERS = 4096;

/** Largest output one short string field can take: every UTF-16 unit as a 6-byte `\uXXXX` escape. */
const BYTES_PER_CHAR = 6;
/** Room for the numbers and names of any one message; each string reserves its own room on top. */
const MESSAGE_RESERVE = 1024;

/**
 * Writes decoded AIS messages as JSON Lines into a growing byte buffer; {@link take} hands over
 * what was written. Each message is one object on one line: the message's own fields, then the
 * tag-block `source` and `sourceTimeMs` when the sentence carried them. See README.md in this folder.
 */
export class AisJsonLineWriter {
  #buf: Buffer;
  #pos = 0;
  #spare: Buffer | null = null;
  readonly #initialBytes: number;

  constructor(initialBytes = 1 << 20) {
    this.#initialBytes = Math.max(initialBytes, 2 * MESSAGE_RESERVE);
    this.#buf = Buffer.allocUnsafeSlow(this.#initialBytes);
  }

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.#pos;
  }

  /**
   * The bytes written so far. The writer goes on in another buffer, so the result stays valid until
   * it is handed back with {@link recycle}.
   */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.#pos);
    this.#buf = this.#spare ?? Buffer.allocUnsafeSlow(this.#initialBytes);
    this.#spare = null;
    this.#pos = 0;
    return out;
  }

  /**
   * Hands back a result of {@link take} that nothing references any more (its bytes are written out),
   * to be filled again: a fresh megabyte per write costs page faults and garbage collections.
   */
  recycle(taken: Buffer): void {
    // take() hands out views at offset 0 of buffers of their own (allocUnsafeSlow, never the shared pool).
    if (taken.byteOffset === 0 && taken.buffer.byteLength >= this.#initialBytes) this.#spare = Buffer.from(taken.buffer);
  }

  /** Appends one message and a newline. */
  write(decoded: DecodedAis): void {
    this.#reserve(MESSAGE_RESERVE);
    this.#message(decoded.message);
    if (decoded.source !== null) {
      this.#raw(K.source);
      this.#string(decoded.source);
    }
    if (decoded.sourceTimeMs !== null) {
      this.#raw(K.sourceTimeMs);
      this.#number(decoded.sourceTimeMs);
    }
    this.#buf[this.#pos++] = 0x7d;
    this.#buf[this.#pos++] = NEWLINE;
  }

  #message(m: AisMessage): void {
    switch (m.type) {
      case 1:
      case 2:
      case 3:
        return this.#positionReportA(m);
      case 4:
      case 11:
        return this.#baseStationReport(m);
      case 5:
        return this.#staticVoyageData(m);
      case 9:
        return this.#sarAircraftReport(m);
      case 18:
        return this.#positionReportB(m);
      case 19:
        return this.#extendedPositionReportB(m);
      case 21:
        return this.#aidToNavigationReport(m);
      case 24:
        return m.partno === 0 ? this.#staticDataReportA(m) : this.#staticDataReportB(m);
      case 27:
        return this.#longRangeReport(m);
      case 6: case 7: case 8: case 10: case 12: case 13: case 14: case 15: case 16: case 17: case 20: case 22:
      case 23: case 25: case 26:
        // AisHeaderOnlyMessage; a field added to one of these must be added here (decode.test.ts checks).
        return this.#header(m);
      default:
        return this.#anyMessage(m);
    }
  }

  #header(m: AisMessage): void {
    this.#small(TYPES, TYPE, m.type);
    this.#small(E.repeat, K.repeat, m.repeat);
    this.#raw(K.mmsi);
    this.#uint(m.mmsi);
  }

  #positionReportA(m: AisPositionReportA): void {
    this.#header(m);
    this.#small(E.navStatus, K.navStatus, m.navStatus);
    this.#raw(K.rot);
    this.#number(m.rot);
    this.#raw(K.rotRaw);
    this.#number(m.rotRaw);
    this.#raw(K.sog);
    this.#tenths(m.sog);
    this.#flag(F.accuracy, m.accuracy);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#raw(K.cog);
    this.#tenths(m.cog);
    this.#raw(K.heading);
    this.#number(m.heading);
    this.#small(E.second, K.second, m.second);
    this.#small(E.maneuver, K.maneuver, m.maneuver);
    this.#flag(F.raim, m.raim);
    this.#raw(K.radio);
    this.#uint(m.radio);
  }

  #baseStationReport(m: AisBaseStationReport): void {
    this.#header(m);
    this.#raw(K.year);
    this.#uint(m.year);
    this.#small(E.month, K.month, m.month);
    this.#small(E.day, K.day, m.day);
    this.#small(E.hour, K.hour, m.hour);
    this.#small(E.minute, K.minute, m.minute);
    this.#small(E.second, K.second, m.second);
    this.#flag(F.accuracy, m.accuracy);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#small(E.epfd, K.epfd, m.epfd);
    this.#flag(F.raim, m.raim);
    this.#raw(K.radio);
    this.#uint(m.radio);
  }

  #staticVoyageData(m: AisStaticVoyageData): void {
    this.#header(m);
    this.#small(E.aisVersion, K.aisVersion, m.aisVersion);
    this.#raw(K.imo);
    this.#uint(m.imo);
    this.#raw(K.callsign);
    this.#string(m.callsign);
    this.#raw(K.shipName);
    this.#string(m.shipName);
    this.#small(E.shipType, K.shipType, m.shipType);
    this.#dimensions(m.toBow, m.toStern, m.toPort, m.toStarboard);
    this.#small(E.epfd, K.epfd, m.epfd);
    this.#raw(K.eta);
    if (m.eta === null) this.#raw(NULL);
    else this.#string(m.eta);
    this.#raw(K.draught);
    this.#tenths(m.draught);
    this.#raw(K.destination);
    this.#string(m.destination);
    this.#small(E.dte, K.dte, m.dte);
  }

  #sarAircraftReport(m: AisSarAircraftReport): void {
    this.#header(m);
    this.#raw(K.alt);
    this.#number(m.alt);
    this.#raw(K.sog);
    this.#number(m.sog);
    this.#flag(F.accuracy, m.accuracy);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#raw(K.cog);
    this.#tenths(m.cog);
    this.#small(E.second, K.second, m.second);
    this.#small(E.regional, K.regional, m.regional);
    this.#small(E.dte, K.dte, m.dte);
    this.#flag(F.assigned, m.assigned);
    this.#flag(F.raim, m.raim);
    this.#raw(K.radio);
    this.#uint(m.radio);
  }

  /** The fields class B position reports (types 18 and 19) share, in the same order. */
  #classBPosition(m: AisPositionReportB | AisExtendedPositionReportB): void {
    this.#header(m);
    this.#small(E.reserved, K.reserved, m.reserved);
    this.#raw(K.sog);
    this.#tenths(m.sog);
    this.#flag(F.accuracy, m.accuracy);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#raw(K.cog);
    this.#tenths(m.cog);
    this.#raw(K.heading);
    this.#number(m.heading);
    this.#small(E.second, K.second, m.second);
    this.#small(E.regional, K.regional, m.regional);
  }

  #positionReportB(m: AisPositionReportB): void {
    this.#classBPosition(m);
    this.#flag(F.cs, m.cs);
    this.#flag(F.display, m.display);
    this.#flag(F.dsc, m.dsc);
    this.#flag(F.band, m.band);
    this.#flag(F.msg22, m.msg22);
    this.#flag(F.assigned, m.assigned);
    this.#flag(F.raim, m.raim);
    this.#raw(K.radio);
    this.#uint(m.radio);
  }

  #extendedPositionReportB(m: AisExtendedPositionReportB): void {
    this.#classBPosition(m);
    this.#raw(K.shipName);
    this.#string(m.shipName);
    this.#small(E.shipType, K.shipType, m.shipType);
    this.#dimensions(m.toBow, m.toStern, m.toPort, m.toStarboard);
    this.#small(E.epfd, K.epfd, m.epfd);
    this.#flag(F.raim, m.raim);
    this.#small(E.dte, K.dte, m.dte);
    this.#flag(F.assigned, m.assigned);
  }

  #aidToNavigationReport(m: AisAidToNavigationReport): void {
    this.#header(m);
    this.#small(E.aidType, K.aidType, m.aidType);
    this.#raw(K.name);
    this.#string(m.name);
    this.#flag(F.accuracy, m.accuracy);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#dimensions(m.toBow, m.toStern, m.toPort, m.toStarboard);
    this.#small(E.epfd, K.epfd, m.epfd);
    this.#small(E.second, K.second, m.second);
    this.#flag(F.offPosition, m.offPosition);
    this.#small(E.regional, K.regional, m.regional);
    this.#flag(F.raim, m.raim);
    this.#flag(F.virtualAid, m.virtualAid);
    this.#flag(F.assigned, m.assigned);
  }

  #staticDataReportA(m: AisStaticDataReportA): void {
    this.#header(m);
    this.#small(E.partno, K.partno, m.partno);
    this.#raw(K.shipName);
    this.#string(m.shipName);
  }

  #staticDataReportB(m: AisStaticDataReportB): void {
    this.#header(m);
    this.#small(E.partno, K.partno, m.partno);
    this.#small(E.shipType, K.shipType, m.shipType);
    this.#raw(K.vendorId);
    this.#string(m.vendorId);
    this.#small(E.model, K.model, m.model);
    this.#raw(K.serial);
    this.#uint(m.serial);
    this.#raw(K.callsign);
    this.#string(m.callsign);
    this.#dimensions(m.toBow, m.toStern, m.toPort, m.toStarboard);
    this.#raw(K.mothershipMmsi);
    this.#number(m.mothershipMmsi);
  }

  #longRangeReport(m: AisLongRangeReport): void {
    this.#header(m);
    this.#flag(F.accuracy, m.accuracy);
    this.#flag(F.raim, m.raim);
    this.#small(E.navStatus, K.navStatus, m.navStatus);
    this.#raw(K.lon);
    this.#degrees(m.lon);
    this.#raw(K.lat);
    this.#degrees(m.lat);
    this.#raw(K.sog);
    this.#number(m.sog);
    this.#raw(K.cog);
    this.#number(m.cog);
    this.#flag(F.positionLatency, m.positionLatency);
  }

  #dimensions(toBow: number | null, toStern: number | null, toPort: number | null, toStarboard: number | null): void {
    this.#raw(K.toBow);
    this.#number(toBow);
    this.#raw(K.toStern);
    this.#number(toStern);
    this.#raw(K.toPort);
    this.#number(toPort);
    this.#raw(K.toStarboard);
    this.#number(toStarboard);
  }

  /** Header-only types, and any shape added to the decoder later: every own field, in order. */
  #anyMessage(m: AisMessage): void {
    this.#header(m);
    for (const [key, value] of Object.entries(m)) {
      if (key === 'type' || key === 'repeat' || key === 'mmsi' || value === undefined || typeof value === 'function') continue;
      this.#utf8(`,${JSON.stringify(key)}:`);
      if (typeof value === 'number') this.#number(value);
      else if (typeof value === 'string') this.#string(value);
      else this.#utf8(JSON.stringify(value));
    }
  }

  #reserve(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.#buf.length * 2, this.#pos + bytes + MESSAGE_RESERVE));
    this.#buf.copy(bigger, 0, 0, this.#pos);
    this.#buf = bigger;
  }

  #raw(bytes: Uint8Array): void {
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
    this.#pos = pos;
  }

  #flag(pair: readonly [Uint8Array, Uint8Array], b: boolean): void {
    this.#raw(b ? pair[1] : pair[0]);
  }

  /** A code from its table of pre-written `,"name":value`, or, outside the table, name and number. */
  #small(table: readonly Uint8Array[], key: Uint8Array, v: number): void {
    const bytes = table[v];
    if (bytes !== undefined) this.#raw(bytes);
    else {
      this.#raw(key);
      this.#number(v);
    }
  }

  /** A non-negative integer below 2^53 (the decoder's bit fields). */
  #uint(n: number): void {
    const buf = this.#buf;
    let pos = this.#pos;
    if (n < 10) {
      buf[pos] = ZERO + n;
      this.#pos = pos + 1;
      return;
    }
    if (n > 0x7fffffff) {
      const text = `${n}`;
      for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
      this.#pos = pos;
      return;
    }
    let digits = 2;
    for (let limit = 100; n >= limit && digits < 10; limit *= 10) digits++;
    pos += digits;
    this.#pos = pos;
    let rest = n | 0;
    while (rest >= 10) {
      const q = (rest / 10) | 0;
      buf[--pos] = ZERO + rest - q * 10;
      rest = q;
    }
    buf[--pos] = ZERO + rest;
  }

  /** Any number exactly as JSON.stringify prints it (null for null and non-finite values). */
  #number(v: number | null): void {
    if (v === null || !Number.isFinite(v)) this.#raw(NULL);
    else if (Number.isSafeInteger(v)) {
      if (v < 0) {
        this.#buf[this.#pos++] = MINUS;
        v = -v;
      }
      this.#uint(v);
    } else {
      let text = printedNumbers.get(v);
      if (text === undefined) {
        if (printedNumbers.size >= MAX_PRINTED_NUMBERS) printedNumbers.clear();
        text = String(v);
        printedNumbers.set(v, text);
      }
      // A number prints as ASCII, and always fits in MESSAGE_RESERVE.
      const buf = this.#buf;
      let pos = this.#pos;
      for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
      this.#pos = pos;
    }
  }

  /** A number that is usually a whole number of tenths (speed, course, draught), as String() prints it. */
  #tenths(v: number | null): void {
    if (v === null) return this.#raw(NULL);
    const tenths = Math.round(v * 10);
    // The same division the decoder made, so this is exactly the value String() would print.
    if (tenths < 0 || tenths > 1e9 || tenths / 10 !== v) return this.#number(v);
    const whole = Math.floor(tenths / 10);
    this.#uint(whole);
    const digit = tenths - whole * 10;
    if (digit !== 0) {
      this.#buf[this.#pos++] = DOT;
      this.#buf[this.#pos++] = ZERO + digit;
    }
  }

  /**
   * Degrees rounded to 7 decimals, trailing zeros dropped. AIS positions come in 1/10 000 minute
   * (1/600 000 degree, about 0.19 m) steps, so 1e-7 degrees keeps them apart: raw = round(deg × 600 000).
   */
  #degrees(v: number | null): void {
    if (v === null || !Number.isFinite(v) || Math.abs(v) > 1e6) return this.#number(v);
    let n = Math.round(v * 1e7);
    if (n < 0) {
      this.#buf[this.#pos++] = MINUS;
      n = -n;
    }
    const whole = Math.floor(n / 1e7);
    let fraction = n - whole * 1e7;
    this.#uint(whole);
    if (fraction === 0) return;
    const buf = this.#buf;
    let pos = this.#pos;
    buf[pos++] = DOT;
    for (let scale = 1_000_000; fraction > 0; scale = (scale / 10) | 0) {
      const digit = (fraction / scale) | 0;
      buf[pos++] = ZERO + digit;
      fraction -= digit * scale;
    }
    this.#pos = pos;
  }

  /**
   * A JSON string. Printable ASCII other than `"` and `\` is copied as is; anything else (quotes,
   * backslashes, control characters, non-ASCII, lone surrogates) is escaped by JSON.stringify.
   */
  #string(s: string): void {
    this.#reserve(s.length * BYTES_PER_CHAR + 2 + MESSAGE_RESERVE);
    const buf = this.#buf;
    const start = this.#pos;
    let pos = start;
    buf[pos++] = QUOTE;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.#pos = start;
        this.#utf8(JSON.stringify(s));
        return;
      }
      buf[pos++] = c;
    }
    buf[pos++] = QUOTE;
    this.#pos = pos;
  }

  #utf8(text: string): void {
    this.#reserve(text.length * 3 + MESSAGE_RESERVE);
    this.#pos += this.#buf.write(text, this.#pos, 'utf8');
  }
}

/** One decoded message as its JSON text, without the newline (for tests and one-off use). */
export function formatAisJsonLine(decoded: DecodedAis): string {
  const writer = new AisJsonLineWriter(4096);
  writer.write(decoded);
  const bytes = writer.take();
  return bytes.toString('utf8', 0, bytes.length - 1);
}
