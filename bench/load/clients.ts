// One process of the load benchmark's socket.io clients, forked by run.ts (which runs two of them, so that the
// clients use both cores as the server does). Each client is a real socket.io-client connection (websocket,
// `auth: { token }`) that measures, for every track state it receives, the latency from the observation time
// (`lastSeenMs`, the observedAtMs of the track's newest observation) to receipt, and counts the states it gets.
//
// Track batches are binary track frames (the contract's track-frame.ts), read with the contract's decoder. The
// operators all get the same frame, so by default (`decode: 'shared'`) a process decodes a frame once and compares
// every other client's copy with it whole (Buffer.equals), keeping one memory of identities for the process; the
// first batches of every client are also decoded by the client's own TrackFrameReader and compared.
// `decode: 'each'` has every client decode every frame with its own reader, as a console does.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { decodeTrackFrame, trackFrameBytes, TrackFrameReader, type Track, type TrackId, type TrackIdentity } from '@seawall/contracts';
import { io, type Socket } from 'socket.io-client';
import { LATENCY_BINS, MMSI_BASE, type ClientReport, type ClientSpec, type FromClients, type Role, type ToClients } from './protocol';

/** What the benchmark reads of one `tracks:updated` / `tracks:snapshot` frame. */
interface TrackScan {
  /** Receipt time (epoch ms). */
  at: number;
  n: number;
  mmsi: Float64Array;
  lastSeenMs: Float64Array;
  updates: Float64Array;
  /** Records whose identity the reader did not have. */
  unknown: number;
}

/** Batches per client decoded by its own reader and compared. */
const CHECK_FRAMES = 2;
let decodeMode: 'shared' | 'each' = 'shared';
/** Frames decoded in the last 2 s, by length. */
const recent = new Map<number, { bytes: Uint8Array; scan: TrackScan; atMs: number }>();
/** The process's memory of identities, for the shared decoding: every operator gets the same stream. */
const sharedIdentities = new Map<TrackId, TrackIdentity>();
let checked = 0;
let mismatches = 0;

function fromTracks(tracks: readonly Track[], unknown: number, at: number): TrackScan {
  const n = tracks.length;
  const scan: TrackScan = { at, n, mmsi: new Float64Array(n), lastSeenMs: new Float64Array(n), updates: new Float64Array(n), unknown };
  for (let i = 0; i < n; i++) {
    const t = tracks[i]!;
    scan.mmsi[i] = t.mmsi ?? -1;
    scan.lastSeenMs[i] = t.lastSeenMs;
    scan.updates[i] = t.updates;
  }
  return scan;
}

function sameScan(a: TrackScan, b: TrackScan): boolean {
  if (a.n !== b.n || a.unknown !== b.unknown) return false;
  for (let i = 0; i < a.n; i++) {
    if (a.mmsi[i] !== b.mmsi[i] || a.lastSeenMs[i] !== b.lastSeenMs[i] || a.updates[i] !== b.updates[i]) return false;
  }
  return true;
}

/**
 * Reads one client's frame. The decoding is shared by the process unless `each`; a client's own reader still takes
 * every snapshot, and its first batches, so that those batches can be checked against the shared decoding.
 */
function readFrame(c: Client, payload: unknown, snapshot: boolean): TrackScan {
  const at = Date.now();
  const bytes = trackFrameBytes(payload);
  if (at >= win.fromMs && at <= win.toMs) c.report.frameBytes += bytes.length;
  const own = () => {
    const d = snapshot ? c.reader.snapshot(bytes) : c.reader.update(bytes);
    return fromTracks(d.tracks, d.unknown.length, at);
  };
  if (decodeMode === 'each') return own();
  if (snapshot) {
    c.reader.snapshot(bytes);
    c.checks = 0;
  }
  const seen = recent.get(bytes.length);
  let scan: TrackScan;
  if (seen && Buffer.from(seen.bytes.buffer, seen.bytes.byteOffset, seen.bytes.byteLength).equals(bytes)) scan = { ...seen.scan, at };
  else {
    const d = decodeTrackFrame(bytes, sharedIdentities);
    scan = fromTracks(d.tracks, d.unknown.length, at);
    recent.set(bytes.length, { bytes, scan, atMs: at });
    for (const [k, r] of recent) if (at - r.atMs > 2_000) recent.delete(k);
  }
  if (!snapshot && c.checks++ < CHECK_FRAMES) {
    checked++;
    if (!sameScan(own(), scan)) mismatches++;
  }
  return scan;
}

interface Client {
  spec: ClientSpec;
  socket: Socket;
  /** Last `updates` seen per vessel index; -1: none yet. */
  last: Float64Array;
  /** Window track states received per vessel index. */
  received: Uint16Array;
  /** Units: which vessel indexes it may see. */
  visible: Set<number> | null;
  report: ClientReport;
  perSecond: Uint32Array;
  snapshot: boolean;
  /** The client's own memory of identities (its snapshot and the batches it decoded itself). */
  reader: TrackFrameReader;
  checks: number;
}

let tracks = 0;
let clients: Client[] = [];
let win = { fromMs: Infinity, toMs: -Infinity };
let seconds = 0;
const latency: Record<Role, Float64Array> = { operator: new Float64Array(LATENCY_BINS), unit: new Float64Array(LATENCY_BINS) };
const loop = monitorEventLoopDelay({ resolution: 10 });

