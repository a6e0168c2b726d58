import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './server-process';

/** The repository root: the gateway runs from there, as `npm start` runs it. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'edge-gateway/src/main.ts';
const KEEP_LINES = 200;

export interface GatewayProcessOptions {
  /** The central broker: MQTT_URL. */
  mqttUrl: string;
  /** The broker the sensors publish to: SENSOR_MQTT_URL. */
  sensorMqttUrl: string;
  gatewayId: string;
  /** GATEWAY_QUEUE_DIR: kept across restarts, so a restarted gateway finds its backlog. */
  queueDir: string;
  env?: Record<string, string>;
}

/** What the gateway's GET /health says. */
export interface GatewayHealth {
  status: 'ok' | 'degraded';
  centralBroker: { connected: boolean };
  sensorBroker: { connected: boolean };
  queue: { messages: number; bytes: number; maxBytes: number };
}

export interface GatewayProcess {
  /** http://127.0.0.1:<port> of its /health and /metrics: the same across restarts. */
  httpUrl: string;
  running(): boolean;
  /** Starts it again with the same environment; resolves once /health answers. */
  start(): Promise<void>;
  /** SIGKILL: nothing of its shutdown runs. Resolves once the process has exited. */
  kill(): Promise<void>;
  /** GET /health, or undefined when it does not answer. */
  health(): Promise<GatewayHealth | undefined>;
  output(): string;
  /** SIGTERM if it runs (SIGKILL after 10 s). */
  dispose(): Promise<void>;
}

const exited = (p: ChildProcess) =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => p.once('exit', () => resolve()));

/**
 * The real edge gateway (`node --import tsx edge-gateway/src/main.ts`) as a child process, configured through
 * its environment (README, "Edge gateway"), so a test can SIGKILL it and start it again on the same queue.
 */
export async function startGatewayProcess(opts: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|DATABASE_URL$|MQTT_URL$|SENSOR_MQTT_URL$|GATEWAY_|NODE_OPTIONS$)/.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    MQTT_URL: opts.mqttUrl,
    SENSOR_MQTT_URL: opts.sensorMqttUrl,
    GATEWAY_ID: opts.gatewayId,
    GATEWAY_QUEUE_DIR: opts.queueDir,
    GATEWAY_HTTP_HOST: '127.0.0.1',
    GATEWAY_HTTP_PORT: String(port),
    LOG_LEVEL: 'warn',
    ...opts.env,
  };

  const lines: string[] = [];
  let partial = '';
  const keep = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES);
  };
  const output = () => [...lines, ...(partial ? [partial] : [])].join('\n');

  const health = async (): Promise<GatewayHealth | undefined> => {
    try {
      const res = await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      return (await res.json()) as GatewayHealth;
    } catch {
      return undefined;
    }
  };

  let child: ChildProcess | null = null;
  let starts = 0;
  const start = async () => {
    if (child) throw new Error(`the gateway is already running (pid ${child.pid})`);
    const n = ++starts;
    lines.push(`--- start #${n} ---`);
    const p = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = p;
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    p.once('exit', (code, signal) => {
      lines.push(`--- start #${n} exited: ${signal ?? code} ---`);
      if (child === p) child = null;
    });
    const until = Date.now() + 60_000;
    for (;;) {
      if (p.exitCode !== null || p.signalCode !== null) throw new Error(`the gateway exited (${p.signalCode ?? p.exitCode}) at start:\n${output()}`);
      if (await health()) return;
      if (Date.now() > until) {
        p.kill('SIGKILL');
        await exited(p);
        throw new Error(`the gateway's /health did not answer within 60 s:\n${output()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const kill = async () => {
    const p = child;
    if (!p) throw new Error('no gateway running to kill');
    p.kill('SIGKILL');
    await exited(p);
  };

  await start();
  return {
    httpUrl,
    running: () => child !== null,
    start,
    kill,
    health,
    output,
    async dispose() {
      const p = child;
      if (!p) return;
      const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
      p.kill('SIGTERM');
      await exited(p);
      clearTimeout(timer);
    },
  };
}
