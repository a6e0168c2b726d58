// `npm start`: the whole system on one machine with no services configured — the server (with an
// in-process MQTT broker and PGlite unless MQTT_URL / DATABASE_URL say otherwise), the edge gateway
// and the built-in Hainan scenario, each in its own process, as they would run in production.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureDependencies, ensureWebBuild, root } from './bootstrap.mjs';

ensureDependencies();
ensureWebBuild();

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const env = { ...process.env };
const port = Number(env.PORT ?? 8080);
if (!env.MQTT_URL) {
  env.MQTT_EMBEDDED_PORT ??= String(await freePort());
}
const mqttUrl = env.MQTT_URL ?? `mqtt://127.0.0.1:${env.MQTT_EMBEDDED_PORT}`;
const children = new Map();
let stopping = false;
let cleanup = () => {};
process.on('exit', () => cleanup());

/**
 * With the embedded broker, access control is on: the identities this start needs (a server-role one
 * for watching the broker, the gateway, and the scenario as one 'simulator' identity, since it publishes
 * as many sensors over one connection) are kept in `<DATA_DIR>/mqtt/identities.json`, created on the
 * first start with random passwords (`passwords.json`, 0600) and scrypt hashes (`users.json`, given to
 * the server as MQTT_USERS_PATH). Add identities (real sensors) to that list; the next start keeps
 * every password and generates the new ones. With DATA_DIR=memory:// they live in a temporary
 * directory for this run only.
 */
async function embeddedBrokerCredentials() {
  const { tsImport } = await import('tsx/esm/api');
  const { loadMqttIdentities } = await tsImport('../src/mqtt/identities.ts', import.meta.url);
  const { writeCredentials, urlWithCredentials, CREDENTIAL_FILES } = await tsImport('../src/mqtt/credentials.ts', import.meta.url);
  const dataDir = env.DATA_DIR || 'data';
  let dir;
  if (dataDir.startsWith('memory://')) {
    dir = mkdtempSync(join(tmpdir(), 'seawall-mqtt-'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
  } else {
    dir = resolve(root, dataDir, 'mqtt'); // as the server, which runs in the repository root, resolves DATA_DIR
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const listPath = join(dir, 'identities.json');
  const identities = existsSync(listPath) ? loadMqttIdentities(listPath) : [];
  const gatewayId = env.GATEWAY_ID || 'gw-main';
  const needed = [
    { username: 'server', role: 'server' },
    { username: gatewayId, role: 'gateway', gatewayId },
    { username: 'scenario', role: 'simulator' },
  ];
  const missing = needed.filter((n) => !identities.some((i) => i.username === n.username));
  if (missing.length > 0 || !existsSync(listPath)) {
    identities.push(...missing);
    writeFileSync(listPath, `${JSON.stringify(identities, null, 2)}\n`, { mode: 0o600 });
  }
  const passwords = await writeCredentials(identities, dir);
  if (env.MQTT_USERS_PATH) process.stderr.write(`seawall: npm start uses its own MQTT identities in ${dir}; MQTT_USERS_PATH ignored\n`);
  env.MQTT_USERS_PATH = join(dir, CREDENTIAL_FILES.users);
  return {
    dir,
    gatewayUrl: urlWithCredentials(mqttUrl, gatewayId, passwords[gatewayId]),
    scenarioUrl: urlWithCredentials(mqttUrl, 'scenario', passwords.scenario),
  };
}
const credentials = env.MQTT_URL ? undefined : await embeddedBrokerCredentials();

/**
 * The first supervisor's password: SUPERVISOR_PASSWORD if given, else one generated at the first start into
 * `<DATA_DIR>/supervisor-password` (mode 0600) and read from there afterwards. Returns it when it was just
 * made, so it can be shown once.
 */
function supervisorPassword() {
  if (env.SUPERVISOR_PASSWORD) return { file: null, fresh: null };
  const dataDir = env.DATA_DIR || 'data';
  const dir = dataDir.startsWith('memory://') ? null : resolve(root, dataDir);
  const file = dir && join(dir, 'supervisor-password');
  if (file && existsSync(file)) {
    env.SUPERVISOR_PASSWORD = readFileSync(file, 'utf8').trim();
    return { file, fresh: null };
  }
  env.SUPERVISOR_PASSWORD = randomBytes(12).toString('base64url');
  if (file) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${env.SUPERVISOR_PASSWORD}\n`, { mode: 0o600 });
  }
  return { file, fresh: env.SUPERVISOR_PASSWORD };
}
const supervisor = supervisorPassword();

function launch(name, entry, extraEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      process.stderr.write(`seawall: ${name} exited (${signal ?? code}); stopping\n`);
      stop(1);
    }
  });
  return child;
}

function stop(code) {
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  const deadline = setTimeout(() => process.exit(code), 10_000);
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      clearTimeout(deadline);
      process.exit(code);
    }
  }, 100);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitHealthy(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

launch('server', 'server/src/main.ts');
if (!(await waitHealthy(`http://127.0.0.1:${port}/health`, 180_000))) {
  process.stderr.write('seawall: the server did not become healthy in 180 s\n');
  stop(1);
} else {
  launch('edge-gateway', 'edge-gateway/src/main.ts', { MQTT_URL: credentials?.gatewayUrl ?? mqttUrl, GATEWAY_HTTP_PORT: env.GATEWAY_HTTP_PORT ?? '0' });
  if (env.SCENARIO !== 'off') launch('scenario', 'edge-gateway/src/simulate.ts', { MQTT_URL: credentials?.scenarioUrl ?? mqttUrl });
  const shown = credentials && (relative(process.cwd(), credentials.dir).startsWith('..') ? credentials.dir : relative(process.cwd(), credentials.dir));
  const access = credentials ? `, login required: passwords in ${join(shown, 'passwords.json')}` : '';
  const user = env.SUPERVISOR_USERNAME || 'supervisor';
  const signIn = supervisor.fresh
    ? `sign in as ${user} with password ${supervisor.fresh}${supervisor.file ? ` (kept in ${relative(process.cwd(), supervisor.file)})` : ''}`
    : supervisor.file
      ? `sign in as ${user}; the password is in ${relative(process.cwd(), supervisor.file)}`
      : `sign in as ${user} with SUPERVISOR_PASSWORD`;
  process.stdout.write(`\n  Seawall is running: http://localhost:${port}/\n  ${signIn}\n  (MQTT ${mqttUrl}${access}; Ctrl+C stops everything)\n\n`);
}
