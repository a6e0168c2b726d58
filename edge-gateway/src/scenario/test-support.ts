/**
 * Test-only helpers: a minimal six-bit de-armouring reader, so the tests can check encoded fields
 * without depending on the gateway's decoder.
 */

/** The payload's bits as a string of `0`/`1` (IEC 61162-1 six-bit ASCII). */
export function payloadBits(payload: string): string {
  let bits = '';
  for (const ch of payload) {
    let v = ch.charCodeAt(0) - 48;
    if (v > 40) v -= 8;
    bits += v.toString(2).padStart(6, '0');
  }
  return bits;
}

/** Unsigned field at a bit offset. */
export function uintAt(bits: string, start: number, width: number): number {
  return parseInt(bits.slice(start, start + width), 2);
}

/** Two's-complement signed field at a bit offset. */
export function intAt(bits: string, start: number, width: number): number {
  const v = uintAt(bits, start, width);
  return v >= 2 ** (width - 1) ? v - 2 ** width : v;
}
