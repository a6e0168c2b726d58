/**
 * The scenario's only source of "randomness": a hash of integer keys (MMSI, target, second, …), so that
 * sensor noise is the same whenever the same instant is asked for.
 */

/** A value in [0, 1) for the given integer keys (a murmur3-style mix, then mulberry32). */
export function random(...keys: number[]): number {
  let h = 0x5ea_2a11;
  for (const k of keys) {
    h = Math.imul(h ^ (k >>> 0), 0xcc9e2d51);
    h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
    h ^= h >>> 16;
  }
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Symmetric noise in [-amplitude, amplitude). */
export const noise = (amplitude: number, ...keys: number[]) => (random(...keys) * 2 - 1) * amplitude;
