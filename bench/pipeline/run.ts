// Benchmark: the whole pipeline, raw MQTT publish → edge gateway → server → PostGIS and socket.io, side by
// side with Mosquitto's own publish → subscribe of the same payloads on the same broker, in one run.
//
//   npm run bench:pipeline [-- --rates R,R,... --ref-rates R,R,... --step-seconds S --ref-step-seconds S
//                              --latency-rate R --latency-seconds S --vessels N --broker-conf 'LINE' --quiet-wait S
//                              --nice N --skip-reference --profile --profile-dir D --fixtures DIR --lines N --no-record]
//
// --profile runs the server and the gateway under `node --cpu-prof` (one .cpuprofile per thread, in
// --profile-dir, default $TMPDIR/seawall-bench-pipeline-profiles/<process>/); --broker-conf adds or replaces a
// line of the broker's configuration (e.g. 'max_inflight_messages 1000'), and the recorded command shows it.
// On a shared machine each step first waits (up to --quiet-wait seconds, default 120) for other work to calm down,
// and --nice -10 runs all of the run's processes at a higher priority than other work.
//
// The load is real recorded AIS position reports (see ais-load.ts), published at QoS 1 by a minimal MQTT
// client on `sensors/ais/<receiver>` at paced rates. The broker is a Mosquitto of the run's own with the
// deployment's configuration (server/deploy/mosquitto/mosquitto.conf); the server and the edge gateway run
// as separate processes (`node --import tsx server/src/main.ts`, `edge-gateway/src/main.ts`) as deployed, on
// a fresh PostgreSQL database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). The
// load generator and the socket.io client share this process.
//
// - reference: an mqtt.js subscriber (QoS 1, as the gateway subscribes) receives what is published.
// - seawall: a socket.io client receives the server's track batches; a track's `updates` count says how many
//   observations reached it, its `lastSeenMs` (the tag-block `c:` of the newest) which message that was.
// Each rate is held for a step; it is sustained when what arrives keeps up (at least 97 % of the rate over the
// step, everything in within 2 s after publishing stops). At the end every observation must be a row in
// track_history. Unless --no-record, the result replaces the "pipeline" section of bench/RESULTS.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { TrackFrameReader, type Track, type TrackId } from '@seawall/contracts';
import { loadAisVessels, nextSentence, receiverMessages, type Vessel } from './ais-load';
import { RawPublisher } from './mqtt-publisher';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS = join(REPO, 'bench/RESULTS.md');
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
const DEPLOY_MOSQUITTO_CONF = join(REPO, 'server/deploy/mosquitto/mosquitto.conf');
const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Receivers the load is spread over (`sensors/ais/rx-bench-<n>`), vessel by vessel. */
const RECEIVERS = 4;
const TICK_MS = 2;
/** What must arrive over a step for its rate to count as sustained. */
const KEEP_UP = 0.97;
const DRAIN_OK_MS = 2_000;
/** Cores of other work (besides the benchmark's processes and PostgreSQL) past which a step counts as disturbed. */
const DISTURBED = 0.25;
/** Cores busy, of the machine's, past which it counts as saturated. */
const SATURATED = cpus().length - 0.2;
/** Cores of other work below which the machine counts as quiet enough to start. */
const QUIET_CORES = 0.3;

