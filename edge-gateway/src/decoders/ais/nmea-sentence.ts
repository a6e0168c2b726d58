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

/** `!` + two uppercase talker letters + `VDM`/`VDO` + `,` at `at`. */
function isAisHeader(line: string, at: number): boolean {
  if (line.charCodeAt(at) !== BANG || line.charCodeAt(at + 6) !== COMMA) return false;
  const t1 = line.charCodeAt(at + 1);
  const t2 = line.charCodeAt(at + 2);
  if (t1 < 65 || t1 > 90 || t2 < 65 || t2 > 90) return false;
  const last = line[at + 5];
  return line[at + 3] === 'V' && line[at + 4] === 'D' && (last === 'M' || last === 'O');
}

/** A field of exactly one decimal digit as a number, or -1. */
function singleDigit(field: string): number {
  if (field.length !== 1) return -1;
  const code = field.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}
