import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServerMetrics } from '../metrics';
import { AckLedger } from './ack-ledger';
import { AckAfterCommit } from './ack-after-commit';

const tick = () => new Promise((r) => setImmediate(r));

/** A consumer over a ledger whose acknowledgements are recorded. */
function fakeConsumer() {
  const ledger = new AckLedger();
  const acked: number[] = [];
  let next = 1;
  return {
    acked,
    receive: () => ledger.add(next++, []),
    consumer: { mark: () => ledger.mark(), held: () => ledger.held, acknowledge(m: number) {
        const ids = ledger.take(m);
        acked.push(...ids);
        return ids.length;
      },
    },
  };
}

describe('AckAfterCommit', () => {
  it('acknowledges nothing before the commit that covers it succeeds', async () => {
    const f = fakeConsumer();
    let finish!: (ok: boolean) => void;
    const acks = new AckAfterCommit({ consumer: f.consumer, commit: () => new Promise((r) => (finish = r)), retryMs: 10, metrics: createServerMetrics(), log: pino({ level: 'silent' }) });
    f.receive();
    f.receive();
    acks.kick();
    await tick();
    f.receive(); // arrives while the first commit runs
    expect(f.acked).toEqual([]);
    finish(true);
    await tick();
    expect(f.acked).toEqual([1, 2]);
    await tick();
    finish(true); // the next commit, for the third
    await tick();
    expect(f.acked).toEqual([1, 2, 3]);
    expect(acks.acknowledgingUncommitted).toBe(false);
  });

  it('while the database fails, acknowledges on receipt and counts it, until a retry succeeds', async () => {
    const f = fakeConsumer();
    const metrics = createServerMetrics();
    let dbUp = false;
    const acks = new AckAfterCommit({ consumer: f.consumer, commit: async () => dbUp, retryMs: 5, metrics, log: pino({ level: 'silent' }) });
    f.receive();
    acks.kick();
    await tick();
    await tick();
    expect(acks.acknowledgingUncommitted).toBe(true);
    f.receive();
    acks.kick();
    await tick();
    expect(f.acked).toEqual([1, 2]);
    const uncommitted = (await metrics.registry.getSingleMetric('seawall_server_observations_acked_total')!.get()).values.find((v) => v.labels.when === 'uncommitted');
    expect(uncommitted?.value).toBe(2);
    dbUp = true;
    await new Promise((r) => setTimeout(r, 30));
    expect(acks.acknowledgingUncommitted).toBe(false);
    await acks.stop();
  });
});
