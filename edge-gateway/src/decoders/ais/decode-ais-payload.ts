import { readBool, readInt, readText, readUint, type SixbitPayload } from './sixbit';
import { ok, reject, type Result } from '../result';

// Decoded AIS messages (ITU-R M.1371-5 Annex 8); field names are the gateway CLI's output names.
// Position, speed, course, heading, ROT and a few others give null for their "not available"
// sentinel; every other field is the value as sent, scaled to the unit its TSDoc states.

/** Fields every message starts with (ITU-R M.1371-5 Annex 8). */
interface AisHeader {
  type: number;
  /** Repeat indicator 0-3. */
  repeat: number;
  mmsi: number;
}

interface PositionFields {
  /** Position accuracy flag: true = high (< 10 m, DGNSS). */
  accuracy: boolean;
  /** Degrees east; null for 181 (not available). */
  lon: number | null;
  /** Degrees north; null for 91 (not available). */
  lat: number | null;
  /** Receiver autonomous integrity monitoring in use. */
  raim: boolean;
}

interface Dimensions {
  /** Metres from the position reference point to bow, stern, port and starboard (0 = not available). */
  toBow: number;
  toStern: number;
  toPort: number;
  toStarboard: number;
}

/** Messages 1, 2, 3: class A position report (ITU-R M.1371-5 Annex 8). */
export interface AisPositionReportA extends AisHeader, PositionFields {
  type: 1 | 2 | 3;
  /** Navigational status 0-15 (15 = not defined). */
  navStatus: number;
  /** Rate of turn, degrees/minute, from ROT_AIS = 4.733·√ROT; null when not available or ±127. */
  rot: number | null;
  /** ROT_AIS as sent: -128 not available, ±127 turning faster than 5°/30 s without turn indicator. */
  rotRaw: number;
  /** Speed over ground, knots; 102.2 means 102.2 kn or more; null for 102.3 (not available). */
  sog: number | null;
  /** Course over ground, degrees; null for 360 (not available) and invalid values above. */
  cog: number | null;
  /** True heading, degrees; null for 511 (not available) and invalid values 360-510. */
  heading: number | null;
  /** UTC second of the report; 60 not available, 61-63 positioning system states. */
  second: number;
  /** Special manoeuvre indicator 0-2. */
  maneuver: number;
  /** SOTDMA (1, 2) or ITDMA (3) communication state. */
  radio: number;
}

/** Messages 4 and 11: base station report / UTC and date response (ITU-R M.1371-5 Annex 8). */
export interface AisBaseStationReport extends AisHeader, PositionFields {
  type: 4 | 11;
  /** UTC year 1-9999; 0 not available. */
  year: number;
  /** 1-12; 0 not available. */
  month: number;
  /** 1-31; 0 not available. */
  day: number;
  /** 0-23; 24 not available. */
  hour: number;
  /** 0-59; 60 not available. */
  minute: number;
  /** 0-59; 60 not available. */
  second: number;
  /** Type of electronic position fixing device (0 undefined, 1 GPS, ...). */
  epfd: number;
  radio: number;
}

/** Message 5: class A static and voyage related data (ITU-R M.1371-5 Annex 8). */
export interface AisStaticVoyageData extends AisHeader, Dimensions {
  type: 5;
  aisVersion: number;
  /** IMO number; 0 not available. */
  imo: number;
  callsign: string;
  shipName: string;
  /** Type of ship and cargo (0 not available). */
  shipType: number;
  epfd: number;
  /** ETA as `MM-DDTHH:MMZ` (gpsd's rendering); null when month, day, hour and minute are all not available. */
  eta: string | null;
  /** Maximum present static draught, metres (0 not available). */
  draught: number;
  destination: string;
  /** Data terminal equipment: 0 available, 1 not available. */
  dte: number;
}