function onTracks(c: Client, scan: TrackScan, isBatch: boolean): void {
  const r = c.report;
  const hist = latency[c.spec.role];
  const inWindow = scan.at >= win.fromMs && scan.at <= win.toMs;
  if (isBatch && inWindow) r.batches++;
  r.unknown += scan.unknown;
  for (let i = 0; i < scan.n; i++) {
    const v = scan.mmsi[i]! - MMSI_BASE;
    if (v < 0 || v >= tracks) continue;
    const u = scan.updates[i]!;
    if (c.visible && !c.visible.has(v)) r.leaked++;
    if (u <= c.last[v]!) {
      // A batch right after the snapshot repeats what the snapshot held: only the window counts.
      if (isBatch && inWindow) r.stale++;
      continue;
    }
    c.last[v] = u;
    if (!isBatch) continue;
    const seen = scan.lastSeenMs[i]!;
    if (seen < win.fromMs || seen > win.toMs) continue;
    c.received[v]!++;
    r.delivered++;
    hist[Math.max(0, Math.min(LATENCY_BINS - 1, scan.at - seen))]!++;
    const sec = Math.floor((scan.at - win.fromMs) / 1000);
    if (sec >= 0 && sec < c.perSecond.length) c.perSecond[sec]!++;
  }
}

function newReport(spec: ClientSpec): ClientReport {
  return { label: spec.label, role: spec.role, delivered: 0, batches: 0, lowestSecond: 0, missing: 0, stale: 0, leaked: 0, unknown: 0, frameBytes: 0, disconnects: 0, alerts: 0, events: 0 };
}

async function connectAll(url: string, specs: ClientSpec[]): Promise<void> {
  const started = Date.now();
  // Ten at a time: every connection gets a snapshot of all tracks first, as a console does.
  for (let k = 0; k < specs.length; k += 10) {
    await Promise.all(
      specs.slice(k, k + 10).map(
        (spec) =>
          new Promise<void>((resolve, reject) => {
            const socket = io(url, {
              transports: ['websocket'],
              auth: { token: spec.token },
              forceNew: true,
              // A connection waits behind the snapshots of the others (and the live batches) on a loaded machine.
              timeout: 120_000,
            });
            const c: Client = {
              spec,
              socket,
              last: new Float64Array(tracks).fill(-1),
              received: new Uint16Array(tracks),
              visible: spec.visible ? new Set(spec.visible) : null,
              report: newReport(spec),
              perSecond: new Uint32Array(0),
              snapshot: false,
              reader: new TrackFrameReader(),
              checks: 0,
            };
            clients.push(c);
            const timer = setTimeout(() => reject(new Error(`${spec.label}: no snapshot within 180 s`)), 180_000);
            socket.on('tracks:snapshot', (frame: unknown) => {
              onTracks(c, readFrame(c, frame, true), false);
              if (!c.snapshot) {
                c.snapshot = true;
                clearTimeout(timer);
                resolve();
              }
            });
            socket.on('tracks:updated', (frame: unknown) => onTracks(c, readFrame(c, frame, false), true));
            socket.on('tracks:removed', (ids: TrackId[]) => c.reader.removed(ids));
            socket.on('alert:raised', () => void c.report.alerts++);
            socket.on('event:recorded', () => void c.report.events++);
            // A unit's client confirms the orders it holds, as the unit page does.
            socket.on('orders:pending', (orders: { id: string }[]) => {
              for (const o of orders) socket.emit('order:received', o.id);
            });
            socket.on('order:updated', (o: { id: string; status: string }) => {
              if (spec.role === 'unit' && o.status === 'sent') socket.emit('order:received', o.id);
            });
            socket.on('disconnect', () => void c.report.disconnects++);
            socket.on('connect_error', (err) => {
              clearTimeout(timer);
              reject(new Error(`${spec.label}: ${err.message}`));
            });
          }),
      ),
    );
  }
  send({ type: 'connected', clients: clients.length, ms: Date.now() - started });
}

function report(expected: number[]): void {
  const out: ClientReport[] = [];
  for (const c of clients) {
    const r = c.report;
    const vs = c.visible ? [...c.visible] : null;
    const count = vs ? vs.length : tracks;
    for (let k = 0; k < count; k++) {
      const v = vs ? vs[k]! : k;
      r.missing += Math.max(0, (expected[v] ?? 0) - c.received[v]!);
    }
    // The first second is left out: it receives only what was observed after the window opened.
    r.lowestSecond = c.perSecond.length > 1 ? Math.min(...c.perSecond.subarray(1)) : 0;
    out.push(r);
  }
  const sparse = (h: Float64Array): [number, number][] => {
    const pairs: [number, number][] = [];
    for (let i = 0; i < h.length; i++) if (h[i]) pairs.push([i, h[i]!]);
    return pairs;
  };
  send({
    type: 'report',
    clients: out,
    latency: { operator: sparse(latency.operator), unit: sparse(latency.unit) },
    checked,
    mismatches,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  });
}

function send(msg: FromClients): void {
  process.send!(msg);
}

process.on('message', (msg: ToClients) => {
  switch (msg.type) {
    case 'connect':
      tracks = msg.tracks;
      decodeMode = msg.decode;
      connectAll(msg.url, msg.clients).catch((err: unknown) => send({ type: 'error', message: String((err as Error).message ?? err) }));
      break;
    case 'window':
      win = { fromMs: msg.fromMs, toMs: msg.toMs };
      seconds = Math.floor((msg.toMs - msg.fromMs) / 1000);
      for (const c of clients) c.perSecond = new Uint32Array(seconds);
      latency.operator.fill(0);
      latency.unit.fill(0);
      loop.reset();
      loop.enable();
      break;
    case 'report':
      loop.disable();
      report(msg.expected);
      break;
    case 'disconnect':
      for (const c of clients) c.socket.disconnect();
      clients = [];
      checked = 0;
      mismatches = 0;
      win = { fromMs: Infinity, toMs: -Infinity };
      send({ type: 'disconnected' });
      break;
  }
});
process.on('disconnect', () => process.exit(0));
// A clean exit, so that `--cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0));
