// One process of the load benchmark's socket.io clients, forked by run.ts (which runs two of them, so that the
// clients use both cores as the server does). Each client is a real socket.io-client connection (websocket,
// `auth: { token }`) that measures, for every track state it receives, the latency from the observation time
// (`lastSeenMs`, the observedAtMs of the track's newest observation) to receipt, and counts the states it gets.
//
// A console parses every batch into objects; 200 of them doing that on the 2 cores the server needs would
// measure the clients, not the server. So by default (`decode: 'scan'`) the client's transport reads only what the
// benchmark needs from a `tracks:*` packet (each track's mmsi, lastSeenMs and updates, found by key in the JSON
// bytes, never decoded to a string); every other packet is decoded as engine.io-client and socket.io-parser
// decode it. The operators all get the same packet, so a process scans a packet once and compares every other
// client's copy with it whole (Buffer.equals). The first batches of every client are also parsed with JSON.parse
// and compared. `decode: 'json'` parses every batch as a browser would.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { NodeWebSocket } from 'engine.io-client';
import { io, type Socket } from 'socket.io-client';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { LATENCY_BINS, MMSI_BASE, type ClientReport, type ClientSpec, type FromClients, type Role, type ToClients } from './protocol';

/** What the benchmark reads of one `tracks:updated` / `tracks:snapshot` packet. */
interface TrackScan {
  /** Receipt time (epoch ms), taken when the packet's frame was complete. */
  at: number;
  n: number;
  mmsi: Float64Array;
  lastSeenMs: Float64Array;
  updates: Float64Array;
}

const UPDATED = Buffer.from('42["tracks:updated",');
const SNAPSHOT = Buffer.from('42["tracks:snapshot",');
const UPDATES_KEY = Buffer.from('"updates":');
/** Batches per client checked against JSON.parse. */
const CHECK_FRAMES = 2;
let decodeMode: 'scan' | 'json' = 'scan';
/** Packets scanned in the last 2 s, by length. */
const recent = new Map<number, { bytes: Buffer; scan: TrackScan; atMs: number }>();
let checked = 0;
let mismatches = 0;

function readNumber(b: Buffer, at: number): number {
  // A JSON number or null at `at`; the benchmark's values are integers (mmsi, epoch ms, counts).
  if (b[at] === 110 /* n */) return -1;
  let v = 0;
  for (let c = b[at]!; c >= 48 && c <= 57; c = b[++at]!) v = v * 10 + (c - 48);
  return v;
}

function scanTracks(b: Buffer, from: number, at: number): TrackScan {
  // Upper bound on the number of tracks: one "mmsi" key each.
  const cap = Math.max(16, Math.ceil((b.length - from) / 200));
  let mmsi = new Float64Array(cap);
  let lastSeenMs = new Float64Array(cap);
  let updates = new Float64Array(cap);
  let n = 0;
  for (let i = from; ; ) {
    i = b.indexOf('"mmsi":', i);
    if (i < 0) break;
    const m = readNumber(b, i + 7);
    i = b.indexOf('"lastSeenMs":', i) + 13;
    const seen = readNumber(b, i);
    // `updates` follows `lastSeenMs` (the Track's key order), after its digits.
    while (b[i] !== 44 /* , */) i++;
    if (b.compare(UPDATES_KEY, 0, UPDATES_KEY.length, i + 1, i + 1 + UPDATES_KEY.length) !== 0) i = b.indexOf(UPDATES_KEY, i) - 1;
    const u = readNumber(b, i + 11);
    if (n === mmsi.length) {
      const grow = (a: Float64Array) => {
        const g = new Float64Array(a.length * 2);
        g.set(a);
        return g;
      };
      mmsi = grow(mmsi);
      lastSeenMs = grow(lastSeenMs);
      updates = grow(updates);
    }
    mmsi[n] = m;
    lastSeenMs[n] = seen;
    updates[n] = u;
    n++;
  }
  return { at, n, mmsi, lastSeenMs, updates };
}

function fromTracks(tracks: { mmsi: number | null; lastSeenMs: number; updates: number }[], at: number): TrackScan {
  const n = tracks.length;
  const scan: TrackScan = { at, n, mmsi: new Float64Array(n), lastSeenMs: new Float64Array(n), updates: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const t = tracks[i]!;
    scan.mmsi[i] = t.mmsi ?? -1;
    scan.lastSeenMs[i] = t.lastSeenMs;
    scan.updates[i] = t.updates;
  }
  return scan;
}