/** Message 9: standard SAR aircraft position report (ITU-R M.1371-5 Annex 8). */
export interface AisSarAircraftReport extends AisHeader, PositionFields {
  type: 9;
  /** Altitude, metres; 4094 means 4094 m or higher; null for 4095 (not available). */
  alt: number | null;
  /** Speed over ground, whole knots; 1022 means 1022 kn or more; null for 1023 (not available). */
  sog: number | null;
  cog: number | null;
  second: number;
  /** Altitude sensor and regional bits (gpsd's `regional`). */
  regional: number;
  dte: number;
  /** Assigned mode flag. */
  assigned: boolean;
  radio: number;
}

/** Message 18: standard class B position report (ITU-R M.1371-5 Annex 8). */
export interface AisPositionReportB extends AisHeader, PositionFields {
  type: 18;
  /** Regional reserved bits 38-45. */
  reserved: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  second: number;
  /** Regional reserved bits 139-140. */
  regional: number;
  /** Class B unit flag: true = carrier-sense (CS), false = SOTDMA. */
  cs: boolean;
  /** Class B display flag. */
  display: boolean;
  /** Class B DSC flag. */
  dsc: boolean;
  /** Class B band flag: can use the whole marine band. */
  band: boolean;
  /** Class B message 22 flag: frequency management via message 22. */
  msg22: boolean;
  assigned: boolean;
  radio: number;
}

/** Message 19: extended class B position report (ITU-R M.1371-5 Annex 8). */
export interface AisExtendedPositionReportB extends AisHeader, PositionFields, Dimensions {
  type: 19;
  reserved: number;
  sog: number | null;
  cog: number | null;
  heading: number | null;
  second: number;
  regional: number;
  shipName: string;
  shipType: number;
  epfd: number;
  dte: number;
  assigned: boolean;
}

/** Message 21: aid-to-navigation report (ITU-R M.1371-5 Annex 8). */
export interface AisAidToNavigationReport extends AisHeader, PositionFields, Dimensions {
  type: 21;
  /** Type of aid to navigation 0-31. */
  aidType: number;
  /** Name with the name extension (bits 272 on) appended. */
  name: string;
  epfd: number;
  second: number;
  /** True when the aid is off its charted position (meaningful only for floating aids). */
  offPosition: boolean;
  regional: number;
  /** Virtual aid (no physical aid at the position). */
  virtualAid: boolean;
  assigned: boolean;
}

/** Message 24 part A: class B static data, name (ITU-R M.1371-5 Annex 8). */
export interface AisStaticDataReportA extends AisHeader {
  type: 24;
  partno: 0;
  shipName: string;
}

/** Message 24 part B: class B static data, type, vendor, call sign, dimensions (ITU-R M.1371-5 Annex 8). */
export interface AisStaticDataReportB extends AisHeader {
  type: 24;
  partno: 1;
  shipType: number;
  /** Manufacturer id, 3 characters (M.1371-4 and later; older units used 7 characters here). */
  vendorId: string;
  /** Unit model code 0-15. */
  model: number;
  /** Unit serial number 0-1048575. */
  serial: number;
  callsign: string;
  /** Dimensions; null for an auxiliary craft (MMSI 98XXXYYYY), which sends its mothership instead. */
  toBow: number | null;
  toStern: number | null;
  toPort: number | null;
  toStarboard: number | null;
  mothershipMmsi: number | null;
}

/** Message 27: long-range AIS broadcast (ITU-R M.1371-5 Annex 8). */
export interface AisLongRangeReport extends AisHeader, PositionFields {
  type: 27;
  navStatus: number;
  /** Whole knots; null for 63 (not available). */
  sog: number | null;
  /** Whole degrees; null for 511 (not available) and invalid values 360-510. */
  cog: number | null;
  /** Position latency flag (M.1371-5; "GNSS position status" in -4, gpsd's `gnss`): true = older than 5 s. */
  positionLatency: boolean;
}

