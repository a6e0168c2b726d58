import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText } from './storable-text';

describe('storable text', () => {
  it('takes any well-formed text, pairs of surrogates (emoji) included', () => {
    for (const s of ['', 'HAIXUN 09101', '海巡', '\u202eevil\u202c', '\u200b', '\ud83d\ude00', "'; DROP TABLE x; --", '\\u0000']) expect(isStorableText(s), s).toBe(true);
  });

  it('refuses U+0000 and lone surrogates, high or low, anywhere', () => {
    for (const s of ['\0', 'a\0b', '\ud800', 'x\ud800y', '\udfff', '\udc00\ud800', 'ok\ud83d']) expect(isStorableText(s), JSON.stringify(s)).toBe(false);
  });

  it('finds such text in values and keys at any depth', () => {
    expect(findUnstorableText({ a: [1, { b: 'fine' }] })).toBeUndefined();
    expect(findUnstorableText({ a: [1, { b: 'x\0' }] })).toBe('x\0');
    expect(findUnstorableText([{ ['k\ud800']: 1 }])).toBe('k\ud800');
    let deep: unknown = 'bad\0';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toBe('bad\0');
  });
});