const args = parseArgs(process.argv.slice(2));
// --nice N: the run's processes (this one, and so the broker, server and gateway it starts; the database's
// backends are set as they appear) at that priority, so that other work on a shared machine disturbs it less.
if (args.nice !== 0) setPriority(args.nice);
const runId = randomBytes(3).toString('hex');
let stopping = false;
const work = mkdtempSync(join(tmpdir(), 'seawall-bench-pipeline-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
let dropDatabase: () => Promise<void> = async () => undefined;
/** After a failure or Ctrl+C: the child processes stopped, the database dropped, the temporary files removed. */
async function cleanup(): Promise<void> {
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await dropDatabase().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
process.on('uncaughtException', (err) => {
  console.error(err);
  void cleanup().finally(() => process.exit(1));
});

// ---- the load --------------------------------------------------------------------------------------------
const load = loadAisVessels(args.fixtures, args.vessels);
const vessels = load.vessels;
const byMmsi = new Map(vessels.map((v) => [v.mmsi, v]));
const receiverOf = (v: Vessel) => `rx-bench-${(v.index % RECEIVERS) + 1}`;
const topicOf = vessels.map((v) => `sensors/ais/${receiverOf(v)}`);
console.log(
  `load: ${vessels.length} vessels (distinct MMSIs) from ${load.reports} single-sentence position reports (types 1, 2, 3, 18) in ${load.sources.length} corpora`,
);

let cursor = 0;
/** Sentences published (each one observation), over all messages. */
let sentences = 0;
/**
 * The next `n` sentences, round robin over the vessels, each with `c:` = now (ms, strictly increasing per vessel),
 * as MQTT messages: each receiver forwards the sentences it has as one message of up to --lines lines (as a
 * receiver's TCP-to-MQTT bridge forwards what one read gave it), the architecture's "one or more lines".
 */
function nextBatch(n: number, now: number, onSentence?: (v: Vessel, c: number, sentence: string) => void): { topics: string[]; payloads: string[] } {
  const byTopic = new Map<string, string[]>();
  sentences += n;
  for (let i = 0; i < n; i++) {
    const v = vessels[cursor]!;
    cursor = cursor + 1 === vessels.length ? 0 : cursor + 1;
    const c = Math.max(now, v.lastC + 1);
    const sentence = nextSentence(v, c, receiverOf(v));
    const topic = topicOf[v.index]!;
    const lines = byTopic.get(topic);
    if (lines) lines.push(sentence);
    else byTopic.set(topic, [sentence]);
    onSentence?.(v, c, sentence);
  }
  return receiverMessages(byTopic, args.lines);
}

// ---- measuring ---------------------------------------------------------------------------------------------
interface Latencies {
  from: number;
  to: number;
  values: number[];
}
const windowed = (from: number, to: number): Latencies => ({ from, to, values: [] });
function record(l: Latencies | null, publishedAt: number, receivedAt: number): void {
  if (l && publishedAt >= l.from && publishedAt <= l.to) l.values.push(receivedAt - publishedAt);
}
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface CpuSample {
  at: number;
  ticks: Record<string, number>;
}
const CLK_TCK = 100;
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}
/**
 * PostgreSQL's work for this run: the backends serving the run's database (other sessions may use the same
 * server). Their pids are looked up every second; a backend that has exited keeps the ticks last read.
 */
const pgBackends = new Map<number, number>();
function postgresTicks(): number {
  let sum = 0;
  for (const [pid, last] of pgBackends) {
    const now = Math.max(cpuOf(pid), last);
    pgBackends.set(pid, now);
    sum += now;
  }
  return sum;
}
function watchBackends(url: string, database: string): () => Promise<void> {
  const client = new pg.Client({ connectionString: url });
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]).then(
      (r) => {
        for (const { pid } of r.rows) {
          if (pgBackends.has(pid)) continue;
          pgBackends.set(pid, 0);
          if (args.nice !== 0) {
            try {
              setPriority(pid, args.nice);
            } catch {
              // not ours to change
            }
          }
        }
      },
      () => undefined,
    );
  }, 1_000);
  void client.connect().catch(() => undefined);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await client.end().catch(() => undefined);
  };
}
const pids: Record<string, number> = {};
function cpuSample(): CpuSample {
  const ticks: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) ticks[name] = cpuOf(pid);
  ticks.postgres = postgresTicks();
  ticks['load generator'] = cpuOf(process.pid);
  // The whole machine, kernel and every other process included (/proc/stat: all fields but idle and iowait).
  const all = readFileSync('/proc/stat', 'utf8').slice(0, 200).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  ticks['machine'] = all.reduce((x, y) => x + y, 0) - all[3]! - all[4]!;
  return { at: performance.now(), ticks };
}
function cpuCores(a: CpuSample, b: CpuSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b.ticks)) out[k] = (b.ticks[k]! - (a.ticks[k] ?? 0)) / CLK_TCK / ((b.at - a.at) / 1000);
  // What the machine did besides: the kernel's share of loopback traffic, and any other work on it.
  const { machine, ...own } = out;
  delete out.machine;
  out.other = machine! - Object.values(own).reduce((x, y) => x + y, 0);
  return out;
}

interface StepResult {
  label: string;
  rate: number;
  seconds: number;
  published: number;
  deliveredRate: number;
  drainMs: number | null;
  sustained: boolean;
  aborted: boolean;
  p50: number;
  p99: number;
  /** Seawall only: latency of every observation, to the first batch that carried it or a newer one. */
  everyP50?: number;
  everyP99?: number;
  samples: number;
  cpu: Record<string, number>;
}

interface Target {
  /** Sentences (observations) that arrived. */
  delivered(): number;
  setWindow(latest: Latencies | null, every: Latencies | null): void;
  onPublish?: (v: Vessel, c: number, sentence: string, at: number) => void;
  onMessage?: (payload: string, at: number) => void;
}

