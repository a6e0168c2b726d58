import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys';

describe('RecentKeys', () => {
  it('reports a key seen again within the window, and forgets it after the window', () => {
    const keys = new RecentKeys(10_000);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 0)).toBe(false);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 9_999)).toBe(true);
    expect(keys.seen('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', 20_001)).toBe(false);
  });

  it('keeps at most maxKeys keys, dropping the oldest', () => {
    const keys = new RecentKeys(60_000, 3);
    for (const k of ['a', 'b', 'c', 'd']) keys.seen(k, 0);
    expect(keys.seen('a', 1)).toBe(false);
    expect(keys.seen('d', 1)).toBe(true);
  });
});
