import {
  parseSignedDecimal,
  parseUnsignedDecimal,
  parseUnsignedInteger,
  readNmeaLine,
  verifyNmeaChecksum,
  type NmeaChecksumRejectReason,
  type NmeaLineRejectReason,
  type TagBlock,
} from '../nmea';
import { ok, reject, type Rejected, type Result } from '../result';

/** Distance and speed units of a TTM sentence: K = km and km/h, N = nautical miles and knots, S = statute miles and mph. */
export type RadarUnits = 'K' | 'N' | 'S';
/** Target status: L = lost, Q = query (being acquired), T = tracking. */
export type RadarTargetStatus = 'L' | 'Q' | 'T';
/** T = true (from north), R = relative (from the radar's heading). */
export type RadarReference = 'T' | 'R';

interface RadarSentenceBase {
  /** The line as received, surrounding whitespace removed. */
  line: string;
  tagBlock: TagBlock | null;
  /** Two-character talker (`RA` for a radar, but any is accepted). */
  talker: string;
  /** Data fields between the address field and the `*`. */
  fieldCount: number;
  /** 0-99 per NMEA 0183 (up to 999 accepted); null when the field is empty. */
  targetNumber: number | null;
  name: string | null;
  status: RadarTargetStatus | null;
  /** The target is the ARPA's reference target (field `R`). */
  referenceTarget: boolean;
  /** UTC of data as sent, `hhmmss` or `hhmmss.ss`, validated; null when empty. */
  timeUtc: string | null;
}

/**
 * NMEA 0183 `$--TTM`, Tracked Target Message: a target's range and bearing from the radar, with its motion.
 * Distances and speeds are in `units`; empty fields are null.
 */
export interface TtmSentence extends RadarSentenceBase {
  sentence: 'TTM';
  distance: number | null;
  bearingDeg: number | null;
  bearingRef: RadarReference | null;
  speed: number | null;
  courseDeg: number | null;
  courseRef: RadarReference | null;
  cpaDistance: number | null;
  /** Time to CPA in minutes; negative when the target is opening. */
  tcpaMinutes: number | null;
  units: RadarUnits | null;
  /** A = automatic, M = manual, R = reported (NMEA 3.0 and later). */
  acquisition: 'A' | 'M' | 'R' | null;
}

/** NMEA 0183 `$--TLL`, Target Latitude and Longitude: a target's position as the ARPA computed it. */
export interface TllSentence extends RadarSentenceBase {
  sentence: 'TLL';
  /** Signed decimal degrees, south negative; null when empty. */
  lat: number | null;
  /** Signed decimal degrees, west negative; null when empty. */
  lon: number | null;
}

/** A parsed radar target sentence, told apart by `sentence`. */
export type RadarSentence = TtmSentence | TllSentence;

/** Why a line is not a usable TTM/TLL sentence: framing and checksum reasons, then one `bad-<field>` per field. */
export type RadarRejectReason =
  | NmeaLineRejectReason
  | NmeaChecksumRejectReason
  | 'not-nmea'
  | 'unsupported-sentence'
  | 'bad-field-count'
  | 'bad-target-number'
  | 'bad-distance'
  | 'bad-bearing'
  | 'bad-bearing-reference'
  | 'bad-speed'
  | 'bad-course'
  | 'bad-course-reference'
  | 'bad-cpa-distance'
  | 'bad-tcpa'
  | 'bad-units'
  | 'bad-status'
  | 'bad-reference-target'
  | 'bad-time'
  | 'bad-acquisition'
  | 'bad-latitude'
  | 'bad-longitude';

const DOLLAR = 36;
const BANG = 33;
const COMMA = 44;
const MAX_TARGET_NUMBER = 999;

/**
 * Parses one line carrying an NMEA 0183 `$--TTM` or `$--TLL` sentence (any talker), with an optional NMEA 4.0
 * tag block. The checksum is required. Empty fields become null; a malformed field rejects the sentence with a
 * `bad-<field>` reason. A well-formed sentence of another type is rejected as 'unsupported-sentence', a line
 * that is not an NMEA sentence at all as 'not-nmea'. Never throws.
 */
