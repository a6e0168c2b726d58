import { readNmeaLine, verifyNmeaChecksum, type NmeaChecksumRejectReason, type NmeaLineRejectReason, type TagBlock } from '../nmea';
import { ok, reject, type Result } from '../result';
import { armourValue } from './sixbit';

export { MAX_LINE_LENGTH, parseTagBlock, type TagBlock, type TagBlockGroup } from '../nmea';

/** One parsed `!xxVDM` / `!xxVDO` sentence (NMEA 0183 / IEC 61162-1 AIS encapsulation). */
export interface AisSentence {
  /** The line as received, surrounding whitespace removed. */
  line: string;
  tagBlock: TagBlock | null;
  /** Two-letter talker: AI, AB, BS, SA, ... */
  talker: string;
  /** VDM: received from others; VDO: own ship. */
  formatter: 'VDM' | 'VDO';
  fragmentCount: number;
  fragmentNumber: number;
  /** Sequential message id 0-9 of a multi-sentence message; null when empty. */
  seqId: string | null;
  /** Radio channel as sent ('A', 'B', '1', '2' or ''). */
  channel: string;
  /** Armoured six-bit payload, validated. */
  payload: string;
  fillBits: number;
  /** Text after the checksum (USCG-style `,station,unixtime` metadata), or null. */
  trailer: string | null;
}

export type NmeaRejectReason =
  | NmeaLineRejectReason
  | NmeaChecksumRejectReason
  | 'unsupported-sentence'
  | 'bad-field-count'
  | 'bad-fragment-count'
  | 'bad-fragment-number'
  | 'bad-sequence-id'
  | 'empty-payload'
  | 'bad-payload-char'
  | 'bad-fill-bits';

const BANG = 33;
const COMMA = 44;

/** Parses one line carrying an AIS sentence, with an optional NMEA 4.0 tag block. Never throws. */
export function parseAisSentence(rawLine: string): Result<AisSentence, NmeaRejectReason> {
  const read = readNmeaLine(rawLine);
  if (!read.ok) return read;
  const { line, tagBlock, start } = read.value;
  if (!isAisHeader(line, start)) return reject('unsupported-sentence', line.slice(start, start + 6));
  const checked = verifyNmeaChecksum(line, start);
  if (!checked.ok) return checked;
  const star = checked.value;

  // The header is 6 characters (isAisHeader), so the six other fields follow the comma at start + 6;
  // they are found with indexOf rather than split(), which allocated an array and seven strings a line.
  const c1 = commaBefore(line, start + 7, star);
  const c2 = commaBefore(line, c1 + 1, star);
  const c3 = commaBefore(line, c2 + 1, star);
  const c4 = commaBefore(line, c3 + 1, star);
  const c5 = commaBefore(line, c4 + 1, star);
  if (c5 < 0 || commaBefore(line, c5 + 1, star) >= 0) {
    const fieldCount = line.slice(start, star).split(',').length;
    return reject('bad-field-count', `${fieldCount} fields, expected 7`);
  }

  const fragmentCount = digitAt(line, start + 7, c1);
  if (fragmentCount < 1) return reject('bad-fragment-count', line.slice(start + 7, c1));
  const fragmentNumber = digitAt(line, c1 + 1, c2);
  if (fragmentNumber < 1 || fragmentNumber > fragmentCount) return reject('bad-fragment-number', line.slice(c1 + 1, c2));
  if (c3 !== c2 + 1 && digitAt(line, c2 + 1, c3) < 0) return reject('bad-sequence-id', line.slice(c2 + 1, c3));
  if (c5 === c4 + 1) return reject('empty-payload');
  for (let i = c4 + 1; i < c5; i++) {
    if (armourValue(line.charCodeAt(i)) < 0) return reject('bad-payload-char', `${JSON.stringify(line[i])} at ${i - c4 - 1}`);
  }
  const fillBits = digitAt(line, c5 + 1, star);
  if (fillBits < 0 || fillBits > 5) return reject('bad-fill-bits', line.slice(c5 + 1, star));

  const trailer = line.length > star + 3 ? line.slice(star + 3) : null;
  return ok({
    line,
    tagBlock,
    talker: line.slice(start + 1, start + 3),
    formatter: line.charCodeAt(start + 5) === 79 ? 'VDO' : 'VDM',
    fragmentCount,
    fragmentNumber,
    seqId: c3 === c2 + 1 ? null : line.slice(c2 + 1, c3),
    channel: line.slice(c3 + 1, c4),
    payload: line.slice(c4 + 1, c5),
    fillBits,
    trailer,
  });
}

/** `!` + two uppercase talker letters + `VDM`/`VDO` + `,` at `at`. */
function isAisHeader(line: string, at: number): boolean {
  if (line.charCodeAt(at) !== BANG || line.charCodeAt(at + 6) !== COMMA) return false;
  const t1 = line.charCodeAt(at + 1);
  const t2 = line.charCodeAt(at + 2);
  if (t1 < 65 || t1 > 90 || t2 < 65 || t2 > 90) return false;
  const last = line[at + 5];
  return line[at + 3] === 'V' && line[at + 4] === 'D' && (last === 'M' || last === 'O');
}


/** Index of the first comma in [from, before), or -1. */
function commaBefore(line: string, from: number, before: number): number {
  if (from <= 0) return -1;
  const at = line.indexOf(',', from);
  return at >= 0 && at < before ? at : -1;
}

/** The field [from, to) of exactly one decimal digit as a number, or -1. */
function digitAt(line: string, from: number, to: number): number {
  if (to !== from + 1) return -1;
  const code = line.charCodeAt(from);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}
