import { ok, reject, type Result } from '../result';

/**
 * A de-armoured AIS payload: one six-bit symbol per byte, most significant bit first
 * (ITU-R M.1371 Annex 8 / IEC 61162-1 armouring). Bits past `bitLength` are fill bits.
 */
export interface SixbitPayload {
  readonly symbols: Uint8Array;
  readonly bitLength: number;
}

/** One armoured fragment as carried by a VDM/VDO sentence. */
export interface ArmouredFragment {
  readonly payload: string;
  readonly fillBits: number;
}

/** The six-bit value of an armoured payload character ('0'-'W', '`'-'w'), or -1. */
export function armourValue(code: number): number {
  if (code >= 48 && code <= 87) return code - 48;
  if (code >= 96 && code <= 119) return code - 56;
  return -1;
}

/** armourValue() for every 7-bit code, so the hot loop of unarmour() is one lookup per character. */
const ARMOUR_VALUES = Int8Array.from({ length: 128 }, (_, code) => armourValue(code));

/**
 * Joins the fragments of one message into six-bit symbols, decoding each character once.
 * Only the last fragment may carry fill bits (IEC 61162-1); earlier ones must end on a character.
 */
export function unarmour(
  fragments: readonly ArmouredFragment[],
): Result<SixbitPayload, 'bad-payload-char' | 'bad-fill-bits'> {
  const count = fragments.length;
  let length = 0;
  for (let index = 0; index < count; index++) length += fragments[index]!.payload.length;
  const symbols = new Uint8Array(length);
  let at = 0;
  for (let index = 0; index < count; index++) {
    const f = fragments[index]!;
    if (f.fillBits !== 0 && index < count - 1) {
      return reject('bad-fill-bits', `${f.fillBits} fill bits on fragment ${index + 1} of ${count}`);
    }
    const text = f.payload;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const value = code < 128 ? ARMOUR_VALUES[code]! : -1;
      if (value < 0) return reject('bad-payload-char', `${JSON.stringify(text[i])} at ${i}`);
      symbols[at++] = value;
    }
  }
  const fill = count === 0 ? 0 : fragments[count - 1]!.fillBits;
  if (!Number.isInteger(fill) || fill < 0 || fill > 5 || fill > length * 6) {
    return reject('bad-fill-bits', String(fill));
  }
  return ok({ symbols, bitLength: length * 6 - fill });
}

/** 2 ** n for the field widths the bit reader handles. */
const POW2 = Float64Array.from({ length: 64 }, (_, n) => 2 ** n);

/**
 * Unsigned integer of `length` bits (up to 48) starting at bit `start`.
 * Bits past the last symbol read as zero, as in gpsd's zeroed bit buffer.
 */
export function readUint(p: SixbitPayload, start: number, length: number): number {
  const symbols = p.symbols;
  const available = symbols.length;
  const first = (start / 6) | 0;
  const last = ((start + length + 5) / 6) | 0;
  // The symbols covering the field, the first one masked to the field's bits; then the bits after
  // the field are shifted out. The value never exceeds 2^(length + 5), so up to 48 bits stay exact.
  const drop = last * 6 - start - length;
  if (length <= 0) return 0;
  let value = first < available ? symbols[first]! & (63 >> (start - first * 6)) : 0;
  if (last - first <= 5) {
    for (let i = first + 1; i < last; i++) value = (value << 6) | (i < available ? symbols[i]! : 0);
    return value >>> drop;
  }
  // Multiplication instead of << for fields wider than 30 bits.
  for (let i = first + 1; i < last; i++) value = value * 64 + (i < available ? symbols[i]! : 0);
  return Math.floor(value / POW2[drop]!);
}

/** Two's-complement signed integer of `length` bits starting at bit `start`. */
export function readInt(p: SixbitPayload, start: number, length: number): number {
  const value = readUint(p, start, length);
  return value >= POW2[length - 1]! ? value - POW2[length]! : value;
}

/** One bit as a boolean. */
export function readBool(p: SixbitPayload, start: number): boolean {
  return readUint(p, start, 1) === 1;
}

/**
 * Up to `chars` six-bit ASCII characters (ITU-R M.1371 Annex 8, six-bit ASCII) starting at bit `start`.
 * Like gpsd, stops at the first '@' (the "not available" pad) and, unless `trimEnd` is false,
 * drops trailing spaces.
 */
export function readText(p: SixbitPayload, start: number, chars: number, trimEnd = true): string {
  let text = '';
  let kept = 0;
  for (let i = 0; i < chars; i++) {
    const value = readUint(p, start + i * 6, 6);
    if (value === 0) break;
    const code = value < 32 ? value + 64 : value;
    text += String.fromCharCode(code);
    if (code !== 32) kept = text.length;
  }
  return !trimEnd || kept === text.length ? text : text.slice(0, kept);
}
