import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './pg-database';
import { serviceChild } from './child-process';
import { services } from './services';
import { TEST_PASSWORD, SUPERVISOR } from './system';

/** Run from the repository root, as `npm start` (server/scripts/start.mjs) runs it. */
const MAIN = 'server/src/main.ts';

export interface ServerProcessOptions {
  /** The central broker (e.g. a Mosquitto the test started with startOwnMosquitto): the server's MQTT_URL. */
  mqttUrl: string;
  /** Further server environment (STATE_SAVE_MS, ORDER_REDELIVER_MS, …); overrides the defaults below. */
  env?: Record<string, string>;
  /** How long a start may take until GET /health answers 200. */
  startTimeoutMs?: number;
  /**
   * Another server process's PostgreSQL database, for instances that share one (neither created nor dropped
   * here). Default: a fresh database when DATABASE_URL is set.
   */
  databaseUrl?: string;
}

export interface ServerProcess {
  /** http://127.0.0.1:<port>: the same across restarts, so clients reconnect to the address they know. */
  url: string;
  backend: 'pg' | 'pglite';
  /** The test database (PostgreSQL only). */
  databaseUrl: string | undefined;
  /** PGlite's directory (PGlite only). */
  dataDir: string | undefined;
  /** The running child's pid, undefined when none runs. */
  pid(): number | undefined;
  running(): boolean;
  /** Starts the server again with the same environment and waits for GET /health 200. */
  start(): Promise<void>;
  /** SIGKILL: no shutdown code runs. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** SIGTERM: the server's clean shutdown. Resolves with its exit code (rejects if it does not exit in time). */
  stop(): Promise<number | null>;
  /** The server's last output lines (stdout and stderr), for failure messages. */
  output(): string;
  /** Stops the server if it runs, drops the test database or removes PGlite's directory. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real server (`node --import tsx server/src/main.ts`, from the repository root) as a child process on a
 * fixed free port, so a test can SIGKILL it and start it again on the same address, database and broker.
 * The database is a fresh one on the machine's PostgreSQL when DATABASE_URL is set, else PGlite on disk in a
 * temporary DATA_DIR. The first supervisor is `SUPERVISOR` with `TEST_PASSWORD`.
 */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  let testDb: TestDatabase | undefined;
  if (opts.databaseUrl) testDb = { url: opts.databaseUrl, drop: async () => undefined };
  else if (services.databaseUrl) testDb = await createTestDatabase(services.databaseUrl);
  const dataDir = testDb ? undefined : mkdtempSync(join(tmpdir(), 'seawall-proc-data-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|DATABASE_URL$|MQTT_URL$|NODE_OPTIONS$)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: testDb?.url ?? '',
    DATA_DIR: dataDir ?? 'memory://',
    MQTT_URL: opts.mqttUrl,
    INSTANCE_ID: `proc-${port}`,
    LOG_LEVEL: 'warn',
    HISTORY_FLUSH_MS: '100',
    SUPERVISOR_USERNAME: SUPERVISOR,
    SUPERVISOR_PASSWORD: TEST_PASSWORD,
    ...opts.env,
  };
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  const healthy = async () => {
    try {
      return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200;
    } catch {
      return false; // not listening yet
    }
  };
  const child = serviceChild('server', MAIN, env, healthy, startTimeoutMs);
  const stop = async (): Promise<number | null> => {
    const result = await child.stop(20_000);
    if (result?.killed) throw new Error(`the server did not stop within 20 s of SIGTERM:\n${child.output()}`);
    return result?.code ?? null;
  };

  await child.start().catch(async (err: unknown) => {
    await testDb?.drop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });

  return {
    url,
    backend: testDb ? 'pg' : 'pglite',
    databaseUrl: testDb?.url,
    dataDir,
    pid: child.pid,
    running: child.running,
    start: child.start,
    kill: child.kill,
    stop,
    output: child.output,
    async dispose() {
      if (child.running()) await stop().catch(() => child.kill());
      await testDb?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a query on the server's database from the test. PostgreSQL: any time. PGlite: only while the server
 * is not running (one process owns its directory), opened with PostGIS as the server opens it.
 */
export async function queryServerDb<R>(server: ServerProcess, sql: string, params: unknown[] = []): Promise<R[]> {
  if (server.databaseUrl) {
    const c = new pg.Client({ connectionString: server.databaseUrl });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as R[];
    } finally {
      await c.end();
    }
  }
  if (server.running()) throw new Error('PGlite: stop the server before reading its directory');
  const { PGlite } = await import('@electric-sql/pglite');
  const { postgis } = await import('@electric-sql/pglite-postgis');
  const lite = await PGlite.create({ dataDir: server.dataDir!, extensions: { postgis } });
  try {
    return (await lite.query<R>(sql, params)).rows;
  } finally {
    await lite.close();
  }
}