/** Message types decoded only as far as the common header. */
export type AisHeaderOnlyType = 6 | 7 | 8 | 10 | 12 | 13 | 14 | 15 | 16 | 17 | 20 | 22 | 23 | 25 | 26;

/** Any other defined message: only the common header is decoded. */
export interface AisHeaderOnlyMessage extends AisHeader {
  type: AisHeaderOnlyType;
}

export type AisMessage =
  | AisPositionReportA
  | AisBaseStationReport
  | AisStaticVoyageData
  | AisSarAircraftReport
  | AisPositionReportB
  | AisExtendedPositionReportB
  | AisAidToNavigationReport
  | AisStaticDataReportA
  | AisStaticDataReportB
  | AisLongRangeReport
  | AisHeaderOnlyMessage;

export type AisPayloadRejectReason =
  | 'payload-too-short'
  | 'payload-too-long'
  | 'bad-payload-length'
  | 'bad-part-number'
  | 'unknown-message-type';

/**
 * Bit lengths accepted for the types decoded only as far as the header, as gpsd checks them:
 * anything outside cannot be a valid message of that type (ITU-R M.1371-5 Annex 8).
 */
const HEADER_ONLY_LENGTHS: ReadonlyMap<number, readonly [min: number, max: number]> = new Map([
  [6, [88, 1008]],
  [7, [72, 168]],
  [8, [56, 1008]],
  [10, [72, Infinity]],
  [12, [72, 1008]],
  [13, [72, 168]],
  [14, [40, 1008]],
  [15, [88, 168]],
  [16, [96, 168]],
  [17, [80, 816]],
  [20, [72, 186]],
  [22, [168, Infinity]],
  [23, [160, Infinity]],
  [25, [40, 168]],
  [26, [60, 1004]],
]);

/**
 * Decodes one reassembled payload. Length limits follow gpsd 3.22, which tolerates the
 * short and long transmitters seen in the wild but rejects payloads it cannot read.
 */
export function decodeAisPayload(p: SixbitPayload): Result<AisMessage, AisPayloadRejectReason> {
  const bits = p.bitLength;
  if (bits < 38) return reject('payload-too-short', `${bits} bits`);
  const type = readUint(p, 0, 6);
  const repeat = readUint(p, 6, 2);
  const mmsi = readUint(p, 8, 30);

  switch (type) {
    case 1:
    case 2:
    case 3:
      if (bits < 163) return tooShort(type, bits, 168);
      return ok(decodePositionReportA(p, type, repeat, mmsi));
    case 4:
    case 11:
      if (bits < 168) return tooShort(type, bits, 168);
      return ok(decodeBaseStationReport(p, type, repeat, mmsi));
    case 5:
      // Many transmitters send 420 or 422 bits instead of 424; gpsd accepts them.
      if (bits < 420) return tooShort(type, bits, 424);
      return ok(decodeStaticVoyageData(p, repeat, mmsi));
    case 9:
      if (bits < 168) return tooShort(type, bits, 168);
      return ok(decodeSarAircraftReport(p, repeat, mmsi));
    case 18:
      if (bits < 168) return tooShort(type, bits, 168);
      return ok(decodePositionReportB(p, repeat, mmsi));
    case 19:
      if (bits < 312) return tooShort(type, bits, 312);
      return ok(decodeExtendedPositionReportB(p, repeat, mmsi));
    case 21:
      if (bits < 272) return tooShort(type, bits, 272);
      if (bits > 368) return reject('payload-too-long', `type 21: ${bits} bits, at most 368`);
      return ok(decodeAidToNavigationReport(p, repeat, mmsi));
    case 24:
      return decodeStaticDataReport(p, repeat, mmsi);
    case 27:
      if (bits < 96) return tooShort(type, bits, 96);
      // 168 is a whole slot sent by mistake, seen in the wild.
      if (bits !== 96 && bits !== 168) return reject('bad-payload-length', `type 27: ${bits} bits, expected 96`);
      return ok(decodeLongRangeReport(p, repeat, mmsi));
    default:
      return decodeHeaderOnly(p, type, repeat, mmsi);
  }
}

