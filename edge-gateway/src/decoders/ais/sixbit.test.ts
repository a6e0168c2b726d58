import { describe, expect, it } from 'vitest';
import { armourValue, readBool, readInt, readText, readUint, unarmour } from './sixbit';
import { armour, textFields } from './test-support';

const payloadOf = (fields: Parameters<typeof armour>[0]) => {
  const { payload, fillBits } = armour(fields);
  const r = unarmour([{ payload, fillBits }]);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
};

describe('six-bit armour', () => {
  it.each([
    ['0', 0],
    ['9', 9],
    ['W', 39],
    ['`', 40],
    ['w', 63],
    ['X', -1],
    ['_', -1],
    ['x', -1],
    [' ', -1],
  ])('maps %j to %i', (ch, value) => {
    expect(armourValue(ch.charCodeAt(0))).toBe(value);
  });

  it('joins fragments and takes the fill bits of the last one only', () => {
    const r = unarmour([
      { payload: '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8', fillBits: 0 },
      { payload: '88888888880', fillBits: 2 },
    ]);
    expect(r.ok && r.value.bitLength).toBe((60 + 11) * 6 - 2);
    expect(r.ok && r.value.symbols.length).toBe(71);
  });

  it.each([
    ['a character outside the armour set', [{ payload: '1X', fillBits: 0 }], 'bad-payload-char'],
    ['fill bits above 5', [{ payload: '15', fillBits: 6 }], 'bad-fill-bits'],
    ['more fill bits than payload bits', [{ payload: '', fillBits: 2 }], 'bad-fill-bits'],
    ['fill bits on a fragment other than the last', [{ payload: '15', fillBits: 2 }, { payload: '15', fillBits: 0 }], 'bad-fill-bits'],
  ])('rejects %s', (_name, fragments, reason) => {
    const r = unarmour(fragments);
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });
});

describe('bit reader', () => {
  const p = payloadOf([
    [5, 3],
    [-3, 7],
    [0x3fffffff, 30],
    [1, 1],
    [-1, 28],
    [123_456, 20],
  ]);

  it('reads unsigned fields across six-bit boundaries', () => {
    expect(readUint(p, 0, 3)).toBe(5);
    expect(readUint(p, 10, 30)).toBe(0x3fffffff);
    expect(readUint(p, 69, 20)).toBe(123_456);
  });

  it("reads two's-complement signed fields", () => {
    expect(readInt(p, 3, 7)).toBe(-3);
    expect(readInt(p, 41, 28)).toBe(-1);
    expect(readInt(p, 0, 3)).toBe(-3);
  });

  it('reads single bits as booleans and bits past the payload as zero', () => {
    expect(readBool(p, 40)).toBe(true);
    expect(readUint(p, 90, 30)).toBe(0);
  });

  it("reads six-bit text, stopping at '@' and dropping trailing spaces as gpsd does", () => {
    const q = payloadOf([...textFields('AB C  ', 8), ...textFields('X@Y', 3)]);
    expect(readText(q, 0, 8)).toBe('AB C');
    expect(readText(q, 0, 8, false)).toBe('AB C  ');
    expect(readText(q, 48, 3)).toBe('X');
    expect(readText(q, 0, 0)).toBe('');
  });

  it('maps every six-bit value to its ITU-R M.1371 Table 47 character', () => {
    const all = Array.from({ length: 63 }, (_, i) => [i + 1, 6] as [number, number]);
    const text = readText(payloadOf(all), 0, 63, false);
    expect(text).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !"#$%&\'()*+,-./0123456789:;<=>?');
  });
});
