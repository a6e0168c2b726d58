import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const defaultDataDir = fileURLToPath(new URL('../../data', import.meta.url));

const GatewayEnv = z.object({
  MQTT_URL: z.string().trim().url().default('mqtt://127.0.0.1:1883'),
  SENSOR_MQTT_URL: z.string().trim().url().optional(),
  GATEWAY_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('gw-main'),
  GATEWAY_QUEUE_DIR: z.string().optional(),
  GATEWAY_QUEUE_MAX_BYTES: z.coerce.number().int().min(1024).default(256 * 1024 * 1024),
  GATEWAY_QUEUE_OVERFLOW: z.enum(['drop-oldest', 'drop-newest']).default('drop-oldest'),
  RADAR_SITES_PATH: z.string().optional(),
  AIS_DUPLICATE_WINDOW_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  GATEWAY_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  GATEWAY_HTTP_HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type GatewayConfig = Readonly<{
  /** The central broker observations go to. */
  mqttUrl: string;
  /** The broker the sensors publish raw data to (an edge site's own, or the central one). */
  sensorMqttUrl: string;
  gatewayId: string;
  queue: { dir: string; maxBytes: number; overflow: 'drop-oldest' | 'drop-newest' };
  aisDuplicateWindowMs: number;
  /** The radar site file; undefined: the built-in `edge-gateway/config/radars.json`. */
  radarSitesPath: string | undefined;
  http: { host: string; port: number };
  logLevel: z.infer<typeof GatewayEnv>['LOG_LEVEL'];
}>;

/** Parses the environment once; throws one error listing every bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = GatewayEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid gateway configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    mqttUrl: e.MQTT_URL,
    sensorMqttUrl: e.SENSOR_MQTT_URL ?? e.MQTT_URL,
    gatewayId: e.GATEWAY_ID,
    queue: {
      dir: e.GATEWAY_QUEUE_DIR ?? `${defaultDataDir}/gateway-${e.GATEWAY_ID}/queue`,
      maxBytes: e.GATEWAY_QUEUE_MAX_BYTES,
      overflow: e.GATEWAY_QUEUE_OVERFLOW,
    },
    aisDuplicateWindowMs: e.AIS_DUPLICATE_WINDOW_MS,
    radarSitesPath: e.RADAR_SITES_PATH,
    http: { host: e.GATEWAY_HTTP_HOST, port: e.GATEWAY_HTTP_PORT },
    logLevel: e.LOG_LEVEL,
  });
}

const SimulatorEnv = z.object({
  MQTT_URL: z.string().trim().url().default('mqtt://127.0.0.1:1883'),
  SCENARIO_TICK_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  LOG_LEVEL: GatewayEnv.shape.LOG_LEVEL,
});

export type SimulatorConfig = Readonly<{ mqttUrl: string; tickMs: number; logLevel: GatewayConfig['logLevel'] }>;

/** Settings of the built-in scenario publisher (`simulate.ts`). */
export function loadSimulatorConfig(env: NodeJS.ProcessEnv = process.env): SimulatorConfig {
  const parsed = SimulatorEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid scenario configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze({ mqttUrl: parsed.data.MQTT_URL, tickMs: parsed.data.SCENARIO_TICK_MS, logLevel: parsed.data.LOG_LEVEL });
}
