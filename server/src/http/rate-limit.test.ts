import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';

function clock(startMs = 1_000_000) {
  let t = startMs;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a quiet client send its whole limit at once, then refuses with the time until the next token', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 10; i++) expect(limiter.take('alice')).toEqual({ ok: true });
    expect(limiter.take('alice')).toEqual({ ok: false, retryAfterMs: 6_000 });
  });

  it('refills evenly over the window', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 10; i++) limiter.take('alice');
    c.advance(5_999);
    expect(limiter.take('alice').ok).toBe(false);
    c.advance(1);
    // The refused request above took nothing: one token has come back by 6 s.
    expect(limiter.take('alice')).toEqual({ ok: true });
    expect(limiter.take('alice')).toEqual({ ok: false, retryAfterMs: 6_000 });
    c.advance(600_000);
    for (let i = 0; i < 10; i++) expect(limiter.take('alice').ok).toBe(true);
    expect(limiter.take('alice').ok).toBe(false);
  });

  it('keeps each key apart', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1_000, now: c.now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.ok)).toEqual([true, true, false]);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('refills nothing when the clock steps back', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, now: c.now });
    limiter.take('a');
    c.advance(-10_000);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('remembers at most maxKeys keys, forgetting the least recently seen', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, now: c.now, maxKeys: 3 });
    for (const k of ['a', 'b', 'c']) limiter.take(k);
    expect(limiter.take('a').ok).toBe(false); // a is now the most recent
    limiter.take('d'); // b, the stalest, is forgotten
    expect(limiter.size).toBe(3);
    expect(limiter.take('b').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('refuses a limit below one or an empty window', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1_000, now: Date.now })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 5, windowMs: 0, now: Date.now })).toThrow(RangeError);
  });
});
