import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { pingWithTimeout, type Db, type Queryable } from './db';

/** `DATA_DIR=memory://` keeps the embedded database in memory only (tests, demos). */
export const MEMORY = 'memory://';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) with PostGIS: the same SQL as the real server, kept in
 * `dataDir` so data survives restarts, or in memory when `dataDir` is undefined (tests).
 */
export async function openPgliteDb(dataDir: string | undefined): Promise<Db> {
  if (dataDir === MEMORY) dataDir = undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { postgis } });
  const query: Queryable['query'] = async (sql, params) => {
    const r = await lite.query(sql, params as unknown[] | undefined);
    return { rows: r.rows as never[] };
  };
  return {
    backend: 'pglite',
    query,
    async exec(sql) {
      await lite.exec(sql);
    },
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: async (sql, params) => ({ rows: (await tx.query(sql, params as unknown[] | undefined)).rows as never[] }),
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    ping: (timeoutMs = 2_000) => pingWithTimeout({ query }, timeoutMs),
    close: () => lite.close(),
  };
}
