import { describe, expect, it } from 'vitest';
import { linkLabel, linkStateOf } from './link-state';

describe('linkStateOf', () => {
  it('is live while telemetry came within the last 5 s', () => {
    expect(linkStateOf(10_000, 10_000)).toEqual({ state: 'live' });
    expect(linkStateOf(10_000, 15_000)).toEqual({ state: 'live' });
  });

  it('is lost, with whole seconds since, after that', () => {
    expect(linkStateOf(10_000, 15_001)).toEqual({ state: 'lost', agoS: 5 });
    expect(linkStateOf(10_000, 52_900)).toEqual({ state: 'lost', agoS: 42 });
  });

  it('is none before any telemetry', () => {
    expect(linkStateOf(null, 1)).toEqual({ state: 'none' });
  });
});

describe('linkLabel', () => {
  it('reads live, lost Ns ago, or no telemetry', () => {
    expect(linkLabel({ state: 'live' })).toBe('实时 Live');
    expect(linkLabel({ state: 'lost', agoS: 12 })).toBe('中断 Lost 12s ago');
    expect(linkLabel({ state: 'lost', agoS: 600 })).toBe('中断 Lost 10 min ago');
    expect(linkLabel({ state: 'none' })).toBe('无遥测 No telemetry');
  });
});
