import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(z.string().url().optional())
  .optional();

/** A comma-separated list of origins (`https://host[:port]`, nothing after): each one checked. */
const originList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
  .superRefine((origins, ctx) => {
    for (const o of origins) {
      let origin: string | undefined;
      try {
        origin = new URL(o).origin;
      } catch {
        // reported below
      }
      if (origin !== o || !/^https?:/.test(o)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(o)} is not an origin like https://host:port` });
    }
  });

/** Every environment variable the server reads, with its default. The README's table mirrors this. */
const ServerEnv = z.object({
  PORT: port.default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalUrl,
  DATA_DIR: z.string().default(fileURLToPath(new URL('../../data', import.meta.url))),
  MQTT_URL: optionalUrl,
  MQTT_EMBEDDED_HOST: z.string().default('127.0.0.1'),
  MQTT_EMBEDDED_PORT: port.default(1884),
  MQTT_USERS_PATH: z.string().trim().transform((s) => (s === '' ? undefined : s)).optional(),
  RULES_PATH: z.string().optional(),
  VESSEL_REGISTRY_PATH: z.string().optional(),
  INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('main'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIST: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
  HISTORY_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  HISTORY_BATCH_MAX: z.coerce.number().int().min(1).max(50_000).default(10_000),
  HISTORY_BUFFER_MAX: z.coerce.number().int().min(100).max(10_000_000).default(200_000),
  TRACK_STATE_FLUSH_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  STATE_SAVE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  SUPERVISOR_USERNAME: z.string().regex(/^[A-Za-z0-9_.@-]{2,64}$/).default('supervisor'),
  SUPERVISOR_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(12, 'needs at least 12 characters').max(256).optional()),
  AUTH_TOKEN_TTL_S: z.coerce.number().int().min(60).max(7 * 24 * 3600).default(12 * 3600),
  UNITS_PATH: z.string().default(fileURLToPath(new URL('../config/units.json', import.meta.url))),
  ORDER_ACCEPT_TIMEOUT_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(120_000),
  ORDER_REDELIVER_MS: z.coerce.number().int().min(500).max(600_000).default(10_000),
  CORS_ORIGINS: originList,
  CSP_EXTRA_ORIGINS: originList,
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(10_000_000).default(600),
  LOGIN_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(10_000_000).default(10),
  SOCKET_COMMANDS_PER_S: z.coerce.number().int().min(1).max(1_000_000).default(20),
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'needs at least 16 characters').max(256).optional()),
  REDIS_URL: optionalUrl.refine((u) => u === undefined || /^rediss?:/.test(u), 'must be a redis:// or rediss:// URL'),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).default('seawall'),
  FUSION_REGION: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lowercase letters, digits and -').default('hainan'),
  FUSION_MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/).optional(),
  LEADER_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  LEADER_GRACE_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  INSTANCE_URL: optionalUrl,
});

export type ServerConfig = Readonly<{
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  mqttUrl: string | undefined;
  mqttEmbedded: { host: string; port: number };
  /** The embedded broker's identity file (scrypt hashes, topic rights by role); undefined: the embedded broker is open. */
  mqttUsersPath: string | undefined;
  instanceId: string;
  /** The rule parameter file; undefined: the built-in `server/config/rules.json`. */
  rulesPath: string | undefined;
  /** The deployment's vessel registry CSV (mmsi,name,certificate,registration); undefined: no registry checks. */
  vesselRegistryPath: string | undefined;
  logLevel: z.infer<typeof ServerEnv>['LOG_LEVEL'];
  webDist: string;
  history: { flushMs: number; batchMax: number; bufferMax: number; stateFlushMs: number };
  /** How often (wall time) the pipeline state is saved besides at a clean stop; 0: only at a clean stop. */
  stateSaveMs: number;
  auth: { tokenTtlS: number; firstSupervisor: { username: string; password: string | undefined } };
  /** The units loaded at first start. */
  unitsPath: string;
  dispatch: { acceptTimeoutMs: number; redeliverMs: number };
  /** What the HTTP and socket.io edge lets through (see http/app.ts). */
  edge: EdgeConfig;
  cluster: ClusterConfig;
}>;

