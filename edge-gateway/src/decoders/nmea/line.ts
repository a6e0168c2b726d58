import { ok, reject, type Result } from '../result';
import { formatHexByte, parseHexByte, xorChecksum } from './checksum';
import { parseTagBlock, type TagBlock, type TagBlockRejectReason } from './tag-block';

/** Longest line accepted, tag block and trailer included; real sentences are under 200 characters. */
export const MAX_LINE_LENGTH = 1000;

/** One received line split into its optional NMEA 4.0 tag block and the sentence after it. */
export interface NmeaLine {
  /** The line as received, surrounding whitespace removed. */
  line: string;
  tagBlock: TagBlock | null;
  /** Index in `line` of the sentence's start character (`$` or `!`), just after any tag block. */
  start: number;
}

/** Why a line could not be split into tag block and sentence. */
export type NmeaLineRejectReason = 'empty-line' | 'line-too-long' | TagBlockRejectReason;
/** Why a sentence's checksum does not hold. */
export type NmeaChecksumRejectReason = 'missing-checksum' | 'bad-checksum';

const BACKSLASH = 92;

/** Trims a line, bounds its length and parses the tag block in front of the sentence, if any. Never throws. */
export function readNmeaLine(rawLine: string): Result<NmeaLine, NmeaLineRejectReason> {
  const line = rawLine.trim();
  if (line.length === 0) return reject('empty-line');
  if (line.length > MAX_LINE_LENGTH) return reject('line-too-long', `${line.length} characters`);
  if (line.charCodeAt(0) !== BACKSLASH) return ok({ line, tagBlock: null, start: 0 });

  const end = line.indexOf('\\', 1);
  if (end < 0) return reject('bad-tag-block', 'no closing backslash');
  const parsed = parseTagBlock(line.slice(1, end));
  if (!parsed.ok) return parsed;
  return ok({ line, tagBlock: parsed.value, start: end + 1 });
}

/**
 * Checks the NMEA 0183 checksum of the sentence starting at `start`: two hex digits after the first `*`,
 * equal to the XOR of the characters between the start character and the `*`. Returns the `*` index.
 */
export function verifyNmeaChecksum(line: string, start: number): Result<number, NmeaChecksumRejectReason> {
  const star = line.indexOf('*', start);
  if (star < 0) return reject('missing-checksum');
  const expected = parseHexByte(line, star + 1);
  if (expected < 0) return reject('missing-checksum', 'no two hex digits after *');
  const actual = xorChecksum(line, start + 1, star);
  if (actual !== expected) {
    return reject('bad-checksum', `computed ${formatHexByte(actual)}, sentence says ${formatHexByte(expected)}`);
  }
  return ok(star);
}
