import { ok, reject, type Result } from '../result';
import { formatHexByte, parseHexByte, xorChecksum } from './checksum';
import { parseUnsignedDecimal, parseUnsignedInteger } from './fields';

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

/** Why a tag block is unusable: malformed, or its own checksum does not hold. */
export type TagBlockRejectReason = 'bad-tag-block' | 'bad-tag-block-checksum';

const COLON = 58;

// c: values above this are milliseconds; 1e11 s would be the year 5138.
const MILLISECONDS_THRESHOLD = 1e11;

/** Parses the text between the backslashes of an NMEA 4.0 tag block, checksum included. Never throws. */
export function parseTagBlock(text: string): Result<TagBlock, TagBlockRejectReason> {
  const star = text.lastIndexOf('*');
  if (star < 0) return reject('bad-tag-block', 'no checksum');
  const expected = text.length === star + 3 ? parseHexByte(text, star + 1) : -1;
  if (expected < 0) return reject('bad-tag-block-checksum', `malformed checksum ${JSON.stringify(text.slice(star))}`);
  const actual = xorChecksum(text, 0, star);
  if (actual !== expected) {
    return reject('bad-tag-block-checksum', `computed ${formatHexByte(actual)}, tag block says ${formatHexByte(expected)}`);
  }

  const block: TagBlock = { source: null, timeMs: null, group: null, lineCount: null, text: null };
  // Field by field with indexOf rather than split(): this runs for every line of every receiver.
  for (let from = 0; from <= star; ) {
    let to = text.indexOf(',', from);
    if (to < 0 || to > star) to = star;
    // `x:value`: the field's first colon is its second character.
    if (to - from < 2 || text.charCodeAt(from + 1) !== COLON || text.charCodeAt(from) === COLON) {
      return reject('bad-tag-block', `field ${JSON.stringify(text.slice(from, to))}`);
    }
    const value = text.slice(from + 2, to);
    switch (text[from]) {
      case 's':
        block.source = value;
        break;
      case 'c': {
        const time = parseUnsignedDecimal(value);
        if (time < 0) return reject('bad-tag-block', `c:${value}`);
        block.timeMs = Math.round(time > MILLISECONDS_THRESHOLD ? time : time * 1000);
        break;
      }
      case 'g': {
        const parts = value.split('-');
        const sentence = parseUnsignedInteger(parts[0] ?? '');
        const total = parseUnsignedInteger(parts[1] ?? '');
        const id = parts[2] ?? '';
        if (parts.length !== 3 || sentence < 1 || total < sentence || id === '') {
          return reject('bad-tag-block', `g:${value}`);
        }
        block.group = { sentence, total, id };
        break;
      }
      case 'n': {
        const count = parseUnsignedInteger(value);
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
    from = to + 1;
  }
  return ok(block);
}
