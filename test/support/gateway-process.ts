import { serviceChild } from './child-process';
import { freePort } from './server-process';

const MAIN = 'edge-gateway/src/main.ts';

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
  input: { lastAgeS: number | null; deadLetters: Record<string, number> };
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

  const health = async (): Promise<GatewayHealth | undefined> => {
    try {
      const res = await fetch(`${httpUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      return (await res.json()) as GatewayHealth;
    } catch {
      return undefined;
    }
  };
  const child = serviceChild('gateway', MAIN, env, async () => (await health()) !== undefined, 60_000);

  await child.start();
  return {
    httpUrl,
    running: child.running,
    start: child.start,
    kill: child.kill,
    health,
    output: child.output,
    async dispose() {
      await child.stop(10_000);
    },
  };
}
