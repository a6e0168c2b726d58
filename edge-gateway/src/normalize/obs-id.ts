/**
 * 64-bit FNV-1a over the parts, each followed by a 0x0a separator, as 16 hex digits.
 * Deterministic, so a re-sent raw message keeps its observation id; 64 bits keep accidental
 * collisions negligible at millions of observations a day (32 bits would not).
 * Characters above 0xff are hashed as two bytes.
 */
export function hashObservationId(parts: readonly string[]): string {
  // The 64-bit state as two 32-bit halves; the prime is 2^40 + 0x1b3.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number): void => {
    lo = (lo ^ byte) >>> 0;
    const low = lo * 0x1b3;
    const carry = Math.floor(low / 0x1_0000_0000);
    hi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    lo = low >>> 0;
  };
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const code = part.charCodeAt(i);
      if (code > 0xff) step(code >>> 8);
      step(code & 0xff);
    }
    step(0x0a);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
