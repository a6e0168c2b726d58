// Micro-benchmark: CPU per observation of the gateway's and the server's own code, in one process, without
// MQTT, sockets or the database, on the pipeline benchmark's load (see ais-load.ts).
//
//   npx tsx bench/pipeline/hot-path.ts [--messages N] [--rounds R] [--vessels N] [--only gateway|server]
//   node --cpu-prof --import tsx bench/pipeline/hot-path.ts ...   (to see where the time goes)
//
// gateway: the AIS handler on each raw payload, each observation serialised and put in the store-and-forward
//   queue (a temporary directory), as the gateway's message callback does, minus mqtt.js.
// server: each serialised observation parsed and validated, duplicate-checked and handled by the Pipeline with
//   the real ring classifier and rule configuration; the sinks do nothing.
// Each stage runs `rounds` times over fresh state; the best round counts (the machine is shared).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { topics, type Observation } from '@seawall/contracts';
import { RingClassifier, loadGeodata } from '@seawall/geodata';
import { createAisHandler } from '../../edge-gateway/src/pipeline/ais-handler';
import { DiskQueue } from '../../edge-gateway/src/publish/disk-queue';
import { AlertBook } from '../../server/src/alerts/alert-book';
import { TrackTable } from '../../server/src/fusion/track-table';
import { DuplicateFilter } from '../../server/src/ingest/duplicate-filter';
import { parseObservations } from '../../server/src/ingest/parse-observation';
import { Pipeline } from '../../server/src/pipeline';
import { loadRuleConfig } from '../../server/src/rules/rule-config';
import { loadAisVessels, nextSentence } from './ais-load';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const MESSAGES = Number(arg('messages', '200000'));
const ROUNDS = Number(arg('rounds', '3'));
const only = arg('only', '');
const RECEIVERS = 4;

const { vessels } = loadAisVessels(join(REPO, '../shared/fixtures/ais'), Number(arg('vessels', 'Infinity')));
// 10,000 messages/s of feed time, as the pipeline benchmark's middle step.
const T0 = 1_764_201_600_000;
const raw: { sensorId: string; payload: Buffer; atMs: number }[] = [];
for (let i = 0; i < MESSAGES; i++) {
  const v = vessels[i % vessels.length]!;
  const atMs = T0 + Math.floor(i / 10);
  const sensorId = `rx-bench-${(v.index % RECEIVERS) + 1}`;
  raw.push({ sensorId, payload: Buffer.from(nextSentence(v, Math.max(atMs, v.lastC + 1), sensorId)), atMs });
}

function runGateway(): { us: number; published: { topic: string; payload: string }[] } {
  const dir = mkdtempSync(join(tmpdir(), 'seawall-hot-path-'));
  const queue = new DiskQueue(dir, { maxBytes: 1 << 30, overflow: 'drop-oldest' });
  const handler = createAisHandler('gw-bench');
  const published: { topic: string; payload: string }[] = [];
  const started = process.cpuUsage();
  for (const r of raw) {
    const result = handler.handle(r.sensorId, r.payload, r.atMs);
    for (const obs of result.observations) {
      const topic = topics.observation('ais', obs.sensorId);
      const payload = JSON.stringify(obs);
      queue.append(topic, payload);
      published.push({ topic, payload });
    }
    if (published.length % 1000 === 0) queue.ackThrough(published.length);
  }
  queue.close();
  const used = process.cpuUsage(started);
  rmSync(dir, { recursive: true, force: true });
  return { us: (used.user + used.system) / raw.length, published };
}

const geodata = loadGeodata();
const places = new RingClassifier(geodata.rings, geodata.zones);
const rules = loadRuleConfig(join(REPO, 'server/config/rules.json'));

function runServer(payloads: Buffer[]): { us: number; alerts: number; changes: number } {
  const duplicates = new DuplicateFilter();
  let changes = 0;
  const pipeline = new Pipeline(new TrackTable(), new AlertBook(), rules, places, {
    trackChanged: () => void changes++,
    event: () => undefined,
    tracksRemoved: () => undefined,
    alert: () => undefined,
  });
  let rejected = 0;
  const started = process.cpuUsage();
  for (const p of payloads) {
    const parsed = parseObservations(p)[0]!;
    if (!parsed.ok) {
      rejected++;
      continue;
    }
    const obs: Observation = parsed.value;
    if (duplicates.seen(obs.obsId)) continue;
    pipeline.handle(obs);
  }
  const used = process.cpuUsage(started);
  if (rejected > 0) throw new Error(`${rejected} observations rejected`);
  return { us: (used.user + used.system) / payloads.length, alerts: pipeline.alerts.all().length, changes };
}

const best = (xs: number[]) => Math.min(...xs).toFixed(2);
const gatewayUs: number[] = [];
let published: { topic: string; payload: string }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const g = runGateway();
  gatewayUs.push(g.us);
  published = g.published;
}
if (only !== 'server') console.log(`gateway: ${best(gatewayUs)} µs per message (${published.length} observations from ${raw.length} messages; rounds ${gatewayUs.map((u) => u.toFixed(2)).join(', ')})`);
if (only !== 'gateway') {
  const payloads = published.map((p) => Buffer.from(p.payload));
  const serverUs: number[] = [];
  let last = { alerts: 0, changes: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const s = runServer(payloads);
    serverUs.push(s.us);
    last = s;
  }
  console.log(`server: ${best(serverUs)} µs per observation (${last.changes} track changes, ${last.alerts} alerts; rounds ${serverUs.map((u) => u.toFixed(2)).join(', ')})`);
}
