import { describe, expect, it } from 'vitest';
import { SensorDecoders } from './sensor-decoders';

describe('SensorDecoders', () => {
  it('drops the least recently used sensor past its bound, keeping its counts in the totals', () => {
    const dropped: string[] = [];
    const decoders = new SensorDecoders(() => ({ name: '', lines: 0 }), (d) => ({ lines: d.lines }), (d) => dropped.push(d.name), 2);
    const use = (id: string) => {
      const d = decoders.for(id);
      d.name = id;
      d.lines++;
    };
    ['a', 'b', 'a', 'c'].forEach(use);
    expect(dropped).toEqual(['b']);
    expect(decoders.peek('a')?.lines).toBe(2);
    expect(decoders.peek('b')).toBeUndefined();
    use('b');
    expect(dropped).toEqual(['b', 'a']);
    expect(decoders.totals()).toEqual({ lines: 5 });
  });
});
