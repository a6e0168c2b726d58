/**
 * XOR of the character codes in [from, to): the NMEA 0183 sentence checksum when `from` is just after the
 * start character (`$` or `!`) and `to` is the `*`; the NMEA 4.0 tag-block checksum over the block's text.
 */
export function xorChecksum(text: string, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= text.charCodeAt(i);
  return sum;
}

/** Two hex digits (either case) at `at` as a byte, or -1. */
export function parseHexByte(text: string, at: number): number {
  const hi = hexDigit(text.charCodeAt(at));
  const lo = hexDigit(text.charCodeAt(at + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** A byte as two upper-case hex digits, as sentences carry it. */
export function formatHexByte(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}
