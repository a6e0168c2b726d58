import pg from 'pg';
import type { Logger } from 'pino';
import { pingWithTimeout, type Db, type Queryable } from './db';

/** PostgreSQL + PostGIS through a `pg` pool. */
export function openPgDb(url: string, log: Logger): Db {
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its server emits here; without a listener the process would exit.
  pool.on('error', (err) => log.warn({ err }, 'postgres idle client error'));
  const query: Queryable['query'] = async (sql, params) => {
    const r = await pool.query(sql, params as unknown[] | undefined);
    return { rows: r.rows };
  };
  return {
    backend: 'pg',
    query,
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      // pg-pool listens for a client's errors only while it is idle: a server that goes away during a
      // transaction would otherwise emit an unhandled 'error' and end the process.
      let broken: Error | undefined;
      const onError = (err: Error) => {
        broken = err;
        log.warn({ err }, 'postgres connection lost during a transaction');
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async (sql, params) => ({ rows: (await client.query(sql, params as unknown[] | undefined)).rows }),
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.off('error', onError);
        // A broken connection is discarded, not handed to the next caller.
        client.release(broken);
      }
    },
    ping: (timeoutMs = 2_000) => pingWithTimeout({ query }, timeoutMs),
    close: () => pool.end(),
  };
}