async function runStep(pub: RawPublisher, target: Target, rate: number, seconds: number, warmS: number, label: string): Promise<StepResult> {
  const d0 = target.delivered();
  const start = performance.now();
  const measureFrom = start + warmS * 1000;
  const end = start + seconds * 1000;
  const latest = windowed(measureFrom, end);
  const every = windowed(measureFrom, end);
  target.setWindow(latest, every);
  const total = Math.round(rate * seconds);
  let sent = 0;
  let aborted = false;
  let a: { at: number; d: number; cpu: CpuSample } | null = null;
  // Arrivals are sampled when the count changes (for Seawall: when a batch arrives), so the rate over the
  // window runs from one arrival to another and the 250 ms batching does not bias it.
  let first: { at: number; d: number } | null = null;
  let last: { at: number; d: number } | null = null;
  let lastD = d0;
  while (sent < total) {
    await new Promise((r) => setTimeout(r, TICK_MS));
    const now = performance.now();
    if (!a && now >= measureFrom) a = { at: now, d: target.delivered(), cpu: cpuSample() };
    const d = target.delivered();
    if (d !== lastD) {
      lastD = d;
      if (now >= measureFrom) {
        first ??= { at: now, d };
        last = { at: now, d };
      }
    }
    const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
    // QoS 1 needs a free packet id per message in flight: when the broker's acknowledgements fall that far behind,
    // the publisher waits (and the step is not sustained).
    const n = Math.min(due - sent, pub.capacity);
    if (n > 0) {
      const batch = nextBatch(n, Date.now(), target.onPublish && ((v, c, p) => target.onPublish!(v, c, p, now)));
      if (target.onMessage) for (const p of batch.payloads) target.onMessage(p, now);
      pub.publish(batch.topics, batch.payloads);
      sent += n;
    }
    if (due - sent > rate) {
      aborted = true;
      console.log(`    the broker's acknowledgements are ${fmt(pub.inFlight)} messages behind: stopping the step`);
      break;
    }
    // Far behind: stop before broker queues overflow; the step is not sustained.
    if (sent - (target.delivered() - d0) > rate * 5 && now - start > 3_000) {
      aborted = true;
      break;
    }
  }
  const stopped = performance.now();
  const b = { at: stopped, d: target.delivered(), cpu: cpuSample() };
  const from = a ?? { at: start, d: d0, cpu: b.cpu };
  const deliveredRate = first && last && last.at > first.at ? (last.d - first.d) / ((last.at - first.at) / 1000) : (b.d - from.d) / ((b.at - from.at) / 1000);
  let drainMs: number | null = null;
  const drainUntil = stopped + (aborted ? 60_000 : 20_000);
  while (performance.now() < drainUntil) {
    if (target.delivered() - d0 >= sent) {
      drainMs = performance.now() - stopped;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  // Batches after the window still carry the window's last messages.
  await new Promise((r) => setTimeout(r, 300));
  target.setWindow(null, null);
  const sustained = !aborted && deliveredRate >= KEEP_UP * rate && drainMs !== null && drainMs <= DRAIN_OK_MS;
  const result: StepResult = {
    label,
    rate,
    seconds: (stopped - start) / 1000,
    published: sent,
    deliveredRate,
    drainMs,
    sustained,
    aborted,
    p50: percentile(latest.values, 50),
    p99: percentile(latest.values, 99),
    samples: latest.values.length,
    cpu: cpuCores(from.cpu, b.cpu),
  };
  if (every.values.length > 0 && every !== latest) {
    result.everyP50 = percentile(every.values, 50);
    result.everyP99 = percentile(every.values, 99);
  }
  const cpu = Object.entries(result.cpu).map(([k, c]) => `${k} ${c.toFixed(2)}`).join(', ');
  console.log(
    `  ${label} ${fmt(rate)}/s for ${result.seconds.toFixed(1)} s: arrived ${fmt(deliveredRate)}/s, ` +
      `drained ${drainMs === null ? 'never' : `${Math.round(drainMs)} ms`} after, p50 ${ms(result.p50)} p99 ${ms(result.p99)}` +
      `${result.everyP99 === undefined ? '' : ` (every obs p50 ${ms(result.everyP50!)} p99 ${ms(result.everyP99)})`}` +
      ` ${sustained ? 'sustained' : aborted ? 'ABORTED: falling behind' : 'not sustained'}; CPU cores: ${cpu}`,
  );
  return result;
}

/**
 * Other work disturbed a step when it took more than DISTURBED cores while the machine was saturated (then it took
 * them from the run; on a machine with cores to spare it took nothing).
 */
function disturbed(step: StepResult): boolean {
  const total = Object.values(step.cpu).reduce((x, y) => x + y, 0);
  return (step.cpu.other ?? 0) > DISTURBED && total > SATURATED;
}

/** Waits (up to --quiet-wait seconds) until other work on the machine takes less than QUIET_CORES. */
async function waitQuiet(): Promise<void> {
  const until = Date.now() + args.quietWaitS * 1000;
  for (let said = false; ; ) {
    const a = cpuSample();
    await new Promise((r) => setTimeout(r, 2_000));
    const other = cpuCores(a, cpuSample()).other!;
    if (other < QUIET_CORES || Date.now() > until) return;
    if (!said) console.log(`    other work on the machine (${other.toFixed(2)} cores): waiting for quiet`);
    said = true;
    await new Promise((r) => setTimeout(r, 8_000));
  }
}

/** Holds the latency-rate step, then climbs the ladder until a rate is not sustained. */
async function ladder(
  pub: RawPublisher,
  target: Target,
  rates: number[],
  seconds: number,
  label: string,
): Promise<{ latency: StepResult; latencyDisturbed: StepResult[]; steps: StepResult[] }> {
  // The machine may be shared: each step starts when other work is quiet, and one during which other work took
  // more than DISTURBED cores is run again (twice at most); the disturbed runs stay in the table, marked.
  const steps: StepResult[] = [];
  // A ladder step that was sustained anyway stands (disturbance only hurts); a latency step must be undisturbed.
  // Three disturbed runs: the least disturbed one counts.
  const measured = async (rate: number, secs: number, warmS: number, name: string, sustainedStands: boolean): Promise<StepResult> => {
    const tries: StepResult[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await waitQuiet();
      const step = await runStep(pub, target, rate, secs, warmS, name);
      tries.push(step);
      if ((sustainedStands && step.sustained) || !disturbed(step)) break;
    }
    const best = tries.reduce((a, b) => ((b.cpu.other ?? 0) < (a.cpu.other ?? 0) || (sustainedStands && b.sustained && !a.sustained) ? b : a));
    for (const t of tries) if (t !== best) steps.push({ ...t, label: `${t.label} (disturbed by other work, run again)` });
    return best;
  };
  const latency = await measured(args.latencyRate, args.latencySeconds, 5, `${label} latency`, false);
  const latencyDisturbed = steps.splice(0);
  for (const rate of rates) {
    const step = await measured(rate, seconds, 3, label, true);
    steps.push(step);
    if (!step.sustained) break;
  }
  return { latency, latencyDisturbed, steps };
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
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Mosquitto with the deployment's configuration; only listener, persistence directory and logging differ. */
async function startMosquitto(): Promise<{ url: string; conf: string[] }> {
  if (!MOSQUITTO) throw new Error('mosquitto not found: apt-get install mosquitto');
  const port = await freePort();
  const dir = join(work, 'mosquitto');
  mkdirSync(dir);
  const deploy = readFileSync(DEPLOY_MOSQUITTO_CONF, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const overrides = new Set(args.brokerConf.map((l) => l.split(/\s+/)[0]));
  // Access control (password and ACL files) is left out: the benchmark's clients are anonymous, on loopback.
  const dropped = /^(listener|persistence_location|log_dest|password_file|acl_file|allow_anonymous)\b/;
  const kept = [...deploy.filter((l) => !dropped.test(l) && !overrides.has(l.split(/\s+/)[0]!)), 'allow_anonymous true', ...args.brokerConf];
  const conf = [`listener ${port} 127.0.0.1`, ...kept, `persistence_location ${dir}/`, 'log_dest none', 'user root'];
  writeFileSync(join(dir, 'mosquitto.conf'), `${conf.join('\n')}\n`);
  const proc = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  children.push(proc);
  pids.mosquitto = proc.pid!;
  await waitFor(
    'mosquitto',
    () =>
      new Promise<boolean>((resolve) => {
        const c = createConnection({ port, host: '127.0.0.1' });
        c.once('connect', () => (c.destroy(), resolve(true)));
        c.once('error', () => resolve(false));
      }),
    10_000,
  );
  return { url: `mqtt://127.0.0.1:${port}`, conf: kept };
}

function launch(name: string, entry: string, env: Record<string, string>): ChildProcess {
  // One profile per thread (tsx's loader has one of its own), named CPU.<date>.<pid>.<thread>.cpuprofile.
  const profile = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(args.profileDir, name)}`] : [];
  const log = createWriteStream(join(work, `${name}.log`));
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  children.push(child);
  pids[name] = child.pid!;
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}) during the run; its log:\n${readFileSync(join(work, `${name}.log`), 'utf8').slice(-4000)}`);
      void cleanup().finally(() => process.exit(1));
    }
  });
  return child;
}
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => (clearTimeout(t), resolve()));
    child.kill('SIGTERM');
  });
}

