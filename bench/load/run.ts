// Benchmark: many socket.io clients (operators and a few units) receiving live track updates while the feed
// runs. The real server runs as a child process (`node --import tsx server/src/main.ts`) on a fresh PostgreSQL
// database (PostGIS; BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) and a Mosquitto of
// the run's own; the feed publishes `ais.position` observations for --tracks vessels straight to `obs/v1/ais/…`
// (the gateway is bench/pipeline's business), each vessel once a second, spread evenly over the second.
//
//   npm run bench:load [-- --clients 1,50,200 --seconds 60 --warmup 10 --tracks 10000 --workers 2
//                          --decode shared|each --quiet-wait S --profile --profile-dir D --no-record]
//
// Each client count is a step on the same server: connect the clients (each gets its snapshot), warm up, then
// a window of --seconds in which every client counts the track states it receives whose observation time is in
// the window and their latency (receipt − observedAtMs), and the server's CPU and RSS are sampled. After the
// window and a drain, what each client should have received (the observations published in the window of the
// tracks it may see) is compared with what it did. N = 1 is the reference: the same server and feed, one
// client. The clients run in --workers processes of their own (clients.ts) on the same 2 cores as the server.
// The machine may be shared: before each window the run waits (up to --quiet-wait seconds, default 300) until
// other work takes less than 0.3 cores. Unless --no-record, the result replaces the "load" section of bench/RESULTS.md.
//
// --profile runs the server under `node --cpu-prof` (profiles in --profile-dir, default
// $TMPDIR/seawall-bench-load-profiles) and prints the functions with the most self time.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Observation } from '@seawall/contracts';
import { RawPublisher } from '../pipeline/mqtt-publisher';
import { createTestDatabase } from '../../test/support/pg-database';
import { startOwnMosquitto } from '../../test/support/mosquitto';
import { LATENCY_BINS, MMSI_BASE, type ClientReport, type ClientSpec, type FromClients, type Role, type ToClients } from './protocol';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(REPO, 'bench/RESULTS.md');
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The Hainan sea area the vessels sail in. */
const BOX = { lon: [108.6, 111.1], lat: [18.0, 20.3] } as const;
const RECEIVERS = 4;
const FEED_TICK_MS = 10;
/** After the window: time for its last observations to reach every client. */
const DRAIN_MS = 3_000;
/** A client receives the feed when it gets at least this share of what was published for it, and misses nothing. */
const KEEP_UP = 0.99;
const CLK_TCK = 100;