export function parseRadarSentence(rawLine: string): Result<RadarSentence, RadarRejectReason> {
  const read = readNmeaLine(rawLine);
  if (!read.ok) return read;
  const { line, tagBlock, start } = read.value;
  if (!isSentenceHeader(line, start)) return reject('not-nmea', line.slice(start, start + 7));
  const checked = verifyNmeaChecksum(line, start);
  if (!checked.ok) return checked;

  const type = line.slice(start + 3, start + 6);
  if (line.charCodeAt(start) !== DOLLAR || (type !== 'TTM' && type !== 'TLL')) {
    return reject('unsupported-sentence', line.slice(start, start + 6));
  }
  const fields = line.slice(start + 7, checked.value).split(',');
  const talker = line.slice(start + 1, start + 3);
  return type === 'TTM' ? parseTtm(fields, line, tagBlock, talker) : parseTll(fields, line, tagBlock, talker);
}

/**
 * `$--TTM,xx,x.x,x.x,a,x.x,x.x,a,x.x,x.x,a,c--c,a,a,hhmmss.ss,a*hh`: 15 fields since NMEA 3.0, 13 before it
 * (no time, no acquisition type); one extra empty field at the end, as some ARPAs emit, is tolerated.
 */
function parseTtm(fields: string[], line: string, tagBlock: TagBlock | null, talker: string): Result<TtmSentence, RadarRejectReason> {
  const count = fields.length;
  if (!(count === 13 || count === 14 || count === 15 || (count === 16 && fields[15] === ''))) {
    return reject('bad-field-count', `TTM with ${count} fields, expected 13 to 15`);
  }
  const f = (i: number): string => fields[i] ?? '';

  const targetNumber = targetNumberOf(f(0));
  if (targetNumber === undefined) return reject('bad-target-number', f(0));
  const distance = nonNegative(f(1));
  if (distance === undefined) return reject('bad-distance', f(1));
  const bearingDeg = angle(f(2));
  if (bearingDeg === undefined) return reject('bad-bearing', f(2));
  const bearingRef = reference(f(3));
  if (bearingRef === undefined) return reject('bad-bearing-reference', f(3));
  const speed = nonNegative(f(4));
  if (speed === undefined) return reject('bad-speed', f(4));
  const courseDeg = angle(f(5));
  if (courseDeg === undefined) return reject('bad-course', f(5));
  const courseRef = reference(f(6));
  if (courseRef === undefined) return reject('bad-course-reference', f(6));
  const cpaDistance = nonNegative(f(7));
  if (cpaDistance === undefined) return reject('bad-cpa-distance', f(7));
  const tcpa = f(8) === '' ? null : parseSignedDecimal(f(8));
  if (tcpa !== null && Number.isNaN(tcpa)) return reject('bad-tcpa', f(8));
  const units = oneOf(f(9), UNITS);
  if (units === undefined) return reject('bad-units', f(9));
  const status = oneOf(f(11), STATUS);
  if (status === undefined) return reject('bad-status', f(11));
  const bad = checkReferenceAndTime(f(12), f(13));
  if (bad) return bad;
  const acquisition = oneOf(f(14), ACQUISITION);
  if (acquisition === undefined) return reject('bad-acquisition', f(14));

  return ok({
    sentence: 'TTM',
    line,
    tagBlock,
    talker,
    fieldCount: count,
    targetNumber,
    name: nullIfEmpty(f(10)),
    status,
    referenceTarget: f(12) === 'R',
    timeUtc: nullIfEmpty(f(13)),
    distance,
    bearingDeg,
    bearingRef,
    speed,
    courseDeg,
    courseRef,
    cpaDistance,
    tcpaMinutes: tcpa,
    units,
    acquisition,
  });
}

/** `$--TLL,xx,ddmm.mm,a,dddmm.mm,a,c--c,hhmmss.ss,a,a*hh`: 9 fields (one extra empty field tolerated). */
function parseTll(fields: string[], line: string, tagBlock: TagBlock | null, talker: string): Result<TllSentence, RadarRejectReason> {
  const count = fields.length;
  if (!(count === 9 || (count === 10 && fields[9] === ''))) {
    return reject('bad-field-count', `TLL with ${count} fields, expected 9`);
  }
  const f = (i: number): string => fields[i] ?? '';

  const targetNumber = targetNumberOf(f(0));
  if (targetNumber === undefined) return reject('bad-target-number', f(0));
  const lat = coordinate(f(1), f(2), 2, 'N', 'S', 90);
  if (lat === undefined) return reject('bad-latitude', `${f(1)},${f(2)}`);
  const lon = coordinate(f(3), f(4), 3, 'E', 'W', 180);
  if (lon === undefined) return reject('bad-longitude', `${f(3)},${f(4)}`);
  const status = oneOf(f(7), STATUS);
  if (status === undefined) return reject('bad-status', f(7));
  const bad = checkReferenceAndTime(f(8), f(6));
  if (bad) return bad;
  return ok({
    sentence: 'TLL',
    line,
    tagBlock,
    talker,
    fieldCount: count,
    targetNumber,
    name: nullIfEmpty(f(5)),
    status,
    referenceTarget: f(8) === 'R',
    timeUtc: nullIfEmpty(f(6)),
    lat,
    lon,
  });
}