async function metricsOf(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.lastIndexOf(' ');
    const name = line.slice(0, i).replace(/\{.*\}/, '');
    out.set(name, (out.get(name) ?? 0) + Number(line.slice(i + 1)));
  }
  return out;
}

// ---- the run -----------------------------------------------------------------------------------------------
/** Cores busy on the whole machine over `ms` (/proc/stat). */
async function machineBusy(ms: number): Promise<number> {
  const a = cpuSample();
  await new Promise((r) => setTimeout(r, ms));
  const b = cpuSample();
  return (b.ticks.machine! - a.ticks.machine!) / CLK_TCK / ((b.at - a.at) / 1000);
}
// A shared machine: wait (up to --quiet-wait seconds) until other work leaves it nearly idle.
let busyAtStart = await machineBusy(3_000);
for (const until = Date.now() + args.quietWaitS * 1000; busyAtStart > QUIET_CORES && Date.now() < until; ) {
  console.log(`machine busy (${busyAtStart.toFixed(2)} cores of other work): waiting for it to calm down`);
  await new Promise((r) => setTimeout(r, 20_000));
  busyAtStart = await machineBusy(3_000);
}
const loadAtStart = loadavg()[0]!;
const started = new Date();
const broker = await startMosquitto();
console.log(`broker: mosquitto ${broker.url} (${broker.conf.join('; ')})`);

