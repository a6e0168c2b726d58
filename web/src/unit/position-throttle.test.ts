import { describe, expect, it } from 'vitest';
import { PositionThrottle, type Fix } from './position-throttle';

const fix = (lon: number, atMs: number, accuracyM = 10): Fix => ({ lon, lat: 20, accuracyM, atMs });

describe('PositionThrottle', () => {
  it('sends the first fix at once and then at most one every 15 s, the latest one', () => {
    const t = new PositionThrottle(15_000);
    expect(t.offer(fix(110.0, 0), 0).send?.lon).toBe(110.0);
    const held = t.offer(fix(110.1, 5_000), 5_000);
    expect(held).toEqual({ send: null, retryAtMs: 15_000 });
    expect(t.offer(fix(110.2, 9_000), 9_000).send).toBeNull();
    expect(t.due(14_999).send).toBeNull();
    expect(t.due(15_000).send?.lon).toBe(110.2);
    expect(t.due(40_000).send).toBeNull();
    expect(t.offer(fix(110.3, 40_000), 40_000).send?.lon).toBe(110.3);
  });

  it('ignores fixes too coarse to plan an intercept with', () => {
    const t = new PositionThrottle(15_000, 500);
    expect(t.offer(fix(110, 0, 2_000), 0)).toEqual({ send: null, retryAtMs: null });
    expect(t.offer(fix(110, 0, Number.NaN), 0).send).toBeNull();
    expect(t.offer(fix(110, 0, 30), 0).send).not.toBeNull();
  });
});
