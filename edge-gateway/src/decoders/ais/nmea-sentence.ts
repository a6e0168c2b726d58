import { armourValue } from './sixbit';
import { ok, reject, type Result } from './result';

/** Longest line accepted, tag block and trailer included; real sentences are under 200 characters. */
export const MAX_LINE_LENGTH = 1000;

/** `g:` tag-block field: sentence `sentence` of `total` in group `id` (NMEA 4.0). */
export interface TagBlockGroup {
  sentence: number;
  total: number;
  id: string;
}

/** The NMEA 4.0 tag block `\s:src,c:time,...*hh\` before a sentence; fields not present are null. */
export interface TagBlock {
  /** `s:` source (receiver) identification. */
  source: string | null;
  /** `c:` UNIX time in epoch milliseconds (sent as seconds, or milliseconds when above 1e11). */
  timeMs: number | null;
  group: TagBlockGroup | null;
  /** `n:` line count. */
  lineCount: number | null;
  /** `t:` free text. */
  text: string | null;
}

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
  | 'empty-line'
  | 'line-too-long'
  | 'bad-tag-block'
  | 'bad-tag-block-checksum'
  | 'unsupported-sentence'
  | 'missing-checksum'
  | 'bad-checksum'
  | 'bad-field-count'
  | 'bad-fragment-count'
  | 'bad-fragment-number'
  | 'bad-sequence-id'
  | 'empty-payload'
  | 'bad-payload-char'
  | 'bad-fill-bits';

const BANG = 33;
const BACKSLASH = 92;
const COMMA = 44;
// c: values above this are milliseconds; 1e11 s would be the year 5138.
const MILLISECONDS_THRESHOLD = 1e11;

/** Parses one line carrying an AIS sentence, with an optional NMEA 4.0 tag block. Never throws. */
export function parseAisSentence(rawLine: string): Result<AisSentence, NmeaRejectReason> {
  const line = rawLine.trim();
  if (line.length === 0) return reject('empty-line');
  if (line.length > MAX_LINE_LENGTH) return reject('line-too-long', `${line.length} characters`);

  let start = 0;
  let tagBlock: TagBlock | null = null;
  if (line.charCodeAt(0) === BACKSLASH) {
    const end = line.indexOf('\\', 1);
    if (end < 0) return reject('bad-tag-block', 'no closing backslash');
    const parsed = parseTagBlock(line.slice(1, end));
    if (!parsed.ok) return parsed;
    tagBlock = parsed.value;
    start = end + 1;
  }

  if (!isAisHeader(line, start)) return reject('unsupported-sentence', line.slice(start, start + 6));
  const star = line.indexOf('*', start);
  if (star < 0) return reject('missing-checksum');
  const expected = parseHexByte(line, star + 1);
  if (expected < 0) return reject('missing-checksum', 'no two hex digits after *');
  const actual = xorChecksum(line, start + 1, star);
  if (actual !== expected) return reject('bad-checksum', `computed ${hex2(actual)}, sentence says ${hex2(expected)}`);

  const fields = line.slice(start, star).split(',');
  if (fields.length !== 7) return reject('bad-field-count', `${fields.length} fields, expected 7`);
  const [header, count, number, seq, channel, payload, fill] = fields as [
    string, string, string, string, string, string, string,
  ];

  const fragmentCount = singleDigit(count);
  if (fragmentCount < 1) return reject('bad-fragment-count', count);
  const fragmentNumber = singleDigit(number);
  if (fragmentNumber < 1 || fragmentNumber > fragmentCount) return reject('bad-fragment-number', number);
  if (seq !== '' && singleDigit(seq) < 0) return reject('bad-sequence-id', seq);
  if (payload.length === 0) return reject('empty-payload');
  for (let i = 0; i < payload.length; i++) {
    if (armourValue(payload.charCodeAt(i)) < 0) {
      return reject('bad-payload-char', `${JSON.stringify(payload[i])} at ${i}`);
    }
  }
  const fillBits = singleDigit(fill);
  if (fillBits < 0 || fillBits > 5) return reject('bad-fill-bits', fill);

  const trailer = line.length > star + 3 ? line.slice(star + 3) : null;
  return ok({
    line,
    tagBlock,
    talker: header.slice(1, 3),
    formatter: header.endsWith('VDO') ? 'VDO' : 'VDM',
    fragmentCount,
    fragmentNumber,
    seqId: seq === '' ? null : seq,
    channel,
    payload,
    fillBits,
    trailer,
  });
}

/** Parses the text between the backslashes of a tag block, checksum included. */
export function parseTagBlock(text: string): Result<TagBlock, NmeaRejectReason> {
  const star = text.lastIndexOf('*');
  if (star < 0) return reject('bad-tag-block', 'no checksum');
  const expected = text.length === star + 3 ? parseHexByte(text, star + 1) : -1;
  if (expected < 0) return reject('bad-tag-block-checksum', `malformed checksum ${JSON.stringify(text.slice(star))}`);
  const actual = xorChecksum(text, 0, star);
  if (actual !== expected) {
    return reject('bad-tag-block-checksum', `computed ${hex2(actual)}, tag block says ${hex2(expected)}`);
  }

  const block: TagBlock = { source: null, timeMs: null, group: null, lineCount: null, text: null };
  for (const field of text.slice(0, star).split(',')) {
    const colon = field.indexOf(':');
    if (colon !== 1) return reject('bad-tag-block', `field ${JSON.stringify(field)}`);
    const value = field.slice(2);
    switch (field[0]) {
      case 's':
        block.source = value;
        break;
      case 'c': {
        const time = unsignedDecimal(value);
        if (time < 0) return reject('bad-tag-block', `c:${value}`);
        block.timeMs = Math.round(time > MILLISECONDS_THRESHOLD ? time : time * 1000);
        break;
      }
      case 'g': {
        const parts = value.split('-');
        const sentence = unsignedInteger(parts[0] ?? '');
        const total = unsignedInteger(parts[1] ?? '');
        const id = parts[2] ?? '';
        if (parts.length !== 3 || sentence < 1 || total < sentence || id === '') {
          return reject('bad-tag-block', `g:${value}`);
        }
        block.group = { sentence, total, id };
        break;
      }
      case 'n': {
        const count = unsignedInteger(value);
        if (count < 0) return reject('bad-tag-block', `n:${value}`);
        block.lineCount = count;
        break;
      }
      case 't':
        block.text = value;
        break;
      default:
        // d:, r:, x: and vendor fields (q:, T:) carry nothing the gateway uses.
        break;
    }
  }
  return ok(block);
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

/** XOR of the character codes in [from, to). */
function xorChecksum(text: string, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= text.charCodeAt(i);
  return sum;
}

/** Two hex digits at `at` as a byte, or -1. */
function parseHexByte(text: string, at: number): number {
  const hi = hexDigit(text.charCodeAt(at));
  const lo = hexDigit(text.charCodeAt(at + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** A field of exactly one decimal digit as a number, or -1. */
function singleDigit(field: string): number {
  if (field.length !== 1) return -1;
  const code = field.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}

/** A non-empty string of decimal digits (at most 15) as a number, or -1. */
function unsignedInteger(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    n = n * 10 + (code - 48);
  }
  return n;
}

/** Digits with an optional fractional part (`1418169601.25`) as a number, or -1. */
function unsignedDecimal(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return unsignedInteger(text);
  const whole = unsignedInteger(text.slice(0, dot));
  const fraction = text.slice(dot + 1);
  const digits = unsignedInteger(fraction);
  return whole < 0 || digits < 0 ? -1 : whole + digits / 10 ** fraction.length;
}