// Reference: Mosquitto publish → subscribe, the same payloads, an mqtt.js subscriber at QoS 1.
const reference = args.skipReference ? { latency: emptyStep(), latencyDisturbed: [] as StepResult[], steps: [] as StepResult[] } : await (async () => {
  const sub = mqtt.connect(broker.url, { clientId: `bench-ref-${runId}`, clean: true, reconnectPeriod: 0 });
  await new Promise<void>((resolve, reject) => {
    sub.once('connect', () => sub.subscribe('sensors/ais/+', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    sub.once('error', reject);
  });
  // Published in order on one connection and delivered in order: a FIFO matches each arrival to its publish.
  const fifo: { payload: string; at: number }[] = [];
  let head = 0;
  let received = 0;
  let misordered = 0;
  let latest: Latencies | null = null;
  sub.on('message', (_topic, payload) => {
    const at = performance.now();
    const text = payload.toString('latin1');
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    received += lines;
    const entry = fifo[head];
    if (entry && entry.payload === text) {
      record(latest, entry.at, at);
      head++;
      if (head > 65_536) {
        fifo.splice(0, head);
        head = 0;
      }
    } else misordered++;
  });
  const pub = await RawPublisher.connect(broker.url, `bench-pub-ref-${runId}`);
  const target: Target = {
    delivered: () => received,
    setWindow: (l) => (latest = l),
    onMessage: (payload, at) => void fifo.push({ payload, at }),
  };
  console.log('reference: mosquitto publish → mqtt.js subscriber');
  const result = await ladder(pub, target, args.refRates, args.refStepSeconds, 'reference');
  await pub.close();
  await sub.endAsync();
  if (misordered) console.log(`  (${misordered} arrivals not matched in order)`);
  return result;
})();

// Seawall: gateway and server as separate processes, a fresh database.
const db = await createBenchDatabase(DB_URL);
const stopWatchingBackends = watchBackends(DB_URL, new URL(db.url).pathname.slice(1));
dropDatabase = () => db.drop();
const benchPassword = randomBytes(18).toString('base64url');
/** A token for the socket.io handshake when the server has logins (POST /api/login), else none. */
async function login(): Promise<string | undefined> {
  const res = await fetch(`${serverUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench-supervisor', password: benchPassword }),
  }).catch(() => null);
  if (!res?.ok) return undefined;
  const session = (await res.json().catch(() => ({}))) as { token?: unknown };
  return typeof session.token === 'string' ? session.token : undefined;
}
const serverPort = await freePort();
const gatewayPort = await freePort();
const gatewayId = `gw-bench-${runId}`;
const server = launch('server', 'server/src/main.ts', {
  PORT: String(serverPort),
  HOST: '127.0.0.1',
  DATABASE_URL: db.url,
  MQTT_URL: broker.url,
  INSTANCE_ID: `bench-${runId}`,
  LOG_LEVEL: 'warn',
  // For a server whose socket.io asks for a login: its first supervisor (ignored by one that does not).
  SUPERVISOR_USERNAME: 'bench-supervisor',
  SUPERVISOR_PASSWORD: benchPassword,
});
const serverUrl = `http://127.0.0.1:${serverPort}`;
await waitFor('the server', async () => (await fetch(`${serverUrl}/health`)).ok, 180_000);
const gateway = launch('gateway', 'edge-gateway/src/main.ts', {
  MQTT_URL: broker.url,
  GATEWAY_ID: gatewayId,
  GATEWAY_QUEUE_DIR: join(work, 'queue'),
  GATEWAY_HTTP_PORT: String(gatewayPort),
  GATEWAY_HTTP_HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
});
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
await waitFor('the edge gateway', async () => (await fetch(`${gatewayUrl}/health`)).ok, 60_000);

const seen = new Map<number, { updates: number; c: number[]; t: number[]; head: number }>();
for (const v of vessels) seen.set(v.mmsi, { updates: 0, c: [], t: [], head: 0 });
let delivered = 0;
let unmatched = 0;
let latestWin: Latencies | null = null;
let everyWin: Latencies | null = null;
let alertsRaised = 0;
const socket: Socket = io(serverUrl, { transports: ['websocket'], auth: { token: await login() } });
const onTracks = (tracks: Track[]) => {
  const at = performance.now();
  for (const t of tracks) {
    if (t.mmsi === null) continue;
    const s = seen.get(t.mmsi);
    if (!s || t.updates <= s.updates) continue;
    delivered += t.updates - s.updates;
    s.updates = t.updates;
    let matched = false;
    while (s.head < s.c.length && s.c[s.head]! <= t.lastSeenMs) {
      record(everyWin, s.t[s.head]!, at);
      if (s.c[s.head] === t.lastSeenMs) {
        record(latestWin, s.t[s.head]!, at);
        matched = true;
      }
      s.head++;
    }
    if (!matched) unmatched++;
    if (s.head > 4_096) {
      s.c.splice(0, s.head);
      s.t.splice(0, s.head);
      s.head = 0;
    }
  }
};
const frames = new TrackFrameReader();
let unknownRecords = 0;
socket.on('tracks:snapshot', (frame: unknown) => onTracks(frames.snapshot(frame).tracks));
socket.on('tracks:removed', (ids: TrackId[]) => frames.removed(ids));
let lastBatchAt = 0;
let batchGaps: number[] | null = null;
socket.on('tracks:updated', (frame: unknown) => {
  const at = performance.now();
  if (batchGaps && lastBatchAt) batchGaps.push(at - lastBatchAt);
  lastBatchAt = at;
  const { tracks, unknown } = frames.update(frame);
  unknownRecords += unknown.length;
  onTracks(tracks);
});
socket.on('alert:raised', () => void alertsRaised++);
await new Promise<void>((resolve, reject) => {
  socket.once('connect', () => resolve());
  socket.once('connect_error', reject);
});

const pub = await RawPublisher.connect(broker.url, `bench-pub-${runId}`);
// What the reference published is not Seawall's to deliver.
sentences = 0;
const seawallTarget: Target = {
  delivered: () => delivered,
  setWindow: (l, e) => {
    latestWin = l;
    everyWin = e;
    if (l) {
      batchGaps = [];
      lastBatchAt = 0;
    }
    else if (batchGaps) {
      console.log(`    batches every p50 ${ms(percentile(batchGaps, 50))}, p99 ${ms(percentile(batchGaps, 99))}, max ${ms(Math.max(...batchGaps))}`);
      batchGaps = null;
    }
  },
  onPublish: (v, c, _payload, at) => {
    const s = seen.get(v.mmsi)!;
    s.c.push(c);
    s.t.push(at);
  },
};
// Warm-up: until the gateway's and the server's subscriptions are in place, a message may find no subscriber;
// probe one vessel until its observation reaches the socket, then give every vessel a track.
await waitFor(
  'the first observation on the socket',
  () => {
    if (delivered > 0) return true;
    const probe = nextBatch(1, Date.now(), (v, c, p) => seawallTarget.onPublish!(v, c, p, performance.now()));
    pub.publish(probe.topics, probe.payloads);
    return false;
  },
  30_000,
);
const warm = nextBatch(vessels.length, Date.now(), (v, c, p) => seawallTarget.onPublish!(v, c, p, performance.now()));
pub.publish(warm.topics, warm.payloads);
await waitFor('every vessel on the socket', () => [...seen.values()].every((s) => s.updates > 0), 30_000).catch(async (err: unknown) => {
  const missing = vessels.filter((v) => seen.get(v.mmsi)!.updates === 0);
  console.error(`${missing.length} vessels missing, e.g. ${missing.slice(0, 3).map((v) => v.mmsi).join(', ')}; delivered ${delivered}, published ${sentences}`);
  console.error(await (await fetch(`${gatewayUrl}/metrics`)).text().then((t) => t.split('\n').filter((l) => l.startsWith('seawall_gateway_') && !l.includes('process') && !l.includes('nodejs')).join('\n')));
  throw err;
});
const basePublished = sentences;
const baseDelivered = delivered;
console.log(`seawall: ${vessels.length} tracks on the socket; gateway ${gatewayUrl}, server ${serverUrl}, database ${db.url.replace(/\/\/[^@]*@/, '//')}`);

const seawall = await ladder(pub, seawallTarget, args.rates, args.stepSeconds, 'seawall');

// Nothing lost: every observation published after the warm-up reached the socket, and every one the server
// applied is a row in track_history.
await waitFor('the socket to catch up', () => delivered - baseDelivered >= sentences - basePublished, 60_000).catch(() => undefined);
const publishedTotal = sentences;
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const pgVersion = (await client.query<{ v: string }>(`SELECT current_setting('server_version') || ', PostGIS ' || postgis_lib_version() AS v`)).rows[0]!.v;
let rows = 0;
let distinctObs = 0;
await waitFor(
  'track_history to hold every observation',
  async () => {
    const r = await client.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT obs_id)::int AS d FROM track_history');
    rows = r.rows[0]!.n;
    distinctObs = r.rows[0]!.d;
    return rows >= delivered;
  },
  60_000,
).catch(() => undefined);
await client.end();
await stopWatchingBackends();
const gwMetrics = await metricsOf(`${gatewayUrl}/metrics`);
const srvMetrics = await metricsOf(`${serverUrl}/metrics`);
const lostAfterWarmup = sentences - basePublished - (delivered - baseDelivered);
const accounting = {
  published: publishedTotal,
  messages: pub.published,
  acknowledged: pub.acknowledged,
  delivered,
  rows,
  distinctObs,
  lostAfterWarmup,
  unmatched,
  alertsRaised,
  gatewayObservations: gwMetrics.get('seawall_gateway_observations_published_total') ?? 0,
  gatewayIgnored: gwMetrics.get('seawall_gateway_inputs_ignored_total') ?? 0,
  gatewayDeadLetters: gwMetrics.get('seawall_gateway_dead_letters_total') ?? 0,
  serverDuplicates: srvMetrics.get('seawall_server_observations_duplicate_total') ?? 0,
  serverRejected: srvMetrics.get('seawall_server_observations_rejected_total') ?? 0,
  historyDropped: srvMetrics.get('seawall_server_history_rows_dropped_total') ?? 0,
};
console.log('accounting:', accounting);

stopping = true;
socket.close();
await pub.close();
await stopChild(gateway);
await stopChild(server);
for (const c of children) await stopChild(c);
await db.drop();
rmSync(work, { recursive: true, force: true });

const nothingLost =
  lostAfterWarmup === 0 && rows === delivered && distinctObs === rows && delivered === publishedTotal && accounting.historyDropped === 0 && accounting.gatewayDeadLetters === 0;
const best = (steps: StepResult[]) => steps.filter((s) => s.sustained).reduce<StepResult | null>((b, s) => (!b || s.rate > b.rate ? s : b), null);
const refBest = best(reference.steps);
const swBest = best(seawall.steps);
const section = renderSection();
process.stdout.write(`\n${section}`);
if (args.record) {
  recordResults(section);
  console.log(`recorded in ${RESULTS}`);
}
process.exit(0);

// ---- helpers -----------------------------------------------------------------------------------------------
/** A fresh database `seawall_bench_<hex>` on the PostgreSQL server at `serverUrl`; the server creates the schema. */
async function createBenchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `seawall_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

function emptyStep(): StepResult {
  return { label: '', rate: 0, seconds: 0, published: 0, deliveredRate: NaN, drainMs: null, sustained: false, aborted: false, p50: NaN, p99: NaN, samples: 0, cpu: {} };
}
function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
function ms(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n)} ms`;
}

function parseArgs(argv: string[]) {
  const out = {
    rates: [10_000, 12_500, 15_000, 17_500, 20_000, 22_500, 25_000, 30_000, 35_000, 40_000],
    refRates: [10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000, 100_000],
    stepSeconds: 15,
    refStepSeconds: 10,
    latencyRate: 10_000,
    latencySeconds: 30,
    vessels: Infinity,
    fixtures: join(REPO, '../shared/fixtures/ais'),
    profile: false,
    quietWaitS: 120,
    nice: 0,
    /** Lines that replace or add to the deployment's Mosquitto configuration (`--broker-conf 'max_inflight_messages 100'`). */
    brokerConf: [] as string[],
    profileDir: join(tmpdir(), 'seawall-bench-pipeline-profiles'),
    skipReference: false,
    record: true,
    /** Most sentences a receiver forwards in one MQTT message (one tick's worth); 1: a message per sentence. */
    lines: 50,
  };
  const list = (s: string | undefined) => (s ?? '').split(',').map(Number).filter((n) => n > 0);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rates') out.rates = list(argv[++i]);
    else if (a === '--ref-rates') out.refRates = list(argv[++i]);
    else if (a === '--step-seconds') out.stepSeconds = Number(argv[++i]);
    else if (a === '--ref-step-seconds') out.refStepSeconds = Number(argv[++i]);
    else if (a === '--latency-rate') out.latencyRate = Number(argv[++i]);
    else if (a === '--latency-seconds') out.latencySeconds = Number(argv[++i]);
    else if (a === '--vessels') out.vessels = Number(argv[++i]);
    else if (a === '--fixtures') out.fixtures = argv[++i]!;
    else if (a === '--profile') out.profile = true;
    else if (a === '--quiet-wait') out.quietWaitS = Number(argv[++i]);
    else if (a === '--nice') out.nice = Number(argv[++i]);
    else if (a === '--broker-conf') out.brokerConf.push(argv[++i]!);
    else if (a === '--profile-dir') out.profileDir = argv[++i]!;
    else if (a === '--skip-reference') out.skipReference = true;
    else if (a === '--no-record') out.record = false;
    else if (a === '--lines') out.lines = Math.max(1, Number(argv[++i]));
    else {
      console.error(`unknown argument ${a}\nusage: npx tsx bench/pipeline/run.ts [--rates R,R,...] [--ref-rates R,R,...] [--step-seconds S] [--ref-step-seconds S] [--latency-rate R] [--latency-seconds S] [--vessels N] [--broker-conf LINE] [--quiet-wait S] [--nice N] [--skip-reference] [--profile [--profile-dir D]] [--fixtures DIR] [--lines N] [--no-record]`);
      process.exit(2);
    }
  }
  return out;
}

function renderSection(): string {
  const cpu = cpus();
  const argText = process.argv.slice(2).filter((a) => a !== '--no-record').join(' ');
  const stepRow = (label: string, s: StepResult, every: boolean) =>
    `| ${label} | ${fmt(s.rate)} | ${fmt(s.deliveredRate)} | ${s.drainMs === null ? 'never' : `${Math.round(s.drainMs)} ms`} | ${ms(s.p50)} | ${ms(s.p99)} | ${
      every ? `${ms(s.everyP50 ?? NaN)} / ${ms(s.everyP99 ?? NaN)}` : '–'
    } | ${s.sustained ? 'yes' : s.aborted ? 'no (falling behind, stopped)' : 'no'} | ${cpuText(s.cpu)} |`;
  const cpuText = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, v]) => v >= 0.005)
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(', ');
  const rateRatio = swBest && refBest ? swBest.deliveredRate / refBest.deliveredRate : NaN;
  const p99Ratio = seawall.latency.p99 / reference.latency.p99;
  const meets20k = swBest !== null && swBest.rate >= 20_000 && nothingLost;
  const meetsP99 = seawall.latency.p99 < 250 && seawall.latency.sustained;
  const ceiling = (steps: StepResult[], best: StepResult | null) => (best && steps[steps.length - 1] === best ? 'at least ' : '');
  const perObs = swBest
    ? Object.entries(swBest.cpu)
        .filter(([k]) => k !== 'other')
        .map(([k, c]) => `${k} ${Math.round((c / swBest.deliveredRate) * 1e6)}`)
        .join(', ')
    : '';
  return `## pipeline

Sustained observations per second from raw MQTT publish through the edge gateway, the server and PostGIS to a
socket.io client, and the latency from publish to socket receipt, against Mosquitto's own publish → subscribe of
the same payloads on the same broker in the same run.

- command: \`npm run bench:pipeline${argText ? ` -- ${argText}` : ''}\` (\`npx tsx bench/pipeline/run.ts\`; PostgreSQL from \`BENCH_DATABASE_URL\`, default \`postgres://postgres@127.0.0.1:5432/test\`)
- date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC
- machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, Mosquitto ${mosquittoVersion()}, PostgreSQL ${pgVersion}; load average ${loadAtStart.toFixed(2)} at start, ${busyAtStart.toFixed(2)} cores busy just before
- broker: a Mosquitto of the run's own with the deployment's \`server/deploy/mosquitto/mosquitto.conf\` (${broker.conf.join(', ')}), on loopback
- processes: server (\`node --import tsx server/src/main.ts\`, fresh database, defaults otherwise) and edge gateway
  (\`edge-gateway/src/main.ts\`) each in its own process, as deployed (the gateway sends the observations one turn of its
  input yielded as one \`obs/v1\` message per sensor: a JSON array when there are several); the load generator (a minimal QoS 1 MQTT
  publisher, paced every ${TICK_MS} ms) and the receiving clients share the benchmark's process; everything on the same ${cpu.length} cores
- load: ${fmt(vessels.length)} vessels, one per distinct MMSI of the ${fmt(load.reports)} single-sentence position reports (types 1, 2, 3, 18)
  in shared/fixtures/ais, over ${RECEIVERS} receivers, each forwarding the sentences of one ${TICK_MS} ms tick as one MQTT message of up to ${args.lines}
  lines (as a receiver's TCP-to-MQTT bridge forwards what one read gave it; \`--lines 1\`: a message per sentence); each sentence is a vessel's recorded report with its position moved on by
  dead reckoning, its UTC second and communication state advanced and a tag block \`c:\` of the publish time in ms
  (every other bit as recorded, checked against the gateway's decoder), round robin, so at 10,000/s each vessel reports every
  ${Math.round((vessels.length / 10_000) * 1000)} ms
- reference: the same messages to an mqtt.js subscriber at QoS 1 (as the gateway subscribes); rates in sentences, latency per message
- seawall: a socket.io client; a track's \`updates\` counts the observations that reached it, its \`lastSeenMs\` names
  the newest. Latency: from the publish of the message a received track update shows to its receipt (per track update);
  "every obs" takes every observation to the first batch that carried it or a newer state. The server pushes
  changed tracks at most every 250 ms (\`TRACK_PUSH_INTERVAL_MS\`), which bounds both
- sustained: at least ${KEEP_UP * 100} % of the rate arrives over the step (its first seconds left out) and all of it within
  ${DRAIN_OK_MS / 1000} s after publishing stops; steps climb until one is not sustained. The machine is shared: each step
  starts when other work takes less than ${QUIET_CORES} cores (waiting ${args.quietWaitS} s at most), and a step it disturbed (more
  than ${DISTURBED} cores of it while the machine was saturated) is run again, twice at most, the least disturbed run counting${args.nice !== 0 ? `; the run's processes (and its database backends) ran at nice ${args.nice}` : ''}. CPU: cores used over the step by each process (/proc; postgres: the backends of the run's database;
  the load generator's including its clients); other: the rest of the machine, i.e. other sessions' work