/** The reference-target flag (`R` or empty) and the UTC time, checked; null when both are well-formed. */
function checkReferenceAndTime(referenceTarget: string, time: string): Rejected<RadarRejectReason> | null {
  if (referenceTarget !== '' && referenceTarget !== 'R') return reject('bad-reference-target', referenceTarget);
  if (time !== '' && !isUtcTime(time)) return reject('bad-time', time);
  return null;
}

function nullIfEmpty(field: string): string | null {
  return field === '' ? null : field;
}

const UNITS: readonly RadarUnits[] = ['K', 'N', 'S'];
const STATUS: readonly RadarTargetStatus[] = ['L', 'Q', 'T'];
const ACQUISITION: readonly ('A' | 'M' | 'R')[] = ['A', 'M', 'R'];
const REFERENCES: readonly RadarReference[] = ['T', 'R'];

// Field readers: null for an empty field, undefined for a malformed one.

function targetNumberOf(field: string): number | null | undefined {
  if (field === '') return null;
  const n = parseUnsignedInteger(field);
  return n < 0 || n > MAX_TARGET_NUMBER ? undefined : n;
}

function nonNegative(field: string): number | null | undefined {
  if (field === '') return null;
  const n = parseUnsignedDecimal(field);
  return n < 0 ? undefined : n;
}

/** 0-360 degrees; 360 is read as 0. */
function angle(field: string): number | null | undefined {
  const n = nonNegative(field);
  if (n === null || n === undefined) return n;
  return n > 360 ? undefined : n % 360;
}

function reference(field: string): RadarReference | null | undefined {
  return oneOf(field, REFERENCES);
}

function oneOf<T extends string>(field: string, allowed: readonly T[]): T | null | undefined {
  if (field === '') return null;
  return (allowed as readonly string[]).includes(field) ? (field as T) : undefined;
}

/**
 * `ddmm.mm` / `dddmm.mm` with its hemisphere letter, as signed decimal degrees. Leading zeros of the degrees
 * may be missing; minutes must be below 60. Both fields empty is null; one without the other is malformed.
 */
function coordinate(
  value: string,
  hemisphere: string,
  degreeDigits: number,
  positive: string,
  negative: string,
  limit: number,
): number | null | undefined {
  if (value === '' && hemisphere === '') return null;
  if (hemisphere !== positive && hemisphere !== negative) return undefined;
  if (parseUnsignedDecimal(value) < 0) return undefined;
  const dot = value.indexOf('.');
  const whole = dot < 0 ? value : value.slice(0, dot);
  if (whole.length < 3 || whole.length > degreeDigits + 2) return undefined;
  const degrees = parseUnsignedInteger(whole.slice(0, -2));
  const minutes = Number(value.slice(whole.length - 2));
  if (minutes >= 60) return undefined;
  const result = degrees + minutes / 60;
  if (result > limit) return undefined;
  return hemisphere === negative ? -result : result;
}

/** `hhmmss` with an optional fraction of seconds; 60 seconds is allowed for a leap second. */
function isUtcTime(field: string): boolean {
  if (field.length < 6) return false;
  const hh = parseUnsignedInteger(field.slice(0, 2));
  const mm = parseUnsignedInteger(field.slice(2, 4));
  const ss = parseUnsignedInteger(field.slice(4, 6));
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return false;
  if (field.length === 6) return true;
  return field.charCodeAt(6) === 46 && parseUnsignedInteger(field.slice(7)) >= 0;
}

/** `$` or `!`, a five-character address of upper-case letters and digits, then `,`. */
function isSentenceHeader(line: string, at: number): boolean {
  const first = line.charCodeAt(at);
  if ((first !== DOLLAR && first !== BANG) || line.charCodeAt(at + 6) !== COMMA) return false;
  for (let i = at + 1; i < at + 6; i++) {
    const code = line.charCodeAt(i);
    if (!((code >= 65 && code <= 90) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}