/** JSON.parse of a `tracks:*` engine.io packet ("4" + socket.io's "2[event, tracks]"), as a console decodes it. */
function parseTracks(bytes: Buffer, at: number): TrackScan {
  return fromTracks((JSON.parse(bytes.toString('utf8', 2)) as [string, Parameters<typeof fromTracks>[0]])[1], at);
}

/** A `tracks:*` packet as read by the transport, handed to the decoder in place of its text. */
class TracksPacket {
  constructor(
    readonly event: 'tracks:updated' | 'tracks:snapshot',
    readonly scan: TrackScan,
  ) {}
}

/**
 * Reads `tracks:*` packets from the websocket's bytes: ws's 'message' event gives them as a Buffer, and
 * turning 200 clients' megabytes a second into strings (as engine.io-client does for every text frame) would
 * measure the clients' UTF-8 decoding more than the server. Every operator gets the same packet, so a process
 * scans its bytes once and compares each other client's copy with them whole (memcmp). Every other packet
 * takes engine.io-client's way. ws still validates each text frame's UTF-8, as a browser does.
 */
class BenchTransport extends NodeWebSocket {
  private frames = 0;
  override createSocket(uri: string, protocols: string | string[] | undefined, opts: Record<string, unknown>): unknown {
    const ws = super.createSocket(uri, protocols, opts) as import('ws').WebSocket;
    // engine.io-client then sets `onmessage`, which would decode every text frame to a string: ignored here.
    Object.defineProperty(ws, 'onmessage', { get: () => null, set: () => undefined });
    ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    return ws;
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    const prefix = isBinary ? null : startsWith(data, UPDATED) ? UPDATED : startsWith(data, SNAPSHOT) ? SNAPSHOT : null;
    if (!prefix) {
      this.onData(isBinary ? data : data.toString());
      return;
    }
    const at = Date.now();
    let scan: TrackScan;
    if (decodeMode === 'json') scan = parseTracks(data, at);
    else {
      const seen = recent.get(data.length);
      if (seen && seen.bytes.equals(data)) scan = { ...seen.scan, at };
      else {
        scan = scanTracks(data, prefix.length, at);
        recent.set(data.length, { bytes: data, scan, atMs: at });
        for (const [k, r] of recent) if (at - r.atMs > 2_000) recent.delete(k);
      }
      if (prefix === UPDATED && this.frames++ < CHECK_FRAMES) check(data, scan);
    }
    this.onPacket({ type: 'message', data: new TracksPacket(prefix === UPDATED ? 'tracks:updated' : 'tracks:snapshot', scan) as unknown as string });
  }
}

function startsWith(b: Buffer, prefix: Buffer): boolean {
  return b.length > prefix.length && b.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** socket.io-parser's decoder, passing the transport's `tracks:*` packets through as decoded events. */
class BenchDecoder extends Decoder {
  override add(obj: unknown): void {
    if (obj instanceof TracksPacket) {
      this.emitReserved('decoded', { type: PacketType.EVENT, nsp: '/', data: [obj.event, obj.scan] });
      return;
    }
    super.add(obj);
  }
}

function check(packet: Buffer, scan: TrackScan): void {
  checked++;
  const parsed = parseTracks(packet, scan.at);
  let same = parsed.n === scan.n;
  for (let i = 0; same && i < scan.n; i++) {
    same = parsed.mmsi[i] === scan.mmsi[i] && parsed.lastSeenMs[i] === scan.lastSeenMs[i] && parsed.updates[i] === scan.updates[i];
  }
  if (!same) mismatches++;
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
  return { label: spec.label, role: spec.role, delivered: 0, batches: 0, lowestSecond: 0, missing: 0, stale: 0, leaked: 0, disconnects: 0, alerts: 0, events: 0 };
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
              transports: [BenchTransport],
              auth: { token: spec.token },
              forceNew: true,
              // A connection waits behind the snapshots of the others (and the live batches) on a loaded machine.
              timeout: 120_000,
              parser: { Encoder, Decoder: BenchDecoder },
            } as Parameters<typeof io>[1]);
            const c: Client = {
              spec,
              socket,
              last: new Float64Array(tracks).fill(-1),
              received: new Uint16Array(tracks),
              visible: spec.visible ? new Set(spec.visible) : null,
              report: newReport(spec),
              perSecond: new Uint32Array(0),
              snapshot: false,
            };
            clients.push(c);
            const timer = setTimeout(() => reject(new Error(`${spec.label}: no snapshot within 180 s`)), 180_000);
            socket.on('tracks:snapshot', (scan: TrackScan) => {
              onTracks(c, scan, false);
              if (!c.snapshot) {
                c.snapshot = true;
                clearTimeout(timer);
                resolve();
              }
            });
            socket.on('tracks:updated', (scan: TrackScan) => onTracks(c, scan, true));
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
