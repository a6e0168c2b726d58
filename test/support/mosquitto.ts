import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { services } from './services';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync);

/** True when a Mosquitto binary is installed; in CI its absence is a failure. */
export function mosquittoAvailable(): boolean {
  if (!MOSQUITTO && services.ci) throw new Error('CI needs the mosquitto binary');
  return MOSQUITTO !== undefined;
}

export interface OwnMosquitto {
  url: string;
  /** SIGTERM: Mosquitto writes its persistence file and exits. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same persistence. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface OwnMosquittoOptions {
  /**
   * Extra lines for mosquitto.conf, after the defaults, e.g. `password_file …` and `acl_file …`.
   * Give `allow_anonymous false` here to require a login: the default `allow_anonymous true` is then left out.
   */
  extraConfig?: readonly string[];
}

/**
 * A Mosquitto of the test's own on a free port, so a test can stop and restart a broker without disturbing
 * the machine's. Persistence is on: a clean stop keeps queued messages of persistent sessions.
 */
export async function startOwnMosquitto(opts: OwnMosquittoOptions = {}): Promise<OwnMosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'seawall-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const extra = opts.extraConfig ?? [];
  const anonymousSet = extra.some((line) => /^\s*allow_anonymous\b/.test(line));
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      ...(anonymousSet ? [] : ['allow_anonymous true']),
      'set_tcp_nodelay true',
      'persistence true',
      `persistence_location ${dir}/`,
      'max_queued_messages 0',
      // As the deployment's (server/deploy/mosquitto/mosquitto.conf): the server acknowledges once written.
      'max_inflight_messages 10000',
      'user root',
      'log_dest none',
      ...extra,
    ].join('\n') + '\n',
  );
  let proc: ChildProcess | null = null;
  const start = async () => {
    proc = spawn(MOSQUITTO!, ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await listening(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`mosquitto did not listen on ${port}`);
  };
  const stop = async () => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