/** Several server instances side by side (see server/src/cluster). */
export interface ClusterConfig {
  /** Redis for socket.io's adapter: every instance's clients get every instance's events; undefined: one instance. */
  redisUrl: string | undefined;
  /** Prefix of the Redis channels, so several deployments (or tests) can share one Redis. */
  redisKeyPrefix: string;
  /** The fusion region this instance serves: one leader per region fuses it, the others stand by. */
  region: string;
  /**
   * The fusion consumer's MQTT client id: the same on every instance of a region, so a standby that takes over
   * resumes the dead leader's persistent session. Undefined: `seawall-server-<INSTANCE_ID>` (one instance).
   */
  fusionClientId: string | undefined;
  /** How often a standby tries to take the leadership, and a leader checks it still holds it. */
  leaderPollMs: number;
  /** How long a leader whose lock connection broke keeps fusing while it takes the lock back; 0: as long as it takes. */
  leaderGraceMs: number;
  /** Where the other instances reach this one's HTTP (requests that need the leader are sent there); undefined: the address it listens on. */
  instanceUrl: string | undefined;
}

export interface EdgeConfig {
  /** Other origins whose pages may call the API and socket.io; empty: same origin only. */
  corsOrigins: readonly string[];
  /** Origins added to the pages' CSP img-src and connect-src (an online basemap's tile hosts). */
  cspExtraOrigins: readonly string[];
  /** REST requests per minute per signed-in user (per address before signing in). */
  rateLimitPerMin: number;
  /** Login attempts per minute per address and username. */
  loginRateLimitPerMin: number;
  /** socket.io commands per second per socket. */
  socketCommandsPerS: number;
  /** When set, GET /metrics wants `Authorization: Bearer <it>` (Prometheus `authorization` / `bearer_token`). */
  metricsToken?: string | undefined;
}

/** Parses the environment once; throws one error listing every bad variable. */
export function loadServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = ServerEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid server configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    mqttUrl: e.MQTT_URL,
    mqttEmbedded: { host: e.MQTT_EMBEDDED_HOST, port: e.MQTT_EMBEDDED_PORT },
    mqttUsersPath: e.MQTT_USERS_PATH,
    instanceId: e.INSTANCE_ID,
    rulesPath: e.RULES_PATH,
    vesselRegistryPath: e.VESSEL_REGISTRY_PATH,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    history: { flushMs: e.HISTORY_FLUSH_MS, batchMax: e.HISTORY_BATCH_MAX, bufferMax: e.HISTORY_BUFFER_MAX, stateFlushMs: e.TRACK_STATE_FLUSH_MS },
    stateSaveMs: e.STATE_SAVE_MS,
    auth: { tokenTtlS: e.AUTH_TOKEN_TTL_S, firstSupervisor: { username: e.SUPERVISOR_USERNAME, password: e.SUPERVISOR_PASSWORD } },
    unitsPath: e.UNITS_PATH,
    dispatch: { acceptTimeoutMs: e.ORDER_ACCEPT_TIMEOUT_MS, redeliverMs: e.ORDER_REDELIVER_MS },
    edge: Object.freeze({
      corsOrigins: Object.freeze(e.CORS_ORIGINS),
      cspExtraOrigins: Object.freeze(e.CSP_EXTRA_ORIGINS),
      rateLimitPerMin: e.RATE_LIMIT_PER_MIN,
      loginRateLimitPerMin: e.LOGIN_RATE_LIMIT_PER_MIN,
      socketCommandsPerS: e.SOCKET_COMMANDS_PER_S,
      metricsToken: e.METRICS_TOKEN,
    }),
    cluster: Object.freeze({
      redisUrl: e.REDIS_URL,
      redisKeyPrefix: e.REDIS_KEY_PREFIX,
      region: e.FUSION_REGION,
      // With Redis there are several instances, and every one of them must resume the same session.
      fusionClientId: e.FUSION_MQTT_CLIENT_ID ?? (e.REDIS_URL ? `seawall-fusion-${e.FUSION_REGION}` : undefined),
      leaderPollMs: e.LEADER_POLL_MS,
      leaderGraceMs: e.LEADER_GRACE_MS,
      instanceUrl: e.INSTANCE_URL,
    }),
  });
}
