import type { Logger } from 'pino';
import type { Db } from '../../server/src/store/db';
import { openDb } from '../../server/src/store/open-db';
import { createTestDatabase } from './pg-database';
import { services } from './services';

export interface StorageBackend {
  name: string;
  open: () => Promise<{ db: Db; cleanup: () => Promise<void> }>;
}

/**
 * The databases storage tests run on: embedded PGlite always, and a fresh database on the real PostgreSQL
 * with PostGIS when DATABASE_URL is set (in CI it must be).
 */
export function storageBackends(log: Logger): StorageBackend[] {
  const backends: StorageBackend[] = [
    {
      name: 'PGlite (embedded PostGIS)',
      open: async () => {
        const db = await openDb({ databaseUrl: undefined, dataDir: undefined }, log);
        return { db, cleanup: () => db.close() };
      },
    },
  ];
  if (services.databaseUrl) {
    const serverUrl = services.databaseUrl;
    backends.push({
      name: 'PostgreSQL + PostGIS',
      open: async () => {
        const tdb = await createTestDatabase(serverUrl);
        const db = await openDb({ databaseUrl: tdb.url, dataDir: undefined }, log);
        return {
          db,
          cleanup: async () => {
            await db.close();
            await tdb.drop();
          },
        };
      },
    });
  } else if (services.ci) {
    throw new Error('CI must set DATABASE_URL: storage tests run on real PostGIS there');
  }
  return backends;
}
