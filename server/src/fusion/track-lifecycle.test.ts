import { describe, expect, it } from 'vitest';
import { lifecycleState } from './track-lifecycle';

describe('track lifecycle on observation time', () => {
  it('keeps an AIS vessel active through a class A anchored reporting interval, stale after 6 min, lost after 20', () => {
    const t = { kind: 'ais' as const, lastSeenMs: 1_000_000 };
    expect(lifecycleState(t, 1_000_000 + 3 * 60_000)).toBe('active');
    expect(lifecycleState(t, 1_000_000 + 6 * 60_000)).toBe('stale');
    expect(lifecycleState(t, 1_000_000 + 20 * 60_000)).toBe('lost');
  });

  it('lets a radar-only target go stale within 30 s of silence', () => {
    expect(lifecycleState({ kind: 'radar', lastSeenMs: 0 }, 29_999)).toBe('active');
    expect(lifecycleState({ kind: 'radar', lastSeenMs: 0 }, 30_000)).toBe('stale');
    expect(lifecycleState({ kind: 'radar', lastSeenMs: 0 }, 120_000)).toBe('lost');
  });
});
