/**
 * AIS encoders (ITU-R M.1371-5) and NMEA 0183 / NMEA 4.0 framing for the simulated sensors.
 * Pure: no I/O, no clock. Inputs are in nautical units; `null` means "not available" and is
 * encoded as the standard's sentinel (SOG 102.3, COG 360, heading 511, lon 181, lat 91, ROT -128).
 */

/** An armoured AIS payload: the six-bit ASCII characters and the number of fill bits (0-5). */
export interface ArmouredPayload {
  payload: string;
  fillBits: number;
}

/** Ship dimensions from the position reference point, metres (ITU-R M.1371-5 Table 50, Fig. 42). */
export interface ShipDimensions {
  toBowM: number;
  toSternM: number;
  toPortM: number;
  toStarboardM: number;
}

/** Rate of turn in degrees per minute, or the ±127 sentinels for "turning faster than 5°/30 s". */
export type RateOfTurn = number | 'fastLeft' | 'fastRight' | null;

/** Message 1, 2 or 3: class A position report (ITU-R M.1371-5 Table 45). */
export interface PositionReportA {
  type: 1 | 2 | 3;
  repeat?: number;
  mmsi: number;
  /** Navigational status 0-15 (0 under way using engine, 1 at anchor, 5 moored, 7 fishing, 15 undefined). */
  navStatus: number;
  rotDegPerMin: RateOfTurn;
  sogKn: number | null;
  /** Position accuracy flag: true = high (< 10 m). */
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  cogDeg: number | null;
  headingDeg: number | null;
  /** UTC second of the fix, 0-59; 60 not available, 61-63 positioning system states. */
  second: number;
  /** Special manoeuvre indicator 0-2. */
  maneuver: number;
  /** The 3 spare bits (normally 0). */
  spare?: number;
  raim: boolean;
  /** 19-bit communication state (SOTDMA for types 1 and 2, ITDMA for type 3). */
  radio: number;
}

/** Estimated time of arrival, UTC; `null` encodes month 0, day 0, hour 24, minute 60. */
export interface Eta {
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Message 5: class A static and voyage related data (ITU-R M.1371-5 Table 48). */
export interface StaticVoyageData {
  repeat?: number;
  mmsi: number;
  aisVersion: number;
  /** IMO number; null encodes 0 (not available). */
  imo: number | null;
  callsign: string;
  shipName: string;
  /** Type of ship and cargo, 0-255 (ITU-R M.1371-5 Table 53). */
  shipType: number;
  dimensions: ShipDimensions;
  /** Type of electronic position fixing device, 0-15 (1 = GPS). */
  epfd: number;
  eta: Eta | null;
  /** Maximum present static draught; null encodes 0 (not available). */
  draughtM: number | null;
  destination: string;
  /** Data terminal equipment ready (encoded as bit 0). */
  dteAvailable: boolean;
}

/** Message 18: standard class B position report (ITU-R M.1371-5 Table 66). */
export interface PositionReportB {
  repeat?: number;
  mmsi: number;
  /** The 8 bits reserved for regional applications after the MMSI (normally 0). */
  reserved?: number;
  sogKn: number | null;
  accuracy: boolean;
  lon: number | null;
  lat: number | null;
  cogDeg: number | null;
  headingDeg: number | null;
  second: number;
  /** The 2 bits reserved for regional applications (normally 0). */
  regional?: number;
  /** Class B unit flag: true = carrier-sense (CS) unit, false = SOTDMA unit. */
  cs: boolean;
  display: boolean;
  dsc: boolean;
  band: boolean;
  msg22: boolean;
  /** Mode flag: true = assigned mode. */
  assigned: boolean;
  raim: boolean;
  /** 20 bits: the communication state selector flag followed by the 19-bit communication state. */
  radio: number;
}

/** The communication state CS units send in message 18 (selector 1, then ITDMA `1100000000000000110`). */
export const CLASS_B_CS_RADIO = 0b1_1100000000000000110;

/** Message 24: class B static data report, part A or part B (ITU-R M.1371-5 Tables 72-74). */
export type StaticDataB =
  | { part: 'A'; repeat?: number; mmsi: number; shipName: string }
  | {
      part: 'B';
      repeat?: number;
      mmsi: number;
      shipType: number;
      /** Manufacturer id, three six-bit characters. */
      vendorId: string;
      unitModel: number;
      serial: number;
      callsign: string;
      /** Dimensions, or for an auxiliary craft (MMSI 98XXXYYYY) the mothership's MMSI. */
      dimensions: ShipDimensions | { mothershipMmsi: number };
    };

/**
 * Writes big-endian bit fields and armours them into six-bit ASCII (ITU-R M.1371-5 Annex 8,
 * IEC 61162-1 "6-bit binary field").
 */
export class AisBitWriter {
  private readonly bits: number[] = [];

