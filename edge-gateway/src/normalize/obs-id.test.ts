import { describe, expect, it } from 'vitest';
import { hashObservationId } from './obs-id';

/** Reference 64-bit FNV-1a over bytes, with BigInt. */
function fnv1a64(bytes: number[]): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

const bytesOf = (parts: string[]) =>
  parts.flatMap((p) => [...p].flatMap((c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? [code >>> 8, code & 0xff] : [code];
  }).concat(0x0a));

describe('hashObservationId', () => {
  it.each([
    [[]],
    [['']],
    [['ais-1', 'ais.position', '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23']],
    [['sensor', 'ünïcode ✓']],
  ])('is 64-bit FNV-1a of the parts, newline-separated: %j', (parts) => {
    expect(hashObservationId(parts)).toBe(fnv1a64(bytesOf(parts)));
  });

  it('matches the published FNV-1a 64 test vector for "a"', () => {
    // FNV-1a 64("a") = af63dc4c8601ec8c; our separator byte adds one more round.
    expect(fnv1a64([0x61])).toBe('af63dc4c8601ec8c');
    expect(hashObservationId(['a'])).toBe(fnv1a64([0x61, 0x0a]));
  });

  it('separates parts, so moving text across a boundary changes the id', () => {
    expect(hashObservationId(['ab', 'c'])).not.toBe(hashObservationId(['a', 'bc']));
  });

  it('agrees with the reference on random text, characters above 0xff included', () => {
    let seed = 11;
    const rand = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    for (let n = 0; n < 500; n++) {
      const parts = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        String.fromCharCode(...Array.from({ length: Math.floor(rand() * 90) }, () => (rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x10000)))),
      );
      expect(hashObservationId(parts)).toBe(fnv1a64(bytesOf(parts)));
    }
  });
});

