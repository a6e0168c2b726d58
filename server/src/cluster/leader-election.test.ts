import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../store/db';
import type { LeaderLock } from '../store/leader-lock';
import { electLeader, type LeaderElection } from './leader-election';

// The election against a stand-in for PostgreSQL: one advisory lock that one session at a time holds, and the
// `fusion_leaders` row. Sessions are lost (a killed process, a database restart) by the test.

class FakePostgres {
  holder: FakeLock | null = null;
  row: { instanceId: string; url: string; sinceMs: number } | null = null;
  up = true;
  private clock = 1_000;

  db(): Db {
    const query = async (sql: string, params: unknown[] = []) => {
      if (!this.up) throw new Error('connection refused');
      if (sql.includes('INSERT INTO fusion_leaders')) {
        this.row = { instanceId: params[1] as string, url: params[2] as string, sinceMs: ++this.clock };
        return { rows: [{ since_ms: this.row.sinceMs }] };
      }
      if (sql.includes('UPDATE fusion_leaders')) return { rows: [] };
      if (sql.includes('FROM fusion_leaders')) return { rows: this.row ? [{ instance_id: this.row.instanceId, url: this.row.url, since_ms: this.row.sinceMs }] : [] };
      throw new Error(`unexpected SQL ${sql}`);
    };
    return { backend: 'pg', query: query as Db['query'], exec: async () => undefined, transaction: async (fn) => fn({ query: query as Db['query'], exec: async () => undefined }), ping: async () => this.up, close: async () => undefined };
  }

  /** The database restarts: every session is lost, every lock released. */
  restart(): void {
    const holder = this.holder;
    this.holder = null;
    holder?.lose();
  }
}

class FakeLock implements LeaderLock {
  private connected = false;
  private readonly listeners = new Set<(err: Error) => void>();
  /** False: this instance cannot reach the database (cut off from it), while others may. */
  reachable = true;
  constructor(private readonly pg: FakePostgres) {}
  async tryAcquire() {
    if (!this.pg.up || !this.reachable) throw new Error('connection refused');
    this.connected = true;
    if (this.pg.holder && this.pg.holder !== this) return false;
    this.pg.holder = this;
    return true;
  }
  async alive() {
    return this.connected && this.pg.up;
  }
  onLost(listener: (err: Error) => void) {
    this.listeners.add(listener);
  }
  /** The session ends (its process died, or the database went away). */
  lose() {
    if (!this.connected) return;
    this.connected = false;
    if (this.pg.holder === this) this.pg.holder = null;
    for (const l of this.listeners) l(new Error('connection lost'));
  }
  async close() {
    this.lose();
  }
}

const until = async (check: () => boolean, timeoutMs = 3_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('fusion leader election', () => {
  const elections: LeaderElection[] = [];
  afterEach(async () => {
    for (const e of elections.splice(0)) await e.close();
  });

  function instance(pg: FakePostgres, instanceId: string, graceMs = 2_000) {
    const lock = new FakeLock(pg);
    const seen = { elected: 0, fatal: [] as string[] };
    const election = electLeader({
      db: pg.db(),
      lock,
      region: 'hainan',
      instanceId,
      pollMs: 20,
      graceMs,
      log: pino({ level: 'silent' }),
      onElected: async () => void seen.elected++,
      onFatal: (reason) => void seen.fatal.push(reason),
    });
    elections.push(election);
    return { election, lock, seen };
  }

  it('when two instances start, the first leads and records itself, and the second stands by', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a');
    const b = instance(pg, 'b');
    await a.election.start();
    await b.election.start();
    await a.election.advertise('http://a:8080');
    expect([a.election.role(), b.election.role()]).toEqual(['leader', 'standby']);
    expect(pg.row).toMatchObject({ instanceId: 'a' });
    expect(a.seen.elected).toBe(1);
    expect(b.seen.elected).toBe(0);
  });

  it('when the leader dies, the standby takes the lock within a few polls and leads', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a');
    const b = instance(pg, 'b');
    await a.election.start();
    await b.election.start();
    // SIGKILL: its session ends and nothing of it tries again.
    await a.election.close();
    await until(() => b.election.role() === 'leader', 500);
    expect(b.seen.elected).toBe(1);
    expect(pg.row).toMatchObject({ instanceId: 'b' });
  });

  it('when the database restarts under a lone leader, it takes the lock back and carries on', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a');
    await a.election.start();
    pg.up = false;
    pg.restart();
    await new Promise((r) => setTimeout(r, 200));
    pg.up = true;
    await until(() => pg.holder === a.lock);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.election.role()).toBe('leader');
    expect(a.seen).toEqual({ elected: 1, fatal: [] });
  });

  it('when another instance took over while the leader\'s lock connection was down, the old leader gives up', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a');
    const b = instance(pg, 'b');
    await a.election.start();
    await b.election.start();
    a.lock.reachable = false;
    a.lock.lose();
    await until(() => b.election.role() === 'leader', 500);
    expect(a.election.role()).toBe('leader');
    a.lock.reachable = true;
    await until(() => a.seen.fatal.length > 0);
    expect(a.seen.fatal).toEqual(['another instance holds the fusion lock']);
  });

  it('when another instance led meanwhile and let go again, the old leader still gives up: its memory is stale', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a', 0);
    await a.election.start();
    pg.up = false;
    a.lock.lose();
    pg.row = { instanceId: 'b', url: 'http://b:8080', sinceMs: 99_999 };
    pg.up = true;
    await until(() => a.seen.fatal.length > 0);
    expect(a.seen.fatal).toEqual(['another instance led fusion while the lock was lost']);
  });

  it('when the lock cannot be taken back within the grace period, the leader gives up', async () => {
    const pg = new FakePostgres();
    const a = instance(pg, 'a', 100);
    await a.election.start();
    pg.up = false;
    a.lock.lose();
    await until(() => a.seen.fatal.length > 0);
    expect(a.seen.fatal[0]).toMatch(/not taken back within 100 ms/);
  });

  it('without a lock (PGlite, one process) the instance always leads', async () => {
    const pg = new FakePostgres();
    const election = electLeader({
      db: pg.db(), lock: undefined, region: 'hainan', instanceId: 'solo', pollMs: 20, graceMs: 0, log: pino({ level: 'silent' }),
      onElected: async () => undefined, onFatal: () => undefined,
    });
    elections.push(election);
    await election.start();
    expect(election.role()).toBe('leader');
  });
});