| | rate offered /s | arrived /s | drained after | p50 | p99 | every obs p50 / p99 | sustained | CPU cores |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
${reference.latencyDisturbed.map((s) => stepRow(`reference at ${fmt(args.latencyRate)}/s, ${args.latencySeconds} s (disturbed by other work, run again)`, s, false) + '\n').join('')}${stepRow(`reference at ${fmt(args.latencyRate)}/s, ${args.latencySeconds} s`, reference.latency, false)}
${reference.steps.map((s) => stepRow(s.label, s, false)).join('\n')}
${seawall.latencyDisturbed.map((s) => stepRow(`seawall at ${fmt(args.latencyRate)}/s, ${args.latencySeconds} s (disturbed by other work, run again)`, s, true) + '\n').join('')}${stepRow(`seawall at ${fmt(args.latencyRate)}/s, ${args.latencySeconds} s`, seawall.latency, true)}
${seawall.steps.map((s) => stepRow(s.label, s, true)).join('\n')}

Nothing lost: ${fmt(accounting.published)} sentences published in ${fmt(accounting.messages)} messages (${fmt(accounting.acknowledged)} acknowledged by the broker),
${fmt(accounting.gatewayObservations)} observations out of the gateway (${fmt(accounting.gatewayIgnored)} inputs ignored, ${fmt(accounting.gatewayDeadLetters)} dead letters),
${fmt(accounting.delivered)} counted on the socket, ${fmt(accounting.rows)} rows in track_history (${fmt(accounting.distinctObs)} distinct observation ids);
server duplicates dropped ${fmt(accounting.serverDuplicates)}, history rows dropped ${fmt(accounting.historyDropped)}: **${nothingLost ? 'none lost' : 'LOSS'}**.