function decodeHeaderOnly(
  p: SixbitPayload,
  type: number,
  repeat: number,
  mmsi: number,
): Result<AisHeaderOnlyMessage, AisPayloadRejectReason> {
  const limits = HEADER_ONLY_LENGTHS.get(type);
  if (!limits) return reject('unknown-message-type', `type ${type}`);
  let [min, max] = limits;
  if (type === 25 || type === 26) {
    // Messages 25 and 26 must hold the destination MMSI and application id their flags announce;
    // 26 also ends in a 20-bit communication state.
    min = 40 + (readBool(p, 38) ? 30 : 0) + (readBool(p, 39) ? 16 : 0) + (type === 26 ? 20 : 0);
    min = Math.max(min, limits[0]);
  }
  const bits = p.bitLength;
  if (bits < min) return tooShort(type, bits, min);
  if (bits > max) return reject('payload-too-long', `type ${type}: ${bits} bits, at most ${max}`);
  return ok({ type: type as AisHeaderOnlyType, repeat, mmsi });
}

function tooShort(type: number, bits: number, needed: number) {
  return reject('payload-too-short' as const, `type ${type}: ${bits} bits, expected ${needed}`);
}

function decodePositionReportA(p: SixbitPayload, type: 1 | 2 | 3, repeat: number, mmsi: number): AisPositionReportA {
  const rotRaw = readInt(p, 42, 8);
  return {
    type,
    repeat,
    mmsi,
    navStatus: readUint(p, 38, 4),
    rot: rateOfTurn(rotRaw),
    rotRaw,
    sog: speedTenths(readUint(p, 50, 10)),
    accuracy: readBool(p, 60),
    lon: longitude(readInt(p, 61, 28)),
    lat: latitude(readInt(p, 89, 27)),
    cog: courseTenths(readUint(p, 116, 12)),
    heading: heading(readUint(p, 128, 9)),
    second: readUint(p, 137, 6),
    maneuver: readUint(p, 143, 2),
    raim: readBool(p, 148),
    // A 163-167 bit report carries a truncated communication state; gpsd reads what is there.
    radio: p.bitLength >= 168 ? readUint(p, 149, 19) : readUint(p, 149, p.bitLength - 149),
  };
}

function decodeBaseStationReport(p: SixbitPayload, type: 4 | 11, repeat: number, mmsi: number): AisBaseStationReport {
  return {
    type,
    repeat,
    mmsi,
    year: readUint(p, 38, 14),
    month: readUint(p, 52, 4),
    day: readUint(p, 56, 5),
    hour: readUint(p, 61, 5),
    minute: readUint(p, 66, 6),
    second: readUint(p, 72, 6),
    accuracy: readBool(p, 78),
    lon: longitude(readInt(p, 79, 28)),
    lat: latitude(readInt(p, 107, 27)),
    epfd: readUint(p, 134, 4),
    raim: readBool(p, 148),
    radio: readUint(p, 149, 19),
  };
}

function decodeStaticVoyageData(p: SixbitPayload, repeat: number, mmsi: number): AisStaticVoyageData {
  return {
    type: 5,
    repeat,
    mmsi,
    aisVersion: readUint(p, 38, 2),
    imo: readUint(p, 40, 30),
    callsign: readText(p, 70, 7),
    shipName: readText(p, 112, 20),
    shipType: readUint(p, 232, 8),
    toBow: readUint(p, 240, 9),
    toStern: readUint(p, 249, 9),
    toPort: readUint(p, 258, 6),
    toStarboard: readUint(p, 264, 6),
    epfd: readUint(p, 270, 4),
    eta: eta(readUint(p, 274, 4), readUint(p, 278, 5), readUint(p, 283, 5), readUint(p, 288, 6)),
    draught: readUint(p, 294, 8) / 10,
    destination: readText(p, 302, 20),
    // The 420/422-bit variants end before the DTE bit.
    dte: p.bitLength >= 423 ? readUint(p, 422, 1) : 0,
  };
}

