import { MAX_OBSERVATIONS_PER_MESSAGE } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { ObservationBatcher } from './observation-batcher';

describe('ObservationBatcher', () => {
  it('sends one observation as itself and several of a topic as one array, in order', () => {
    const b = new ObservationBatcher();
    b.add('obs/v1/ais/rx-haikou', '{"obsId":"1"}');
    b.add('obs/v1/radar/rdr-sanya', '{"obsId":"r"}');
    b.add('obs/v1/ais/rx-haikou', '{"obsId":"2"}');
    b.add('obs/v1/ais/rx-haikou', '{"obsId":"3"}');
    const messages = b.drain();
    expect(messages).toEqual([
      { topic: 'obs/v1/ais/rx-haikou', payload: '[{"obsId":"1"},{"obsId":"2"},{"obsId":"3"}]' },
      { topic: 'obs/v1/radar/rdr-sanya', payload: '{"obsId":"r"}' },
    ]);
    expect(JSON.parse(messages[0]!.payload)).toHaveLength(3);
    expect(b.empty).toBe(true);
    expect(b.drain()).toEqual([]);
  });

  it('splits a long turn at the most observations a message may hold, and at its byte bound', () => {
    const b = new ObservationBatcher();
    const n = MAX_OBSERVATIONS_PER_MESSAGE * 2 + 3;
    for (let i = 0; i < n; i++) b.add('t', JSON.stringify({ obsId: String(i) }));
    const sizes = b.drain().map((m) => (JSON.parse(m.payload) as unknown[]).length);
    expect(sizes).toEqual([MAX_OBSERVATIONS_PER_MESSAGE, MAX_OBSERVATIONS_PER_MESSAGE, 3]);

    const big = JSON.stringify({ pad: 'x'.repeat(100 * 1024) });
    for (let i = 0; i < 5; i++) b.add('t', big);
    const messages = b.drain();
    expect(messages.map((m) => (m.payload.startsWith('[') ? (JSON.parse(m.payload) as unknown[]).length : 1))).toEqual([2, 2, 1]);
    expect(Math.max(...messages.map((m) => m.payload.length))).toBeLessThanOrEqual(256 * 1024);
  });
});
