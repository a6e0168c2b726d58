import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './server-process';
import { services } from './services';

const run = promisify(execFile);

interface Binaries {
  version: string;
  bin: string;
}

/** The newest installed PostgreSQL whose server binaries and PostGIS extension are both there (Debian layout). */
function findBinaries(): Binaries | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    const postgis = `/usr/share/postgresql/${version}/extension/postgis.control`;
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl')) && existsSync(postgis)) return { version, bin };
  }
  return undefined;
}

const BINARIES = findBinaries();

/**
 * Why a PostgreSQL of the test's own cannot be started here, or undefined when it can. In CI its absence is
 * a failure (CI installs postgresql-15 and postgresql-15-postgis-3), never a skip.
 */
export function ownPostgresMissing(): string | undefined {
  if (BINARIES) return undefined;
  const reason = 'no PostgreSQL server binaries with PostGIS under /usr/lib/postgresql/<version>/bin (apt-get install postgresql-15 postgresql-15-postgis-3)';
  if (services.ci) throw new Error(`CI needs them: ${reason}`);
  return reason;
}

export interface OwnPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, trust authentication. */
  url: string;
  version: string;
  /** A new empty database with PostGIS created in it; its URL. */
  createDatabase(name: string): Promise<string>;
  /** `pg_ctl stop -m fast`: open connections are closed, the cluster shuts down cleanly. */
  stop(): Promise<void>;
  /** `pg_ctl start` on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** The cluster's log, for failure messages. */
  log(): string;
  dispose(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (initdb into a temporary directory, a free port, its socket in that
 * directory), so a test can stop and start the database under a running server without touching the machine's.
 * initdb and the server refuse to run as root: as root they run as the `postgres` user (runuser).
 * Durability settings are off (fsync, full pages): a clean stop still writes everything; a crash is not tested.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  if (!BINARIES) throw new Error(ownPostgresMissing() ?? 'no PostgreSQL binaries');
  const { bin, version } = BINARIES;
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'seawall-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const port = await freePort();
  const pgCommand = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  await pgCommand('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c full_page_writes=off', '-c synchronous_commit=off'].join(' ');
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const start = async () => {
    try {
      await pgCommand('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
    } catch (err) {
      throw new Error(`pg_ctl start failed: ${(err as Error).message}\n${log()}`);
    }
  };
  const stop = async () => {
    await pgCommand('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  return {
    url,
    version,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const dbUrl = `postgres://postgres@127.0.0.1:${port}/${name}`;
      const c = new pg.Client({ connectionString: dbUrl });
      await c.connect();
      try {
        await c.query('CREATE EXTENSION IF NOT EXISTS postgis');
      } finally {
        await c.end();
      }
      return dbUrl;
    },
    stop,
    start,
    log,
    async dispose() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
