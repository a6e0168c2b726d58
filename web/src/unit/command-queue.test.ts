import type { DispatchOrder } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { CommandQueue, type CrewCommand, type KeyValueStore, type SendOutcome } from './command-queue';

const respond = (orderId: string, action: 'accept' | 'reject' | 'en-route' | 'on-scene' | 'resolve', outcome?: string): CrewCommand => ({
  kind: 'respond',
  response: { orderId: orderId as DispatchOrder['id'], action, ...(outcome ? { outcome } : {}) },
});

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

/** A server that answers each command with the next scripted outcome and records what it got. */
function server(...outcomes: SendOutcome[]) {
  const got: CrewCommand[] = [];
  return {
    got,
    send: async (c: CrewCommand): Promise<SendOutcome> => {
      got.push(c);
      return outcomes.shift() ?? { kind: 'done' };
    },
  };
}

describe('CommandQueue', () => {
  it('sends commands made offline in the order they were made once the link is back', async () => {
    const queue = new CommandQueue();
    queue.enqueue(respond('o1', 'accept'));
    queue.enqueue(respond('o1', 'en-route'));
    expect(queue.size).toBe(2);
    expect(queue.queuedActions('o1')).toEqual(['accept', 'en-route']);
    const s = server();
    await queue.flush(s.send);
    expect(s.got.map((c) => (c.kind === 'respond' ? c.response.action : c.kind))).toEqual(['accept', 'en-route']);
    expect(queue.size).toBe(0);
  });

  it('keeps a command that got no answer, and what follows it, for the next connection', async () => {
    const queue = new CommandQueue();
    queue.enqueue(respond('o1', 'accept'));
    queue.enqueue(respond('o1', 'en-route'));
    const lost = server({ kind: 'retry' });
    await queue.flush(lost.send);
    expect(lost.got).toHaveLength(1);
    expect(queue.size).toBe(2);
    const back = server();
    await queue.flush(back.send);
    expect(back.got).toHaveLength(2);
    expect(queue.size).toBe(0);
  });

  it('treats a send that throws as no answer', async () => {
    const queue = new CommandQueue();
    queue.enqueue(respond('o1', 'accept'));
    await queue.flush(async () => {
      throw new Error('socket gone');
    });
    expect(queue.size).toBe(1);
  });

  it('drops a command the server refused and says why', async () => {
    const refused: string[] = [];
    const queue = new CommandQueue({ onRefused: (_c, error, message) => refused.push(`${error}: ${message}`) });
    queue.enqueue(respond('o1', 'accept'));
    queue.enqueue(respond('o2', 'accept'));
    await queue.flush(server({ kind: 'refused', error: 'bad-transition', message: 'order o1 is cancelled' }).send);
    expect(refused).toEqual(['bad-transition: order o1 is cancelled']);
    expect(queue.size).toBe(0);
  });

  it('queues the same step on the same order once', () => {
    const queue = new CommandQueue();
    const first = queue.enqueue(respond('o1', 'accept'));
    expect(queue.enqueue(respond('o1', 'accept'))).toBe(first);
    expect(queue.size).toBe(1);
  });

  it('merges reports: only the latest position and status wait, after the steps queued before them', () => {
    const queue = new CommandQueue();
    queue.enqueue({ kind: 'report', report: { lon: 110.1, lat: 20.1 } });
    queue.enqueue(respond('o1', 'resolve', 'boarded, released'));
    queue.enqueue({ kind: 'report', report: { status: 'available' } });
    queue.enqueue({ kind: 'report', report: { lon: 110.2, lat: 20.2 } });
    expect(queue.list().map((q) => q.command)).toEqual([
      respond('o1', 'resolve', 'boarded, released'),
      { kind: 'report', report: { status: 'available', lon: 110.2, lat: 20.2 } },
    ]);
  });

  it('does not merge into the report being sent at that moment', async () => {
    const queue = new CommandQueue();
    queue.enqueue({ kind: 'report', report: { lon: 110.1, lat: 20.1 } });
    const got: CrewCommand[] = [];
    await queue.flush(async (c) => {
      got.push(c);
      if (got.length === 1) queue.enqueue({ kind: 'report', report: { lon: 110.2, lat: 20.2 } });
      return { kind: 'done' };
    });
    expect(got).toEqual([
      { kind: 'report', report: { lon: 110.1, lat: 20.1 } },
      { kind: 'report', report: { lon: 110.2, lat: 20.2 } },
    ]);
  });

  it('runs one flush at a time', async () => {
    const queue = new CommandQueue();
    queue.enqueue(respond('o1', 'accept'));
    let release!: () => void;
    let sends = 0;
    const slow = () =>
      new Promise<SendOutcome>((resolve) => {
        sends += 1;
        release = () => resolve({ kind: 'done' });
      });
    const a = queue.flush(slow);
    const b = queue.flush(slow);
    expect(a).toBe(b);
    release();
    await a;
    expect(sends).toBe(1);
  });

  it('survives a reload: the outbox is kept in storage and read back, malformed entries dropped', async () => {
    const store = memoryStore();
    const before = new CommandQueue({ storage: store, storageKey: 'q' });
    before.enqueue(respond('o1', 'accept'));
    before.enqueue({ kind: 'report', report: { status: 'off-duty' } });
    const kept = JSON.parse(store.data.get('q')!) as unknown[];
    store.data.set('q', JSON.stringify([...kept, { id: 'x', queuedAtMs: 1, command: { kind: 'respond', response: { orderId: 'o9', action: 'explode' } } }]));

    const after = new CommandQueue({ storage: store, storageKey: 'q' });
    expect(after.list().map((q) => q.command)).toEqual([respond('o1', 'accept'), { kind: 'report', report: { status: 'off-duty' } }]);
    await after.flush(server().send);
    expect(store.data.has('q')).toBe(false);
  });

  it('starts empty from storage that holds no valid JSON', () => {
    const store = memoryStore();
    store.data.set('q', '{not json');
    expect(new CommandQueue({ storage: store, storageKey: 'q' }).size).toBe(0);
  });
});
