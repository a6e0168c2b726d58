import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServerMetrics } from '../metrics';
import { SerialWriter } from './serial-writer';

const log = pino({ level: 'silent' });

describe('SerialWriter.written', () => {
  it('resolves once the writes pushed before it are done, while later ones keep coming', async () => {
    const writer = new SerialWriter(log, createServerMetrics());
    const order: string[] = [];
    const gates: (() => void)[] = [];
    const write = (name: string) => () => new Promise<void>((resolve) => gates.push(() => (order.push(name), resolve())));
    writer.push(write('a'));
    writer.push(write('b'));
    const written = writer.written();
    writer.push(write('c'));
    let settled: boolean | undefined;
    void written.then((ok) => (settled = ok));
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setImmediate(r));
      gates.shift()!();
    }
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['a', 'b']);
    expect(settled).toBe(true);
    expect(writer.pending).toBe(1);
    gates.shift()!();
    await writer.drain();
  });

  it('says false as soon as a write fails, and the write is retried all the same', async () => {
    const writer = new SerialWriter(log, createServerMetrics());
    let tries = 0;
    writer.push(async () => {
      if (++tries === 1) throw new Error('database away');
    });
    expect(await writer.written()).toBe(false);
    await writer.drain();
    expect(tries).toBe(2);
    expect(await writer.written()).toBe(true);
  });
});
