import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation, Role } from '@seawall/contracts';
import pino from 'pino';
import { startGateway, type RunningGateway } from '../../edge-gateway/src/gateway';
import { createAisHandler } from '../../edge-gateway/src/pipeline/ais-handler';
import { createDroneHandler } from '../../edge-gateway/src/pipeline/drone-handler';
import { createJsonHandler } from '../../edge-gateway/src/pipeline/json-handler';
import { createRadarHandler } from '../../edge-gateway/src/pipeline/radar-handler';
import { loadRadarSites } from '../../edge-gateway/src/normalize/radar-observation-sites';
import { loadServerConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/server';
import { createTestDatabase, type TestDatabase } from './pg-database';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './mosquitto';
import { services } from './services';

export interface TestSystem {
  server: RunningServer;
  gateway: RunningGateway;
  /** The broker the system uses: the machine's Mosquitto in CI, else the server's embedded one. */
  mqttUrl: string;
  backend: 'pg' | 'pglite';
  /** A supervisor's session token (the first supervisor, created from SUPERVISOR_PASSWORD). */
  token: string;
  /** fetch against the server with the supervisor's token (or `as`'s). */
  api(path: string, init?: RequestInit & { as?: string; json?: unknown }): Promise<Response>;
  /** Creates a user with this role (bound to `unitId` for unit and drone crews) and returns their token. */
  login(role: Role, unitId?: string, droneTrackId?: string): Promise<string>;
  /** The same, returning the username too (a browser signs in with it and TEST_PASSWORD). */
  user(role: Role, unitId?: string, droneTrackId?: string): Promise<{ username: string; token: string }>;
  /** Stops the server cleanly and starts a new one on the same database, broker and MQTT session. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Server and edge gateway in this process, on free ports, against real PostgreSQL/PostGIS and Mosquitto
 * when they are configured (a fresh database per call), else on the embedded defaults.
 */
export interface TestSystemOptions {
  /**
   * The central broker for server and gateway. Default: with real services configured, a Mosquitto of this
   * system's own (test files run side by side, and on one shared broker every server would also consume
   * every other system's observations); else the server's embedded one.
   */
  centralMqttUrl?: string;
  /** Use the machine's Mosquitto (MQTT_URL) itself rather than a private one. */
  sharedBroker?: boolean;
  /** Where sensors publish; default: the central broker. */
  sensorMqttUrl?: string;
  gatewayId?: string;
  onObservation?: (obs: Observation) => void;
  /** Further server environment (e.g. shorter timeouts). */
  env?: Record<string, string>;
  /** PGlite on disk rather than in memory, so a restarted server finds its data (PostgreSQL always keeps it). */
  persistentData?: boolean;
}

export const SUPERVISOR = 'supervisor';
/** The password every test user gets. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Logs in over the API; throws with the server's answer when refused. */
export async function loginAs(url: string, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function startTestSystem(opts: TestSystemOptions = {}): Promise<TestSystem> {
  let ownBroker: OwnMosquitto | undefined;
  if (!opts.centralMqttUrl && !opts.sharedBroker && services.mqttUrl && mosquittoAvailable()) ownBroker = await startOwnMosquitto();
  let testDb: TestDatabase | undefined;
  if (services.databaseUrl) testDb = await createTestDatabase(services.databaseUrl);
  const dataDir = opts.persistentData && !testDb ? mkdtempSync(join(tmpdir(), 'seawall-data-')) : undefined;
  let config = loadServerConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: testDb?.url ?? '',
    DATA_DIR: dataDir ?? 'memory://',
    MQTT_URL: opts.centralMqttUrl ?? ownBroker?.url ?? services.mqttUrl ?? '',
    MQTT_EMBEDDED_PORT: '0',
    LOG_LEVEL: 'silent',
    HISTORY_FLUSH_MS: '100',
    SUPERVISOR_USERNAME: SUPERVISOR,
    SUPERVISOR_PASSWORD: TEST_PASSWORD,
    ...opts.env,
  });
  const id = randomBytes(4).toString('hex');
  const start = () =>
    startServer(config, {
      logger: pino({ level: 'silent' }),
      instanceId: `test-${id}`,
      ...(opts.onObservation ? { onObservation: opts.onObservation } : {}),
    });
  let server = await start();
  const gatewayId = opts.gatewayId ?? `gw-test-${id}`;
  const queueDir = mkdtempSync(join(tmpdir(), 'seawall-queue-'));
  const gateway = await startGateway({
    mqttUrl: server.mqttUrl,
    sensorMqttUrl: opts.sensorMqttUrl ?? server.mqttUrl,
    gatewayId,
    handlers: {
      ais: createAisHandler(gatewayId),
      radar: createRadarHandler(gatewayId, loadRadarSites()),
      drone: createDroneHandler(gatewayId),
      json: createJsonHandler(gatewayId),
    },
    queue: { dir: queueDir, maxBytes: 64 * 1024 * 1024, overflow: 'drop-oldest' },
    log: pino({ level: 'silent' }),
    http: { host: '127.0.0.1', port: 0 },
  });
  let users = 0;
  const system: TestSystem = {
    server,
    gateway,
    token: await loginAs(server.url, SUPERVISOR),
    api(path, init = {}) {
      const { as, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('authorization', `Bearer ${as ?? system.token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${system.server.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}) });
    },
    async login(role, unitId, droneTrackId) {
      return (await system.user(role, unitId, droneTrackId)).token;
    },
    async user(role, unitId, droneTrackId) {
      const username = `${role}-${++users}-${id}`;
      const res = await system.api('/api/users', { json: { username, password: TEST_PASSWORD, role, ...(unitId ? { unitId } : {}), ...(droneTrackId ? { droneTrackId } : {}) } });
      if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${await res.text()}`);
      return { username, token: await loginAs(system.server.url, username) };
    },
    mqttUrl: server.mqttUrl,
    backend: server.db.backend,
    async restartServer() {
      if (!config.mqttUrl) throw new Error('a restart needs an external broker: the embedded one stops with the server');
      await server.close();
      // Same port: clients (browsers, unit phones) reconnect to the address they know.
      config = { ...config, port: Number(new URL(server.url).port) };
      server = system.server = await start();
    },
    async stop() {
      await gateway.close();
      await server.close();
      await testDb?.drop();
      rmSync(queueDir, { recursive: true, force: true });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await ownBroker?.dispose();
    },
  };
  return system;
}

/**
 * Waits until the feed has settled — the gateway's queue is empty and `appliedCount` has not moved for a
 * second — then writes out everything the server buffered.
 */
export async function settled(system: TestSystem, appliedCount: () => number): Promise<void> {
  let last = -1;
  await eventually(async () => {
    const still = appliedCount() === last && system.gateway.backlog() === 0;
    last = appliedCount();
    await new Promise((r) => setTimeout(r, 1_000));
    return still ? true : undefined;
  }, 240_000, 'the feed to settle');
  await system.server.flush();
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
