// Benchmark: the edge gateway alone, as deployed (its own process, mqtt.js, the on-disk queue, QoS 1 both
// ways), between a Mosquitto of the run's own and a subscriber that takes every observation: the gateway's CPU
// per observation at a paced rate, from /proc. The pipeline benchmark's load (ais-load.ts).
//
//   npx tsx bench/pipeline/gateway-alone.ts [--rate R] [--seconds S] [--lines N] [--profile DIR]
//
// --profile runs the gateway under `node --cpu-prof` and writes its profiles to DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { loadAisVessels, nextSentence, receiverMessages } from './ais-load';
import { RawPublisher } from './mqtt-publisher';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const RATE = Number(arg('rate', '10000'));
const SECONDS = Number(arg('seconds', '20'));
const PROFILE = arg('profile', '');
/** Most sentences a receiver forwards in one message (one tick's worth), as in run.ts. */
const LINES = Math.max(1, Number(arg('lines', '50')));
const TICK_MS = 2;
const RECEIVERS = 4;
const CLK_TCK = 100;

const work = mkdtempSync(join(tmpdir(), 'seawall-gateway-alone-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const mosquitto = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
if (!mosquitto) throw new Error('mosquitto not found');
const brokerPort = await freePort();
mkdirSync(join(work, 'mosquitto'));
writeFileSync(
  join(work, 'mosquitto/mosquitto.conf'),
  [`listener ${brokerPort} 127.0.0.1`, 'allow_anonymous true', 'set_tcp_nodelay true', 'max_inflight_messages 1000', 'max_queued_messages 100000', 'log_dest none'].join('\n') + '\n',
);
children.push(spawn(mosquitto, ['-c', join(work, 'mosquitto/mosquitto.conf')], { stdio: 'ignore' }));
const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
await sleep(500);

const gatewayPort = await freePort();
const gateway = spawn(process.execPath, [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []), '--import', 'tsx', 'edge-gateway/src/main.ts'], {
  cwd: REPO,
  env: { ...process.env, MQTT_URL: brokerUrl, GATEWAY_ID: 'gw-alone', GATEWAY_QUEUE_DIR: join(work, 'queue'), GATEWAY_HTTP_PORT: String(gatewayPort), GATEWAY_HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
children.push(gateway);
for (let i = 0; ; i++) {
  const ok = await fetch(`http://127.0.0.1:${gatewayPort}/health`).then((r) => r.ok, () => false);
  if (ok) break;
  if (i > 300) throw new Error('gateway did not start');
  await sleep(200);
}

let received = 0;
const sub = mqtt.connect(brokerUrl, { clientId: 'obs-sink', clean: true, log: () => undefined });
await new Promise<void>((resolve) => sub.on('connect', () => sub.subscribe('obs/v1/#', { qos: 1 }, () => resolve())));
// A message is one observation (a JSON object) or a batch of them (a JSON array).
sub.on('message', (_topic, payload) => void (received += payload[0] === 0x5b ? (JSON.parse(payload.toString()) as unknown[]).length : 1));

const { vessels } = loadAisVessels(join(REPO, '../shared/fixtures/ais'));
const pub = await RawPublisher.connect(brokerUrl, 'load');
let cursor = 0;
function tick(n: number): void {
  const byTopic = new Map<string, string[]>();
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const v = vessels[cursor]!;
    cursor = (cursor + 1) % vessels.length;
    const receiver = `rx-bench-${(v.index % RECEIVERS) + 1}`;
    const topic = `sensors/ais/${receiver}`;
    const lines = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!;
    lines.push(nextSentence(v, Math.max(now, v.lastC + 1), receiver));
  }
  const { topics, payloads } = receiverMessages(byTopic, LINES);
  pub.publish(topics, payloads);
}

/** Publishes at `rate` for `seconds`, then waits for everything to arrive; the gateway's CPU over it. */
async function step(rate: number, seconds: number): Promise<{ usPerObs: number; arrived: number; sent: number }> {
  const startReceived = received;
  const cpu0 = cpuSeconds(gateway.pid!);
  const t0 = performance.now();
  let sent = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate) - sent;
    if (due > 0) {
      const n = Math.min(due, pub.capacity);
      tick(n);
      sent += n;
    }
    await sleep(TICK_MS);
  }
  const until = performance.now() + 30_000;
  while (received - startReceived < sent && performance.now() < until) await sleep(20);
  const cpu = cpuSeconds(gateway.pid!) - cpu0;
  const arrived = received - startReceived;
  return { usPerObs: (cpu * 1e6) / Math.max(1, arrived), arrived, sent };
}

await step(Math.min(RATE, 5000), 3); // warm-up
const r = await step(RATE, SECONDS);
const m = await (await fetch(`http://127.0.0.1:${gatewayPort}/metrics`)).text();
console.log(m.split('\n').filter((l) => /^seawall_gateway_(payloads|observations|queue|mqtt)/.test(l)).join('\n'));
console.log(`gateway alone at ${RATE}/s for ${SECONDS} s: ${r.arrived} of ${r.sent} observations arrived; gateway CPU ${r.usPerObs.toFixed(1)} µs per observation`);
await pub.close();
await sub.endAsync();
await new Promise<void>((resolve) => {
  gateway.once('exit', () => resolve());
  gateway.kill('SIGTERM');
});
process.exit(0);