function decodeSarAircraftReport(p: SixbitPayload, repeat: number, mmsi: number): AisSarAircraftReport {
  const alt = readUint(p, 38, 12);
  const sog = readUint(p, 50, 10);
  return {
    type: 9,
    repeat,
    mmsi,
    alt: alt === 4095 ? null : alt,
    sog: sog === 1023 ? null : sog,
    accuracy: readBool(p, 60),
    lon: longitude(readInt(p, 61, 28)),
    lat: latitude(readInt(p, 89, 27)),
    cog: courseTenths(readUint(p, 116, 12)),
    second: readUint(p, 128, 6),
    regional: readUint(p, 134, 8),
    dte: readUint(p, 142, 1),
    assigned: readBool(p, 146),
    raim: readBool(p, 147),
    radio: readUint(p, 148, 20),
  };
}

/** The fields class B position reports share, at the same bits (ITU-R M.1371-5 messages 18 and 19). */
function classBPosition(p: SixbitPayload) {
  return {
    reserved: readUint(p, 38, 8),
    sog: speedTenths(readUint(p, 46, 10)),
    accuracy: readBool(p, 56),
    lon: longitude(readInt(p, 57, 28)),
    lat: latitude(readInt(p, 85, 27)),
    cog: courseTenths(readUint(p, 112, 12)),
    heading: heading(readUint(p, 124, 9)),
    second: readUint(p, 133, 6),
  };
}

function decodePositionReportB(p: SixbitPayload, repeat: number, mmsi: number): AisPositionReportB {
  return {
    type: 18,
    repeat,
    mmsi,
    ...classBPosition(p),
    regional: readUint(p, 139, 2),
    cs: readBool(p, 141),
    display: readBool(p, 142),
    dsc: readBool(p, 143),
    band: readBool(p, 144),
    msg22: readBool(p, 145),
    assigned: readBool(p, 146),
    raim: readBool(p, 147),
    radio: readUint(p, 148, 20),
  };
}

function decodeExtendedPositionReportB(p: SixbitPayload, repeat: number, mmsi: number): AisExtendedPositionReportB {
  return {
    type: 19,
    repeat,
    mmsi,
    ...classBPosition(p),
    regional: readUint(p, 139, 4),
    shipName: readText(p, 143, 20),
    shipType: readUint(p, 263, 8),
    toBow: readUint(p, 271, 9),
    toStern: readUint(p, 280, 9),
    toPort: readUint(p, 289, 6),
    toStarboard: readUint(p, 295, 6),
    epfd: readUint(p, 301, 4),
    raim: readBool(p, 305),
    dte: readUint(p, 306, 1),
    assigned: readBool(p, 307),
  };
}

function decodeAidToNavigationReport(p: SixbitPayload, repeat: number, mmsi: number): AisAidToNavigationReport {
  let name = readText(p, 43, 20, false);
  // The extension (bits 272 on) only continues a name that filled all 20 characters.
  if (name.length === 20 && p.bitLength > 272) name += readText(p, 272, Math.floor((p.bitLength - 272) / 6), false);
  return {
    type: 21,
    repeat,
    mmsi,
    aidType: readUint(p, 38, 5),
    name: name.trimEnd(),
    accuracy: readBool(p, 163),
    lon: longitude(readInt(p, 164, 28)),
    lat: latitude(readInt(p, 192, 27)),
    toBow: readUint(p, 219, 9),
    toStern: readUint(p, 228, 9),
    toPort: readUint(p, 237, 6),
    toStarboard: readUint(p, 243, 6),
    epfd: readUint(p, 249, 4),
    second: readUint(p, 253, 6),
    offPosition: readBool(p, 259),
    regional: readUint(p, 260, 8),
    raim: readBool(p, 268),
    virtualAid: readBool(p, 269),
    assigned: readBool(p, 270),
  };
}

