// `npm start`: the whole system on one machine with no services configured — the server (with an
// in-process MQTT broker and PGlite unless MQTT_URL / DATABASE_URL say otherwise), the edge gateway
// and the built-in Hainan scenario, each in its own process, as they would run in production.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
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
  launch('edge-gateway', 'edge-gateway/src/main.ts', { MQTT_URL: mqttUrl, GATEWAY_HTTP_PORT: env.GATEWAY_HTTP_PORT ?? '0' });
  if (env.SCENARIO !== 'off') launch('scenario', 'edge-gateway/src/simulate.ts', { MQTT_URL: mqttUrl });
  process.stdout.write(`\n  Seawall is running: http://localhost:${port}/\n  (MQTT ${mqttUrl}; Ctrl+C stops everything)\n\n`);
}