**seawall / mosquitto: ${Number.isFinite(rateRatio) ? `${rateRatio.toFixed(2)}x` : 'n/a'}** in sustained rate (${swBest ? `${ceiling(seawall.steps, swBest)}${fmt(swBest.deliveredRate)}` : 'none'} against ${
    refBest ? `${ceiling(reference.steps, refBest)}${fmt(refBest.deliveredRate)}` : 'none'
  } sentences/s, the highest rates sustained); at ${fmt(args.latencyRate)}/s p99 ${ms(seawall.latency.p99)} against ${ms(reference.latency.p99)}
(${Number.isFinite(p99Ratio) ? `${p99Ratio.toFixed(0)}x` : 'n/a'}), p50 ${ms(seawall.latency.p50)} against ${ms(reference.latency.p50)}.
${swBest ? `CPU per observation at ${fmt(swBest.rate)}/s, in µs: ${perObs}.
` : ''}Targets: at least 20,000 observations/s sustained with nothing lost (${meets20k ? 'met' : 'NOT met'}), p99 under 250 ms at 10,000/s (${meetsP99 ? 'met' : 'NOT met'}).
`;
}

function mosquittoVersion(): string {
  const r = spawnSync(MOSQUITTO!, ['-h'], { encoding: 'utf8' });
  return /mosquitto version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1] ?? 'unknown';
}

function recordResults(section: string): void {
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmark results\n';
  const start = text.indexOf('\n## pipeline\n');
  if (start >= 0) {
    const next = text.indexOf('\n## ', start + 1);
    text = text.slice(0, start + 1) + section + (next >= 0 ? text.slice(next) : '');
  } else {
    text = `${text.trimEnd()}\n\n${section}`;
  }
  writeFileSync(RESULTS, text);
}
