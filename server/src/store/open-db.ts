import type { Logger } from 'pino';
import type { Db } from './db';
import { migrate } from './migrate';
import { openPgDb } from './pg-db';
import { openPgliteDb } from './pglite-db';

/** PostgreSQL when a URL is given, else embedded PGlite in `dataDir`; migrated before it is returned. */
export async function openDb(opts: { databaseUrl: string | undefined; dataDir: string | undefined }, log: Logger): Promise<Db> {
  const db = opts.databaseUrl ? openPgDb(opts.databaseUrl, log) : await openPgliteDb(opts.dataDir);
  try {
    const applied = await migrate(db);
    log.info({ backend: db.backend, applied }, 'database ready');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
