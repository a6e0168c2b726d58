import { describe, expect, it } from 'vitest';
import { createAisHandler, SentenceWindow } from './ais-handler';
import { RecentKeys } from './recent-keys';

describe('SentenceWindow', () => {
  it('reports a key seen again within the window, and forgets it after the window', () => {
    const keys = new SentenceWindow(10_000);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 0)).toBe(false);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 9_999)).toBe(true);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 20_001)).toBe(false);
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const keys = new SentenceWindow(60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) keys.seen(k, 0);
    expect(keys.seen('a', 1)).toBe(false);
    expect(keys.seen('d', 1)).toBe(true);
  });

  it('answers as RecentKeys does, times out of order and keys seen again included', () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (const [windowMs, maxKeys, keySpace, steps] of [
      [50, 20, 30, 5_000],
      [400, 5_000, 20_000, 200_000],
    ] as const) {
      const expected = new RecentKeys(windowMs, maxKeys);
      const actual = new SentenceWindow(windowMs, maxKeys);
      let t = 0;
      for (let i = 0; i < steps; i++) {
        t += Math.floor(random() * 4) - (random() < 0.05 ? 6 : 0);
        const key = `k${Math.floor(random() * keySpace)}`;
        expect(actual.seen(key, t), `step ${i}`).toBe(expected.seen(key, t));
      }
    }
  });
});

describe('AIS handler duplicates', () => {
  it('drops the same sentence from a second receiver within the window, by tag-block time', () => {
    const handler = createAisHandler('gw-test');
    const sentence = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
    const first = handler.handle('rx-1', Buffer.from(`\\c:1764201600*58\\${sentence}`), 0);
    const again = handler.handle('rx-2', Buffer.from(`\\c:1764201605*5D\\${sentence}`), 0);
    const later = handler.handle('rx-2', Buffer.from(`\\c:1764201611*58\\${sentence}`), 0);
    expect(first.observations).toHaveLength(1);
    expect(again.observations).toHaveLength(0);
    expect(again.ignored).toEqual(['duplicate']);
    expect(later.observations).toHaveLength(1);
  });
});