  /** Unsigned field of up to 32 bits; values outside the width are reduced modulo 2^width. */
  uint(width: number, value: number): this {
    const m = 2 ** width;
    const v = ((Math.trunc(value) % m) + m) % m;
    // v < 2^32, so `>>>` (which works on its uint32 value) reads every bit.
    for (let i = width - 1; i >= 0; i--) this.bits.push((v >>> i) & 1);
    return this;
  }

  /** Two's-complement signed field. */
  int(width: number, value: number): this {
    return this.uint(width, value);
  }

  bool(value: boolean): this {
    return this.uint(1, value ? 1 : 0);
  }

  /**
   * Six-bit ASCII text of `chars` characters: upper-cased, characters outside the table become
   * `?`, padded with `@` (the standard's "not available"/padding character).
   */
  text(chars: number, value: string): this {
    const s = value.toUpperCase().slice(0, chars).padEnd(chars, '@');
    for (const ch of s) {
      const c = ch.charCodeAt(0);
      this.uint(6, c >= 64 && c < 96 ? c - 64 : c >= 32 && c < 64 ? c : 63);
    }
    return this;
  }

  get length(): number {
    return this.bits.length;
  }

  /** The armoured payload; the last character is padded with zero fill bits. */
  armour(): ArmouredPayload {
    const fillBits = (6 - (this.bits.length % 6)) % 6;
    let payload = '';
    for (let i = 0; i < this.bits.length; i += 6) {
      let v = 0;
      for (let j = 0; j < 6; j++) v = (v << 1) | (this.bits[i + j] ?? 0);
      payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
    }
    return { payload, fillBits };
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** SOG in 1/10 knot; 1023 = not available, 1022 = 102.2 knots or more. */
function sogField(sogKn: number | null): number {
  return sogKn === null ? 1023 : clamp(Math.round(sogKn * 10), 0, 1022);
}

/** COG in 1/10 degree; 3600 = not available. */
function cogField(cogDeg: number | null): number {
  return cogDeg === null ? 3600 : ((Math.round(cogDeg * 10) % 3600) + 3600) % 3600;
}

/** True heading in whole degrees; 511 = not available. */
function headingField(headingDeg: number | null): number {
  return headingDeg === null ? 511 : ((Math.round(headingDeg) % 360) + 360) % 360;
}

/** Longitude/latitude in 1/10000 minute; 181° / 91° = not available. */
function angleField(deg: number | null, notAvailable: number): number {
  return Math.round((deg ?? notAvailable) * 600_000);
}

/** ROT_AIS = 4.733 √ROT_sensor, signed, limited to ±126; ±127 no turn indicator, -128 not available. */
function rotField(rot: RateOfTurn): number {
  if (rot === null) return -128;
  if (rot === 'fastLeft') return -127;
  if (rot === 'fastRight') return 127;
  return Math.sign(rot) * Math.min(126, Math.round(4.733 * Math.sqrt(Math.abs(rot))));
}

function dimensionFields(w: AisBitWriter, d: ShipDimensions): AisBitWriter {
  return w
    .uint(9, clamp(Math.round(d.toBowM), 0, 511))
    .uint(9, clamp(Math.round(d.toSternM), 0, 511))
    .uint(6, clamp(Math.round(d.toPortM), 0, 63))
    .uint(6, clamp(Math.round(d.toStarboardM), 0, 63));
}

/** Encodes message 1, 2 or 3 (168 bits, 28 characters, no fill bits). */
export function encodePositionReportA(r: PositionReportA): ArmouredPayload {
  return new AisBitWriter()
    .uint(6, r.type)
    .uint(2, r.repeat ?? 0)
    .uint(30, r.mmsi)
    .uint(4, r.navStatus)
    .int(8, rotField(r.rotDegPerMin))
    .uint(10, sogField(r.sogKn))
    .bool(r.accuracy)
    .int(28, angleField(r.lon, 181))
    .int(27, angleField(r.lat, 91))
    .uint(12, cogField(r.cogDeg))
    .uint(9, headingField(r.headingDeg))
    .uint(6, r.second)
    .uint(2, r.maneuver)
    .uint(3, r.spare ?? 0)
    .bool(r.raim)
    .uint(19, r.radio)
    .armour();
}

/** Encodes message 5 (424 bits: 71 characters with 2 fill bits). */
export function encodeStaticVoyageData(r: StaticVoyageData): ArmouredPayload {
  const w = new AisBitWriter()
    .uint(6, 5)
    .uint(2, r.repeat ?? 0)
    .uint(30, r.mmsi)
    .uint(2, r.aisVersion)
    .uint(30, r.imo ?? 0)
    .text(7, r.callsign)
    .text(20, r.shipName)
    .uint(8, r.shipType);
  dimensionFields(w, r.dimensions)
    .uint(4, r.epfd)
    .uint(4, r.eta?.month ?? 0)
    .uint(5, r.eta?.day ?? 0)
    .uint(5, r.eta?.hour ?? 24)
    .uint(6, r.eta?.minute ?? 60)
    .uint(8, r.draughtM === null ? 0 : clamp(Math.round(r.draughtM * 10), 0, 255))
    .text(20, r.destination)
    .bool(!r.dteAvailable)
    .uint(1, 0);
  return w.armour();
}

/** Encodes message 18 (168 bits, 28 characters). */
export function encodePositionReportB(r: PositionReportB): ArmouredPayload {
  return new AisBitWriter()
    .uint(6, 18)
    .uint(2, r.repeat ?? 0)
    .uint(30, r.mmsi)
    .uint(8, r.reserved ?? 0)
    .uint(10, sogField(r.sogKn))
    .bool(r.accuracy)
    .int(28, angleField(r.lon, 181))
    .int(27, angleField(r.lat, 91))
    .uint(12, cogField(r.cogDeg))
    .uint(9, headingField(r.headingDeg))
    .uint(6, r.second)
    .uint(2, r.regional ?? 0)
    .bool(r.cs)
    .bool(r.display)
    .bool(r.dsc)
    .bool(r.band)
    .bool(r.msg22)
    .bool(r.assigned)
    .bool(r.raim)
    .uint(20, r.radio)
    .armour();
}

/** Encodes message 24 part A (160 bits) or part B (168 bits). */
export function encodeStaticDataB(r: StaticDataB): ArmouredPayload {
  const w = new AisBitWriter()
    .uint(6, 24)
    .uint(2, r.repeat ?? 0)
    .uint(30, r.mmsi);
  if (r.part === 'A') return w.uint(2, 0).text(20, r.shipName).armour();
  w.uint(2, 1)
    .uint(8, r.shipType)
    .text(3, r.vendorId)
    .uint(4, r.unitModel)
    .uint(20, r.serial)
    .text(7, r.callsign);
  if ('mothershipMmsi' in r.dimensions) w.uint(30, r.dimensions.mothershipMmsi);
  else dimensionFields(w, r.dimensions);
  return w.uint(6, 0).armour();
}

/** NMEA 0183 checksum: XOR of the characters between the start delimiter and `*`, two upper-case hex digits. */
export function nmeaChecksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** NMEA 4.0 tag block `\s:<source>,c:<unix seconds>*hh\` (checksum over the text between `\` and `*`). */
export function tagBlock(source: string, unixSeconds: number): string {
  const body = `s:${source},c:${Math.floor(unixSeconds)}`;
  return `\\${body}*${nmeaChecksum(body)}\\`;
}

/** How to frame an armoured payload as VDM sentences. */
export interface SentenceOptions {
  /** AIS channel `A` or `B`. */
  channel: 'A' | 'B';
  /** Sequential message id 0-9, used when the payload needs more than one sentence. */
  sequenceId: number;
  /** Payload characters per sentence; 60 keeps a sentence within NMEA's 82 characters. */
  maxPayloadChars?: number;
  /** Talker and formatter, `AIVDM` (other ships) by default. */
  sentence?: 'AIVDM' | 'AIVDO';
}

/**
 * Splits an armoured payload into `!AIVDM` sentences (IEC 61162-1 VDM): fragment count, number,
 * sequential id (empty for a single sentence), channel, payload, fill bits (on the last only), checksum.
 */
export function toVdmSentences(p: ArmouredPayload, o: SentenceOptions): string[] {
  const max = o.maxPayloadChars ?? 60;
  const chunks: string[] = [];
  for (let i = 0; i < p.payload.length; i += max) chunks.push(p.payload.slice(i, i + max));
  if (chunks.length === 0) chunks.push('');
  const seq = chunks.length > 1 ? String(o.sequenceId % 10) : '';
  return chunks.map((chunk, i) => {
    const fill = i === chunks.length - 1 ? p.fillBits : 0;
    const body = `${o.sentence ?? 'AIVDM'},${chunks.length},${i + 1},${seq},${o.channel},${chunk},${fill}`;
    return `!${body}*${nmeaChecksum(body)}`;
  });
}