interface Args {
  clients: number[];
  seconds: number;
  warmup: number;
  tracks: number;
  workers: number;
  decode: 'shared' | 'each';
  profile: boolean;
  profileDir: string;
  record: boolean;
  quietWaitS: number;
}
function parseArgs(argv: string[]): Args {
  const a: Args = {
    clients: [1, 50, 200],
    seconds: 60,
    warmup: 10,
    tracks: 10_000,
    workers: 2,
    decode: 'shared',
    profile: false,
    profileDir: join(tmpdir(), 'seawall-bench-load-profiles'),
    record: true,
    quietWaitS: 300,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = () => argv[++i] ?? '';
    if (k === '--clients') a.clients = v().split(',').map(Number);
    else if (k === '--seconds') a.seconds = Number(v());
    else if (k === '--warmup') a.warmup = Number(v());
    else if (k === '--tracks') a.tracks = Number(v());
    else if (k === '--workers') a.workers = Number(v());
    else if (k === '--decode') a.decode = v() === 'each' ? 'each' : 'shared';
    else if (k === '--profile') a.profile = true;
    else if (k === '--profile-dir') a.profileDir = v();
    else if (k === '--no-record') a.record = false;
    else if (k === '--quiet-wait') a.quietWaitS = Number(v());
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}
const args = parseArgs(process.argv.slice(2));
const command = `npm run bench:load${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const runId = randomBytes(3).toString('hex');
const work = mkdtempSync(join(tmpdir(), 'seawall-bench-load-'));
const children: ChildProcess[] = [];
let stopping = false;
let cleanups: (() => Promise<void>)[] = [];
async function cleanup(): Promise<void> {
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of cleanups.reverse()) await f().catch(() => undefined);
  cleanups = [];
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
process.on('uncaughtException', (err) => {
  console.error(err);
  void cleanup().finally(() => process.exit(1));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

// ---- measuring ---------------------------------------------------------------------------------------------
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
/** The whole machine (/proc/stat: every field but idle and iowait), and of it the interrupt work (irq, softirq: loopback traffic). */
function machineTicks(): { busy: number; irq: number } {
  const all = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { busy: all.reduce((x, y) => x + y, 0) - all[3]! - all[4]!, irq: all[5]! + all[6]! };
}
/** Our own child of that name (Mosquitto, started by startOwnMosquitto). */
function childPid(comm: string): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (name === comm && ppid === process.pid) return Number(d);
    } catch {
      // gone
    }
  }
  return undefined;
}
interface CpuSample {
  at: number;
  ticks: Record<string, number>;
}
const pids: Record<string, number[]> = {};
let pgBackends: number[] = [];
function cpuSample(): CpuSample {
  const ticks: Record<string, number> = {};
  for (const [name, list] of Object.entries(pids)) ticks[name] = list.reduce((s, p) => s + ticksOf(p), 0);
  ticks.postgres = pgBackends.reduce((s, p) => s + ticksOf(p), 0);
  const m = machineTicks();
  ticks.softirq = m.irq;
  ticks.machine = m.busy;
  return { at: performance.now(), ticks };
}
/** Cores used between two samples, by process; softirq: interrupt work; `rest`: the machine's other work (other sessions). */
function cores(a: CpuSample, b: CpuSample): Record<string, number> {
  const out: Record<string, number> = {};
  const s = (b.at - a.at) / 1000;
  for (const k of Object.keys(b.ticks)) out[k] = (b.ticks[k]! - (a.ticks[k] ?? 0)) / CLK_TCK / s;
  const { machine, ...own } = out;
  out.rest = machine! - Object.values(own).reduce((x, y) => x + y, 0);
  return out;
}
/** Cores of other work on the machine (besides this run's processes and its database backends) over `ms`. */
async function otherWork(ms: number): Promise<number> {
  const a = cpuSample();
  await sleep(ms);
  return cores(a, cpuSample()).rest!;
}
const QUIET_CORES = 0.3;
async function waitQuiet(): Promise<number> {
  const until = Date.now() + args.quietWaitS * 1000;
  for (let said = false; ; ) {
    const other = await otherWork(2_000);
    if (other < QUIET_CORES || Date.now() > until) return other;
    if (!said) console.log(`  other work on the machine (${other.toFixed(2)} cores): waiting for quiet`);
    said = true;
    await sleep(5_000);
  }
}

function percentile(hist: Float64Array, p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const want = Math.ceil((p / 100) * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= want) return i;
  }
  return hist.length - 1;
}
function maxOf(hist: Float64Array): number {
  for (let i = hist.length - 1; i >= 0; i--) if (hist[i]) return i;
  return NaN;
}

// ---- services ----------------------------------------------------------------------------------------------
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
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await Promise.resolve().then(check).catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}
async function metricsOf(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.lastIndexOf(' ');
    const name = line.slice(0, i).replace(/\{.*\}/, '');
    out.set(name, (out.get(name) ?? 0) + Number(line.slice(i + 1)));
  }
  return out;
}

const loadAtStart = loadavg()[0]!;
const started = new Date();
const broker = await startOwnMosquitto();
cleanups.push(() => broker.dispose());
const mosquittoPid = childPid('mosquitto');
if (mosquittoPid) pids.mosquitto = [mosquittoPid];
const db = await createTestDatabase(DB_URL);
cleanups.push(() => db.drop());
const dbName = new URL(db.url).pathname.slice(1);

const supervisorPassword = randomBytes(18).toString('base64url');
const serverPort = await freePort();
const serverUrl = `http://127.0.0.1:${serverPort}`;
if (args.profile) mkdirSync(args.profileDir, { recursive: true });
const serverLog = join(work, 'server.log');
const server = spawn(process.execPath, [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profileDir}`] : []), '--import', 'tsx', 'server/src/main.ts'], {
  cwd: REPO,
  env: {
    ...process.env,
    PORT: String(serverPort),
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    MQTT_URL: broker.url,
    INSTANCE_ID: `bench-load-${runId}`,
    LOG_LEVEL: 'warn',
    SUPERVISOR_USERNAME: 'bench-supervisor',
    SUPERVISOR_PASSWORD: supervisorPassword,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
children.push(server);
const serverOut = createWriteStream(serverLog);
server.stdout!.pipe(serverOut);
server.stderr!.pipe(serverOut);
server.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`the server exited (${signal ?? code}) during the run:\n${readFileSync(serverLog, 'utf8').slice(-4000)}`);
  void cleanup().finally(() => process.exit(1));
});
pids.server = [server.pid!];
await waitFor('the server', async () => (await fetch(`${serverUrl}/health`)).ok, 180_000);
console.log(`server ${serverUrl} (pid ${server.pid}), broker ${broker.url}, database ${dbName}`);

const pgc = new pg.Client({ connectionString: DB_URL });
await pgc.connect();
cleanups.push(() => pgc.end());
const pgVersion = (await pgc.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v;
async function refreshBackends(): Promise<void> {
  pgBackends = (await pgc.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName])).rows.map((r) => r.pid);
}

// ---- users -------------------------------------------------------------------------------------------------
async function api<T>(path: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${serverUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as T };
}
async function login(username: string, password: string): Promise<string> {
  const res = await fetch(`${serverUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
const supervisor = await login('bench-supervisor', supervisorPassword);
const unitsFor = (n: number, available: number) => Math.min(available, Math.floor(n / 25));
const patrolUnits = (await api<{ units: { id: string; kind: string }[] }>('/api/units', supervisor)).json.units.filter((u) => u.kind !== 'drone-team');
const maxOperators = Math.max(...args.clients.map((n) => n - unitsFor(n, patrolUnits.length)));
const maxUnits = Math.max(...args.clients.map((n) => unitsFor(n, patrolUnits.length)));
const userPassword = randomBytes(18).toString('base64url');
/** One user per client, as each console and each unit phone signs in as its own user. */
async function createUser(username: string, role: Role, unitId?: string): Promise<string> {
  const r = await api('/api/users', supervisor, { username, password: userPassword, role, ...(unitId ? { unitId } : {}) });
  if (r.status !== 201) throw new Error(`creating ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  return login(username, userPassword);
}
const t0Users = performance.now();
const operatorTokens: string[] = [];
// Two at a time: each create and each login costs a memory-hard scrypt hash, on the server's 2 cores.
for (let i = 0; i < maxOperators; i += 2) {
  operatorTokens.push(...(await Promise.all([i, i + 1].filter((k) => k < maxOperators).map((k) => createUser(`operator-${k + 1}`, 'operator')))));
}
const unitUsers: { unitId: string; token: string; vessel: number }[] = [];
for (const u of patrolUnits.slice(0, maxUnits)) unitUsers.push({ unitId: u.id, token: await createUser(`crew-${u.id}`, 'unit', u.id), vessel: -1 });
console.log(`users: ${operatorTokens.length} operators, ${unitUsers.length} unit crews (${((performance.now() - t0Users) / 1000).toFixed(1)} s)`);

// ---- the feed ----------------------------------------------------------------------------------------------
interface Vessel {
  lon: number;
  lat: number;
  sogKn: number;
  cogDeg: number;
  atMs: number;
  seq: number;
}
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20_261_127);
const vessels: Vessel[] = Array.from({ length: args.tracks }, () => ({
  lon: BOX.lon[0] + (BOX.lon[1] - BOX.lon[0]) * rand(),
  lat: BOX.lat[0] + (BOX.lat[1] - BOX.lat[0]) * rand(),
  sogKn: 4 + 14 * rand(),
  cogDeg: 360 * rand(),
  atMs: 0,
  seq: 0,
}));
const gatewayId = `gw-bench-load-${runId}`;
const topicOf = Array.from({ length: RECEIVERS }, (_, k) => `obs/v1/ais/rx-load-${k + 1}`);
/** The vessel's next position report, dead reckoned from the last, turned back at the edges of the area. */
function nextObservation(v: number, nowMs: number): string {
  const s = vessels[v]!;
  if (s.atMs > 0) {
    const m = ((s.sogKn * 1852) / 3600) * ((nowMs - s.atMs) / 1000);
    const rad = (s.cogDeg * Math.PI) / 180;
    s.lat += (m * Math.cos(rad)) / 111_320;
    s.lon += (m * Math.sin(rad)) / (111_320 * Math.cos((s.lat * Math.PI) / 180));
    if (s.lon < BOX.lon[0] || s.lon > BOX.lon[1]) s.cogDeg = (360 - s.cogDeg) % 360;
    if (s.lat < BOX.lat[0] || s.lat > BOX.lat[1]) s.cogDeg = (540 - s.cogDeg) % 360;
  }
  s.atMs = nowMs;
  s.seq++;
  const cog = Math.round(s.cogDeg * 10) / 10;
  return (
    `{"obsId":"load-${runId}-${v}-${s.seq}","sensorId":"rx-load-${(v % RECEIVERS) + 1}","gatewayId":"${gatewayId}",` +
    `"observedAtMs":${nowMs},"receivedAtMs":${nowMs},"kind":"ais.position","mmsi":${MMSI_BASE + v},"msgType":1,"aisClass":"A",` +
    `"lon":${s.lon.toFixed(6)},"lat":${s.lat.toFixed(6)},"sogKn":${s.sogKn.toFixed(1)},"cogDeg":${cog},"headingDeg":${Math.round(cog) % 360},` +
    `"navStatus":0,"rotDegPerMin":0,"accuracy":true}`
  );
}
{
  const probe = Observation.safeParse(JSON.parse(nextObservation(0, Date.now())));
  if (!probe.success) throw new Error(`the feed's observations are not valid for the contract: ${probe.error.message}`);
  vessels[0]!.seq = 0;
  vessels[0]!.atMs = 0;
}
const pub = await RawPublisher.connect(broker.url, `bench-load-feed-${runId}`);
cleanups.push(() => pub.close());
const feed = {
  startedAt: 0,
  sent: 0,
  cursor: 0,
  running: true,
  /** Observations per vessel with an observation time inside the window. */
  window: { fromMs: Infinity, toMs: -Infinity, counts: new Uint32Array(args.tracks), published: 0 },
  behindMax: 0,
};
/** Every vessel once a second, in order, spread evenly over the second (a few hundred messages per 10 ms tick). */
async function runFeed(): Promise<void> {
  feed.startedAt = performance.now();
  while (feed.running) {
    await sleep(FEED_TICK_MS);
    const due = Math.floor(((performance.now() - feed.startedAt) / 1000) * args.tracks);
    const n = Math.min(due - feed.sent, pub.capacity);
    feed.behindMax = Math.max(feed.behindMax, due - feed.sent - n);
    if (n <= 0) continue;
    const nowMs = Date.now();
    const topics: string[] = new Array(n);
    const payloads: string[] = new Array(n);
    const w = feed.window;
    const inWindow = nowMs >= w.fromMs && nowMs <= w.toMs;
    for (let i = 0; i < n; i++) {
      const v = feed.cursor;
      feed.cursor = v + 1 === args.tracks ? 0 : v + 1;
      topics[i] = topicOf[v % RECEIVERS]!;
      payloads[i] = nextObservation(v, nowMs);
      if (inWindow) {
        w.counts[v]!++;
        w.published++;
      }
    }
    pub.publish(topics, payloads);
    feed.sent += n;
  }
}
const feedDone = runFeed();
await waitFor(
  `${fmt(args.tracks)} tracks in the server`,
  async () => ((await metricsOf(serverUrl)).get('seawall_server_tracks') ?? 0) >= args.tracks,
  60_000,
);
console.log(`feed: ${fmt(args.tracks)} vessels reporting once a second; all ${fmt(args.tracks)} tracks live`);

// Each unit crew gets an order to one vessel: the only track (besides its own) it may see.
for (let k = 0; k < unitUsers.length; k++) {
  const u = unitUsers[k]!;
  const v = Math.floor(((k + 0.5) * args.tracks) / unitUsers.length);
  const r = await api<{ order?: { id: string } }>('/api/orders', supervisor, { unitId: u.unitId, trackId: `ais:${MMSI_BASE + v}`, note: 'bench: load' });
  if (r.status !== 201) throw new Error(`order for ${u.unitId}: ${r.status} ${JSON.stringify(r.json)}`);
  u.vessel = v;
}

// ---- client processes --------------------------------------------------------------------------------------
interface Worker {
  proc: ChildProcess;
  next<T extends FromClients['type']>(type: T): Promise<Extract<FromClients, { type: T }>>;
  send(msg: ToClients): void;
}
function startWorker(k: number): Worker {
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(args.profileDir, 'clients')}`] : [];
  const proc = fork(join(REPO, 'bench/load/clients.ts'), [], { execArgv: [...profile, '--import', 'tsx'], cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(proc);
  const waiting: { type: string; resolve: (m: FromClients) => void; reject: (e: Error) => void }[] = [];
  proc.on('message', (m: FromClients) => {
    if (m.type === 'error') {
      for (const w of waiting.splice(0)) w.reject(new Error(`clients ${k}: ${m.message}`));
      return;
    }
    const i = waiting.findIndex((w) => w.type === m.type);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
  });
  proc.on('exit', (code, signal) => {
    if (!stopping) for (const w of waiting.splice(0)) w.reject(new Error(`clients ${k} exited (${signal ?? code})`));
  });
  return {
    proc,
    next: (type) => new Promise((resolve, reject) => waiting.push({ type, resolve: resolve as (m: FromClients) => void, reject })),
    send: (msg) => proc.send(msg),
  };
}
const workers = Array.from({ length: args.workers }, (_, k) => startWorker(k));
pids.clients = workers.map((w) => w.proc.pid!);
pids.feed = [process.pid];

interface StepResult {
  clients: number;
  operators: number;
  units: number;
  seconds: number;
  published: number;
  reports: ClientReport[];
  latency: Record<Role, Float64Array>;
  cpu: Record<string, number>;
  rssMaxMb: number;
  rssMeanMb: number;
  checked: number;
  mismatches: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  connectMs: number;
  /** Snapshots the server encoded and sent while the step's clients connected (its metrics). */
  snapshotsEncoded: number;
  snapshotsSent: number;
  /** Over the window: sockets that fell behind, and the batches they skipped (the server's metrics). */
  fellBehind: number;
  batchesSkipped: number;
  batchesPushed: number;
  /** The server's ingest lag (gateway receipt to applied, its metric) at the end of the window, and its acknowledgements held then. */
  ingestLagS: number;
  acksHeld: number;
  /** Observations the server accepted and history rows it wrote over the window (its metrics, read around it). */
  accepted: number;
  historyRows: number;
  historyDropped: number;
  /** History rows waiting for the database at the end of the window. */
  historyBuffered: number;
  /** Observations the broker delivered again (the server's acknowledgements late). */
  duplicates: number;
  /** Other work on the machine just before the window (cores). */
  otherBefore: number;
}

async function runStep(n: number): Promise<StepResult> {
  const units = unitsFor(n, unitUsers.length);
  const operators = n - units;
  const specs: ClientSpec[] = [
    ...operatorTokens.slice(0, operators).map((token, i): ClientSpec => ({ label: `operator-${i + 1}`, role: 'operator', token })),
    ...unitUsers.slice(0, units).map((u): ClientSpec => ({ label: `crew-${u.unitId}`, role: 'unit', token: u.token, visible: [u.vessel] })),
  ];
  const byWorker: ClientSpec[][] = workers.map(() => []);
  specs.forEach((s, i) => byWorker[i % workers.length]!.push(s));
  const active = workers.filter((_, k) => byWorker[k]!.length > 0);
  const mc0 = await metricsOf(serverUrl);
  const t0 = performance.now();
  const connected = active.map((w) => w.next('connected'));
  workers.forEach((w, k) => byWorker[k]!.length && w.send({ type: 'connect', url: serverUrl, tracks: args.tracks, clients: byWorker[k]!, decode: args.decode }));
  await Promise.all(connected);
  const connectMs = performance.now() - t0;
  const mc1 = await metricsOf(serverUrl);
  const connectDelta = (name: string) => (mc1.get(name) ?? 0) - (mc0.get(name) ?? 0);
  console.log(`${n} clients (${operators} operators, ${units} units) connected with their snapshots in ${(connectMs / 1000).toFixed(1)} s; warming up ${args.warmup} s`);
  await sleep(args.warmup * 1000);
  await refreshBackends();
  const otherBefore = await waitQuiet();

  const fromMs = Date.now() + 1_000;
  const toMs = fromMs + args.seconds * 1000;
  feed.window = { fromMs, toMs, counts: new Uint32Array(args.tracks), published: 0 };
  for (const w of active) w.send({ type: 'window', fromMs, toMs });
  await sleep(fromMs - Date.now());
  const a = cpuSample();
  const m0 = await metricsOf(serverUrl);
  const rss: number[] = [];
  while (Date.now() < toMs) {
    await sleep(Math.min(1_000, toMs - Date.now()));
    rss.push(rssMb(server.pid!));
  }
  const b = cpuSample();
  const m1 = await metricsOf(serverUrl);
  const delta = (name: string) => (m1.get(name) ?? 0) - (m0.get(name) ?? 0);
  await sleep(DRAIN_MS);
  const expected = Array.from(feed.window.counts);
  const reportsIn = active.map((w) => w.next('report'));
  for (const w of active) w.send({ type: 'report', expected });
  const reports = await Promise.all(reportsIn);
  const disconnected = active.map((w) => w.next('disconnected'));
  for (const w of active) w.send({ type: 'disconnect' });
  await Promise.all(disconnected);

  const latency: Record<Role, Float64Array> = { operator: new Float64Array(LATENCY_BINS), unit: new Float64Array(LATENCY_BINS) };
  for (const r of reports) for (const role of ['operator', 'unit'] as const) for (const [bin, count] of r.latency[role]) latency[role][bin]! += count;
  const result: StepResult = {
    clients: n,
    operators,
    units,
    seconds: args.seconds,
    published: feed.window.published,
    reports: reports.flatMap((r) => r.clients),
    latency,
    cpu: cores(a, b),
    rssMaxMb: Math.max(...rss),
    rssMeanMb: rss.reduce((x, y) => x + y, 0) / rss.length,
    checked: reports.reduce((s, r) => s + r.checked, 0),
    mismatches: reports.reduce((s, r) => s + r.mismatches, 0),
    loopDelayP99Ms: Math.max(...reports.map((r) => r.loopDelayP99Ms)),
    loopDelayMaxMs: Math.max(...reports.map((r) => r.loopDelayMaxMs)),
    connectMs,
    snapshotsEncoded: connectDelta('seawall_server_track_snapshots_encoded_total'),
    snapshotsSent: connectDelta('seawall_server_track_snapshots_sent_total'),
    fellBehind: delta('seawall_server_sockets_fell_behind_total'),
    batchesSkipped: delta('seawall_server_track_batches_skipped_total'),
    batchesPushed: delta('seawall_server_track_batches_pushed_total'),
    ingestLagS: m1.get('seawall_server_ingest_lag_seconds') ?? NaN,
    acksHeld: m1.get('seawall_server_mqtt_acks_held') ?? NaN,
    accepted: delta('seawall_server_observations_received_total'),
    historyRows: delta('seawall_server_history_rows_written_total'),
    historyDropped: delta('seawall_server_history_rows_dropped_total'),
    historyBuffered: m1.get('seawall_server_history_buffer_rows') ?? 0,
    duplicates: delta('seawall_server_observations_duplicate_total'),
    otherBefore,
  };
  const ops = result.reports.filter((r) => r.role === 'operator');
  const delivered = ops.reduce((s, r) => s + r.delivered, 0);
  const missing = result.reports.reduce((s, r) => s + r.missing, 0);
  console.log(
    `  ${n} clients: published ${fmt(result.published / args.seconds)}/s, server accepted ${fmt(result.accepted / args.seconds)}/s; delivered ${fmt(delivered / args.seconds)} track updates/s to operators ` +
      `(${fmt(delivered / args.seconds / Math.max(1, ops.length))} per client, lowest second ${fmt(Math.min(...ops.map((r) => r.lowestSecond)))}); ` +
      `latency p50 ${percentile(latency.operator, 50)} p99 ${percentile(latency.operator, 99)} max ${maxOf(latency.operator)} ms; missing ${fmt(missing)}; ` +
      `CPU ${Object.entries(result.cpu).map(([k, c]) => `${k} ${c.toFixed(2)}`).join(', ')}; server RSS max ${fmt(result.rssMaxMb)} MB; ` +
      `clients' event loop delay p99 ${result.loopDelayP99Ms.toFixed(0)} ms; history rows written ${fmt(result.historyRows / args.seconds)}/s, ` +
      `dropped ${fmt(result.historyDropped)}, buffered ${fmt(result.historyBuffered)} at the end; duplicates ${fmt(result.duplicates)}; other work before ${otherBefore.toFixed(2)} cores`,
  );
  await sleep(3_000);
  return result;
}

const steps: StepResult[] = [];
for (const n of args.clients) steps.push(await runStep(n));

// ---- the end -----------------------------------------------------------------------------------------------
feed.running = false;
await feedDone;
await sleep(1_000);
const srv = await metricsOf(serverUrl);
const accounting = {
  published: feed.sent,
  acknowledged: pub.acknowledged,
  received: srv.get('seawall_server_observations_received_total') ?? 0,
  rejected: srv.get('seawall_server_observations_rejected_total') ?? 0,
  duplicates: srv.get('seawall_server_observations_duplicate_total') ?? 0,
  feedBehindMax: feed.behindMax,
};
console.log(`accounting: ${JSON.stringify(accounting)}`);
stopping = true;
for (const w of workers) w.proc.kill('SIGTERM');
await new Promise<void>((resolve) => {
  const t = setTimeout(() => server.kill('SIGKILL'), 20_000);
  server.once('exit', () => (clearTimeout(t), resolve()));
  server.kill('SIGTERM');
});
const serverWarnings = readFileSync(serverLog, 'utf8').split('\n').filter(Boolean);
if (serverWarnings.length) console.log(`server log (${serverWarnings.length} lines), the last 10:\n${serverWarnings.slice(-10).join('\n')}`);
if (args.profile) {
  await sleep(1_000);
  printProfile('server', args.profileDir, server.pid!);
  for (const w of workers) printProfile('clients', join(args.profileDir, 'clients'), w.proc.pid!);
}
await cleanup();

const section = renderSection();
if (args.record) recordResults(section);
process.stdout.write(`\n${section}`);
process.exit(0);

// ---- reporting ---------------------------------------------------------------------------------------------
function printProfile(what: string, dir: string, pid: number): void {
  // The process's main thread: the largest profile its pid wrote (tsx's loader thread writes one too).
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile')) : [];
  const file = files.map((f) => join(dir, f)).sort((x, y) => readFileSync(y).length - readFileSync(x).length)[0];
  if (!file) return console.log(`no profile of ${what} (pid ${pid}) in ${dir}`);
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const self = new Map<number, number>();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of prof.nodes) {
    const us = self.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*node_modules\//, '').replace(REPO, '').replace('file://', '')}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  console.log(`\n${what} profile ${file}: self time, top 30 of ${(total / 1e6).toFixed(1)} s`);
  for (const [k, us] of [...byFn].sort((x, y) => y[1] - x[1]).slice(0, 30)) console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
}

function renderSection(): string {
  const cpu = cpus();
  const ref = steps.find((s) => s.clients === 1) ?? steps[0]!;
  const perClient = (s: StepResult) => {
    const ops = s.reports.filter((r) => r.role === 'operator');
    return ops.reduce((x, r) => x + r.delivered, 0) / s.seconds / Math.max(1, ops.length);
  };
  const ms = (v: number) => (Number.isFinite(v) ? String(v) : 'n/a');
  const row = (s: StepResult) => {
    const ops = s.reports.filter((r) => r.role === 'operator');
    const delivered = s.reports.reduce((x, r) => x + r.delivered, 0);
    const missing = s.reports.reduce((x, r) => x + r.missing, 0);
    const batches = ops.reduce((x, r) => x + r.batches, 0) / s.seconds / Math.max(1, ops.length);
    const mbps = ops.reduce((x, r) => x + r.frameBytes, 0) / s.seconds / Math.max(1, ops.length) / 1e6;
    const h = s.latency.operator;
    return (
      `| ${s.clients} (${s.operators} + ${s.units}) | ${fmt(s.published / s.seconds)} | ${fmt(s.accepted / s.seconds)} | ${fmt(delivered / s.seconds)} | ${fmt(perClient(s))} | ` +
      `${fmt(Math.min(...ops.map((r) => r.lowestSecond)))} | ${batches.toFixed(2)} | ${mbps.toFixed(2)} | ${ms(percentile(h, 50))} | ${ms(percentile(h, 95))} | ${ms(percentile(h, 99))} | ${ms(maxOf(h))} | ` +
      `${fmt(missing)} | ${(s.cpu.server! * 100).toFixed(0)} % | ${fmt(s.rssMaxMb)} MB | ${(s.cpu.clients! * 100).toFixed(0)} % | ` +
      `${(s.cpu.postgres! * 100).toFixed(0)} % / ${((s.cpu.mosquitto ?? 0) * 100).toFixed(0)} % / ${(s.cpu.feed! * 100).toFixed(0)} % / ${(s.cpu.softirq! * 100).toFixed(0)} % | ${(s.cpu.rest! * 100).toFixed(0)} % |`
    );
  };
  const unitRows = steps
    .filter((s) => s.units > 0)
    .map((s) => {
      const us = s.reports.filter((r) => r.role === 'unit');
      const h = s.latency.unit;
      return `N = ${s.clients}: ${us.length} units, ${fmt(us.reduce((x, r) => x + r.delivered, 0))} updates of their ordered tracks delivered (${(us.reduce((x, r) => x + r.delivered, 0) / s.seconds / us.length).toFixed(2)}/s per unit), missing ${fmt(us.reduce((x, r) => x + r.missing, 0))}, updates of other tracks ${fmt(us.reduce((x, r) => x + r.leaked, 0))}, latency p50 ${ms(percentile(h, 50))} / p99 ${ms(percentile(h, 99))} / max ${ms(maxOf(h))} ms`;
    });
  const big = steps.reduce((x, s) => (s.clients > x.clients ? s : x));
  const bigOps = big.reports.filter((r) => r.role === 'operator');
  const bigMissing = big.reports.reduce((x, r) => x + r.missing, 0);
  const fed = big.published / big.seconds;
  const worst = Math.min(...bigOps.map((r) => r.delivered / big.seconds));
  const met = big.clients >= 200 && bigMissing === 0 && worst >= KEEP_UP * fed && fed >= KEEP_UP * args.tracks;
  const ratio = perClient(big) / perClient(ref);
  const stale = steps.reduce((x, s) => x + s.reports.reduce((y, r) => y + r.stale, 0), 0);
  const disconnects = steps.reduce((x, s) => x + s.reports.reduce((y, r) => y + r.disconnects, 0), 0);
  const unknown = steps.reduce((x, s) => x + s.reports.reduce((y, r) => y + r.unknown, 0), 0);
  const checked = steps.reduce((x, s) => x + s.checked, 0);
  const mismatches = steps.reduce((x, s) => x + s.mismatches, 0);
  const date = started.toISOString().slice(0, 16).replace('T', ' ');
  return `## load

Many socket.io clients receiving live track updates while the feed runs: ${fmt(args.tracks)} tracks updated once a
second each, pushed by the server in batches every 250 ms (\`TRACK_PUSH_INTERVAL_MS\`) to the \`ops\` room (one
packet encoded once, one websocket frame written to every operator's socket) and to each unit's socket its own tracks;
the snapshots of operators connecting within 100 ms of each other are encoded once and shared the same way; a socket with
more than 16 MiB unsent is skipped by batches until it catches up, then sent a snapshot. Track batches and snapshots are binary
track frames. One server, one feed, the client counts in turn; N = 1 is the reference.

- command: \`${command}\` (PostgreSQL from \`BENCH_DATABASE_URL\`, default \`postgres://postgres@127.0.0.1:5432/test\`)
- date: ${date} UTC
- machine: ${cpu.length} cores (${cpu[0]?.model.trim()}), Node ${process.version}, PostgreSQL ${pgVersion}; load average ${loadAtStart.toFixed(2)} at start
- server: \`node --import tsx server/src/main.ts\` as a child process${args.profile ? ' under `--cpu-prof`' : ''}, defaults otherwise, on a fresh database (PostGIS) and a Mosquitto of the run's own;
  every observation is also written to \`track_history\`
- feed: ${fmt(args.tracks)} vessels (distinct MMSIs ${MMSI_BASE}…) sailing by dead reckoning over lon ${BOX.lon.join('–')}, lat ${BOX.lat.join('–')}, each
  an \`ais.position\` observation (unique obsId, observedAtMs = publish time) once a second, published at QoS 1 straight to
  \`obs/v1/ais/…\` (no gateway), spread evenly over the second (every ${FEED_TICK_MS} ms)
- clients: one user per client (operators; unit crews with one order each, to one vessel); socket.io-client over
  websocket with \`auth: { token }\`, in ${args.workers} processes of their own, on the same ${cpu.length} cores as the server, broker and
  database. Track batches and snapshots are binary track frames (\`server/contracts/src/track-frame.ts\`: about 50 bytes
  a track, its identity only when it changed), read with the contract's decoder. ${args.decode === 'shared' ? `The operators all get the same
  frame, so a process decodes it once and compares every other client's copy with it byte for byte (200 consoles decoding
  on the server's 2 cores would measure the clients); each client's first batches were also decoded by its own reader
  and compared: ${fmt(checked)} batches, ${mismatches === 0 ? 'all equal' : `**${mismatches} differed**`}` : 'Every client decodes every frame with its own reader, as a console does'}
- per step: connect (each client gets its snapshot), ${args.warmup} s warm-up, then a ${args.seconds} s window. Delivered: the
  distinct track states a client received whose observation time is in the window; latency: receipt − observedAtMs, per
  track update (the 250 ms batching included); missing: observations published in the window, of tracks the client may
  see, whose state it never received (checked ${DRAIN_MS / 1000} s after the window). CPU: cores used over the window
  (/proc), 100 % = one core; softirq: the kernel's interrupt work (mostly loopback traffic); other work: the rest of the
  machine, i.e. other sessions on it (the run waits for less than ${QUIET_CORES} cores of it before each window)

| clients (operators + units) | published /s | accepted by the server /s | delivered track updates/s, total | per operator client | lowest second, any client | batches/s per client | frame MB/s per client | p50 ms | p95 ms | p99 ms | max ms | missing | server CPU | server RSS (max) | clients' CPU | postgres / mosquitto / feed / softirq CPU | other work |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${steps.map(row).join('\n')}

${unitRows.length ? `Units (only the tracks their orders target): ${unitRows.join('; ')}.\n` : ''}Connecting (with the snapshot of ${fmt(args.tracks)} tracks each): ${steps.map((s) => `${s.clients} clients ${(s.connectMs / 1000).toFixed(1)} s (${fmt(s.snapshotsSent)} snapshots sent, ${fmt(s.snapshotsEncoded)} encoded)`).join(', ')}.
Clients the server found behind (more than 16 MiB unsent: batches skipped until caught up, then a snapshot), over each window: ${steps.map((s) => `N = ${s.clients}: ${fmt(s.fellBehind)} (${fmt(s.batchesSkipped)} batches skipped)`).join(', ')}.
Clients' event loop delay p99 (max): ${steps.map((s) => `${s.clients}: ${s.loopDelayP99Ms.toFixed(0)} (${s.loopDelayMaxMs.toFixed(0)}) ms`).join(', ')}; states received twice or out of order ${fmt(stale)}; track records without an identity the client had ${fmt(unknown)}; disconnects ${fmt(disconnects)}.
The server's ingest (its metrics) at the end of each window: ${steps.map((s) => `N = ${s.clients}: ${Number.isFinite(s.ingestLagS) ? `${s.ingestLagS.toFixed(1)} s` : 'n/a'} behind the feed, ${fmt(s.acksHeld)} observations not yet acknowledged to the broker`).join('; ')}; a client can only receive in the window what the server applied in it.
The server's history writer over each window (its metrics): ${steps.map((s) => `N = ${s.clients}: ${fmt(s.historyRows / s.seconds)} rows/s written, ${fmt(s.historyDropped)} dropped, ${fmt(s.historyBuffered)} buffered at the end, ${fmt(s.duplicates)} observations delivered again by the broker`).join('; ')}.
Whole run: ${fmt(accounting.published)} observations published (${fmt(accounting.acknowledged)} acknowledged by the broker), ${fmt(accounting.received)} accepted by the server,
${fmt(accounting.rejected)} rejected, ${fmt(accounting.duplicates)} duplicates.

**N = ${big.clients} / N = ${ref.clients}: ${Number.isFinite(ratio) ? `${ratio.toFixed(3)}x` : 'n/a'}** in track updates delivered per client per second (${fmt(perClient(big))} against ${fmt(perClient(ref))}); p99 latency ${ms(percentile(big.latency.operator, 99))} ms against ${ms(percentile(ref.latency.operator, 99))} ms.
Target: at least 200 clients receiving 1 Hz updates of ${fmt(args.tracks)} tracks, i.e. every client about ${fmt(args.tracks)} track updates/s
with nothing missing (at least ${KEEP_UP * 100} % of what was published, for the slowest client, and no state never received): **${met ? 'met' : 'NOT met'}**
(slowest of the ${bigOps.length} operators ${fmt(worst)}/s of ${fmt(fed)}/s published; ${fmt(bigMissing)} missing).
`;
}

function recordResults(text: string): void {
  let all = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = all.indexOf('\n## load\n');
  if (start >= 0) {
    const next = all.indexOf('\n## ', start + 1);
    all = all.slice(0, start + 1) + text + (next >= 0 ? all.slice(next) : '');
  } else {
    all = `${all.trimEnd()}\n\n${text}`;
  }
  writeFileSync(RESULTS, all);
}
