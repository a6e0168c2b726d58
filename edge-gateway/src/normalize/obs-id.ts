/**
 * 64-bit FNV-1a over the parts, each followed by a 0x0a separator, as 16 hex digits.
 * Deterministic, so a re-sent raw message keeps its observation id; 64 bits keep accidental
 * collisions negligible at millions of observations a day (32 bits would not).
 * Characters above 0xff are hashed as two bytes.
 */
export function hashObservationId(parts: readonly string[]): string {
  // The 64-bit state as two 32-bit halves; the prime is 2^40 + 0x1b3, so the high half takes the low half
  // shifted by 8 besides its own product and the carry. One loop, no helper: this runs for every byte of
  // every observation.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const n = part.length;
    for (let i = 0; i <= n; i++) {
      let code = i === n ? 0x0a : part.charCodeAt(i);
      if (code > 0xff) {
        lo = (lo ^ (code >>> 8)) >>> 0;
        const low = lo * 0x1b3;
        hi = (Math.imul(hi, 0x1b3) + (lo << 8) + ((low / 0x1_0000_0000) | 0)) >>> 0;
        lo = low >>> 0;
        code &= 0xff;
      }
      lo = (lo ^ code) >>> 0;
      const low = lo * 0x1b3;
      hi = (Math.imul(hi, 0x1b3) + (lo << 8) + ((low / 0x1_0000_0000) | 0)) >>> 0;
      lo = low >>> 0;
    }
  }
  return String.fromCharCode(
    hexDigit(hi >>> 28), hexDigit((hi >>> 24) & 15), hexDigit((hi >>> 20) & 15), hexDigit((hi >>> 16) & 15),
    hexDigit((hi >>> 12) & 15), hexDigit((hi >>> 8) & 15), hexDigit((hi >>> 4) & 15), hexDigit(hi & 15),
    hexDigit(lo >>> 28), hexDigit((lo >>> 24) & 15), hexDigit((lo >>> 20) & 15), hexDigit((lo >>> 16) & 15),
    hexDigit((lo >>> 12) & 15), hexDigit((lo >>> 8) & 15), hexDigit((lo >>> 4) & 15), hexDigit(lo & 15),
  );
}

/** The character code of a lower-case hex digit (number to string in base 16 was a tenth of the hashing). */
function hexDigit(n: number): number {
  return n < 10 ? 48 + n : 87 + n;
}