function decodeStaticDataReport(
  p: SixbitPayload,
  repeat: number,
  mmsi: number,
): Result<AisStaticDataReportA | AisStaticDataReportB, AisPayloadRejectReason> {
  const bits = p.bitLength;
  const partno = readUint(p, 38, 2);
  if (partno === 0) {
    if (bits < 160) return tooShort(24, bits, 168);
    if (bits > 168) return reject('payload-too-long', `type 24A: ${bits} bits, at most 168`);
    return ok({ type: 24, repeat, mmsi, partno: 0, shipName: readText(p, 40, 20) });
  }
  if (partno !== 1) return reject('bad-part-number', `type 24 part ${partno}`);
  if (bits < 168) return tooShort(24, bits, 168);
  const auxiliary = Math.floor(mmsi / 10_000_000) === 98;
  return ok({
    type: 24,
    repeat,
    mmsi,
    partno: 1,
    shipType: readUint(p, 40, 8),
    vendorId: readText(p, 48, 3),
    model: readUint(p, 66, 4),
    serial: readUint(p, 70, 20),
    callsign: readText(p, 90, 7),
    toBow: auxiliary ? null : readUint(p, 132, 9),
    toStern: auxiliary ? null : readUint(p, 141, 9),
    toPort: auxiliary ? null : readUint(p, 150, 6),
    toStarboard: auxiliary ? null : readUint(p, 156, 6),
    mothershipMmsi: auxiliary ? readUint(p, 132, 30) : null,
  });
}

function decodeLongRangeReport(p: SixbitPayload, repeat: number, mmsi: number): AisLongRangeReport {
  const lon = readInt(p, 44, 18);
  const lat = readInt(p, 62, 17);
  const sog = readUint(p, 79, 6);
  const cog = readUint(p, 85, 9);
  return {
    type: 27,
    repeat,
    mmsi,
    accuracy: readBool(p, 38),
    raim: readBool(p, 39),
    navStatus: readUint(p, 40, 4),
    // Tenths of a minute: 181° = 108600, 91° = 54600.
    lon: lon === 108600 ? null : lon / 600,
    lat: lat === 54600 ? null : lat / 600,
    sog: sog === 63 ? null : sog,
    cog: cog >= 360 ? null : cog,
    positionLatency: readBool(p, 94),
  };
}

/** ROT_AIS (-128..127) to degrees/minute: ROT = (ROT_AIS / 4.733)², signed. */
function rateOfTurn(raw: number): number | null {
  if (raw === -128 || raw === 127 || raw === -127) return null;
  const magnitude = (raw / 4.733) * (raw / 4.733);
  return raw < 0 ? -magnitude : magnitude;
}

/** 1/10 knot; 1023 = not available. */
function speedTenths(raw: number): number | null {
  return raw === 1023 ? null : raw / 10;
}

/** 1/10 degree; 3600 = not available, 3601-4095 must not be used. */
function courseTenths(raw: number): number | null {
  return raw >= 3600 ? null : raw / 10;
}

/** Degrees; 511 = not available, 360-510 must not be used. */
function heading(raw: number): number | null {
  return raw >= 360 ? null : raw;
}

/** 1/10 000 minute; 181° (108 600 000) = not available. */
function longitude(raw: number): number | null {
  return raw === 108_600_000 ? null : raw / 600_000;
}

/** 1/10 000 minute; 91° (54 600 000) = not available. */
function latitude(raw: number): number | null {
  return raw === 54_600_000 ? null : raw / 600_000;
}

/** gpsd's `MM-DDTHH:MMZ`; null when every part holds its "not available" value (0, 0, 24, 60). */
function eta(month: number, day: number, hour: number, minute: number): string | null {
  if (month === 0 && day === 0 && hour === 24 && minute === 60) return null;
  return `${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}Z`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
