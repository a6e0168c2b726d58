import pg from 'pg';
import type { Logger } from 'pino';

/** Any constant (the migrations hold 7_411_001 as a one-key lock): the first half of each region's two-key lock. */
const FUSION_LOCK_CLASS = 7_411_002;

/** One dedicated PostgreSQL session that holds (or tries for) a region's fusion lock. */
export interface LeaderLock {
  /** Connects if not connected and tries the lock without waiting; true when this session holds it. */
  tryAcquire(): Promise<boolean>;
  /** True when the session answers within `timeoutMs` (it still holds what it held). */
  alive(timeoutMs: number): Promise<boolean>;
  /** Called once per session when it is lost (whatever it held is released by the database). */
  onLost(listener: (err: Error) => void): void;
  /** Ends the session, which releases the lock. */
  close(): Promise<void>;
}

/**
 * The region's advisory lock on a `pg` client of its own, not the pool: the lock lives as long as that one
 * session, and the session's loss must be seen (a pooled connection would be swapped silently).
 */
export function openLeaderLock(databaseUrl: string, region: string, log: Logger): LeaderLock {
  let client: pg.Client | null = null;
  const listeners = new Set<(err: Error) => void>();
  const lost = (c: pg.Client, err: Error) => {
    if (client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    for (const l of listeners) l(err);
  };
  const connect = async (): Promise<pg.Client> => {
    if (client) return client;
    const c = new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: 5_000, application_name: `seawall-fusion-lock-${region}` });
    // Without an error listener a lost connection would end the process from inside pg.
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c, new Error('the lock connection ended')));
    try {
      await c.connect();
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    client = c;
    return c;
  };
  return {
    async tryAcquire() {
      const c = await connect();
      const { rows } = await c.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS held', [FUSION_LOCK_CLASS, region]);
      return rows[0]?.held === true;
    },
    async alive(timeoutMs) {
      const c = client;
      if (!c) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([c.query('SELECT 1').then(() => true, () => false), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    onLost(listener) {
      listeners.add(listener);
    },
    async close() {
      const c = client;
      client = null;
      listeners.clear();
      if (c) await c.end().catch((err: unknown) => log.warn({ err }, 'closing the fusion lock connection failed'));
    },
  };
}
