import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRACK_PUSH_INTERVAL_MS, type Track, type TrackId, type UnitId } from '@seawall/contracts';
import { AuthService, type Principal } from '../auth/auth-service';
import { createServerMetrics, type ServerMetrics } from '../metrics';
import { migrate } from '../store/migrate';
import { MEMORY, openPgliteDb } from '../store/pglite-db';
import { saveUnit } from '../store/unit-store';
import type { Db } from '../store/db';
import { backlogBytes } from './socket-backlog';
import { attachTrackBroadcaster, type BroadcastTuning, type TrackBroadcaster } from './track-broadcaster';

const PASSWORD = 'a long test password';

function track(n: number, updates: number): Track {
  return {
    id: `ais:${412_000_000 + n}` as TrackId,
    kind: 'ais',
    state: 'active',
    lon: 110 + n / 100_000,
    lat: 19,
    sogKn: 10,
    cogDeg: 90,
    headingDeg: 90,
    mmsi: 412_000_000 + n,
    // Padding, so that a few batches fill the kernel's socket buffers in the slow-client test.
    name: `VESSEL ${n} ${'X'.repeat(200)}`,
    callsign: null,
    shipType: null,
    destination: null,
    ring: null,
    level: null,
    sources: ['rx-1'],
    firstSeenMs: 1_000,
    lastSeenMs: 1_000 + updates,
    updates,
  };
}

interface Harness {
  http: HttpServer;
  url: string;
  broadcaster: TrackBroadcaster;
  metrics: ServerMetrics;
  tracks: Map<TrackId, Track>;
  /** Changes every track (the next state of each) and tells the broadcaster. */
  moveAll(): void;
  close(): Promise<void>;
}

let db: Db;
let auth: AuthService;
const tokens: Record<'operator' | 'unit', string> = { operator: '', unit: '' };
/** The unit crew may see these tracks only. */
const UNIT_TRACKS = new Set([`ais:${412_000_000 + 3}`, `ais:${412_000_000 + 7}`] as TrackId[]);

beforeAll(async () => {
  db = await openPgliteDb(MEMORY);
  await migrate(db);
  auth = await AuthService.start(db, { tokenTtlS: 3_600, firstSupervisor: { username: 'sup', password: undefined } }, pino({ level: 'silent' }));
  await auth.createUser({ username: 'op', password: PASSWORD, role: 'operator' });
  await saveUnit(db, { id: 'boat-1' as UnitId, name: 'Boat 1', kind: 'patrol-boat', capabilities: ['sea'], status: 'available', homeBase: null, speedKn: 25, lon: null, lat: null, positionAtMs: null });
  await auth.createUser({ username: 'crew', password: PASSWORD, role: 'unit', unitId: 'boat-1' as UnitId });
  tokens.operator = (await auth.login('op', PASSWORD, Date.now()))!.token;
  tokens.unit = (await auth.login('crew', PASSWORD, Date.now()))!.token;
}, 240_000);
afterAll(async () => {
  await db?.close();
});

let harness: Harness | undefined;
const clients: ClientSocket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await harness?.close();
  harness = undefined;
});

async function start(count: number, tuning: BroadcastTuning = {}): Promise<Harness> {
  const http = createServer();
  const metrics = createServerMetrics();
  const tracks = new Map<TrackId, Track>();
  for (let n = 0; n < count; n++) tracks.set(track(n, 1).id, track(n, 1));
  const visibleTo = (p: Principal): ReadonlySet<TrackId> => (p.unitId ? UNIT_TRACKS : new Set());
  const broadcaster = attachTrackBroadcaster(http, () => [...tracks.values()], metrics, pino({ level: 'silent' }), { auth, now: Date.now, visibleTo }, {}, tuning);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  harness = {
    http,
    url,
    broadcaster,
    metrics,
    tracks,
    moveAll() {
      for (const t of tracks.values()) {
        const next = { ...t, updates: t.updates + 1, lastSeenMs: t.lastSeenMs + 1 };
        tracks.set(t.id, next);
        broadcaster.trackChanged(next);
      }
    },
    async close() {
      await broadcaster.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return harness;
}

/** Every track event the client receives, in order. */
function connect(url: string, token: string): { socket: ClientSocket; events: { name: string; tracks: Track[] }[] } {
  const socket = connectClient(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  clients.push(socket);
  const events: { name: string; tracks: Track[] }[] = [];
  socket.on('tracks:snapshot', (tracks) => events.push({ name: 'snapshot', tracks }));
  socket.on('tracks:updated', (tracks) => events.push({ name: 'updated', tracks }));
  return { socket, events };
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function counter(metrics: ServerMetrics, name: string): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)!.get();
  return m.values.reduce((s, v) => s + v.value, 0);
}

describe('track broadcaster', () => {
  it('operators connecting together get one snapshot encoded once, and no batch before it', async () => {
    // Long enough for all five to connect on a loaded machine.
    const h = await start(50, { snapshotGatherMs: 2_000 });
    h.moveAll();
    const ops = Array.from({ length: 5 }, () => connect(h.url, tokens.operator));
    await until('every snapshot', () => ops.every((c) => c.events.some((e) => e.name === 'snapshot')));
    expect(await counter(h.metrics, 'seawall_server_track_snapshots_encoded_total')).toBe(1);
    expect(await counter(h.metrics, 'seawall_server_track_snapshots_sent_total')).toBe(5);
    h.moveAll();
    await until('a batch after the snapshot', () => ops.every((c) => c.events.some((e) => e.name === 'updated')));
    for (const c of ops) {
      expect(c.events[0]!.name).toBe('snapshot');
      expect(c.events[0]!.tracks).toHaveLength(50);
      // The snapshot holds the latest state of everything, so whatever follows is newer or the same.
      const last = c.events.at(-1)!;
      expect(last.tracks.every((t) => t.updates === 3)).toBe(true);
    }
  });

  it('a unit crew gets only the tracks its orders let it see, in its snapshot and in every batch', async () => {
    const h = await start(20);
    const crew = connect(h.url, tokens.unit);
    await until('the snapshot', () => crew.events.length > 0);
    h.moveAll();
    await until('a batch', () => crew.events.some((e) => e.name === 'updated'));
    h.moveAll();
    await new Promise((r) => setTimeout(r, TRACK_PUSH_INTERVAL_MS * 2));
    for (const e of crew.events) expect(new Set(e.tracks.map((t) => t.id))).toEqual(UNIT_TRACKS);
  });

  it('tracks:resync asked by many at once is answered with one shared snapshot', async () => {
    const h = await start(10, { snapshotGatherMs: 1_000 });
    const ops = Array.from({ length: 3 }, () => connect(h.url, tokens.operator));
    await until('every snapshot', () => ops.every((c) => c.events.length === 1));
    const before = await counter(h.metrics, 'seawall_server_track_snapshots_encoded_total');
    for (const c of ops) c.socket.emit('tracks:resync');
    await until('every second snapshot', () => ops.every((c) => c.events.filter((e) => e.name === 'snapshot').length === 2));
    expect(await counter(h.metrics, 'seawall_server_track_snapshots_encoded_total')).toBe(before + 1);
  });

  it('a client that stops reading is skipped, without holding more than the bound, and gets the latest state once it reads again', async () => {
    const bound = 2 * 1024 * 1024;
    const h = await start(5_000, { backlogMaxBytes: bound, backlogResumeBytes: 64 * 1024 });
    const slow = connect(h.url, tokens.operator);
    const fast = connect(h.url, tokens.operator);
    await until('both snapshots', () => slow.events.length > 0 && fast.events.length > 0);
    // The slow client's network stops: nothing more is read from its TCP connection.
    const tcp = (slow.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    tcp.pause();
    const skipped = () => counter(h.metrics, 'seawall_server_track_batches_skipped_total');
    let rounds = 0;
    while ((await skipped()) < 3) {
      if (++rounds > 100) throw new Error('the slow client was never skipped');
      h.moveAll();
      await new Promise((r) => setTimeout(r, TRACK_PUSH_INTERVAL_MS));
    }
    expect(await counter(h.metrics, 'seawall_server_sockets_fell_behind_total')).toBe(1);
    const sockets = [...h.broadcaster.io.of('/').sockets.values()];
    const held = Math.max(...sockets.map(backlogBytes));
    // At most one batch (of about 1.2 MB here) past the bound: the one that crossed it.
    expect(held).toBeGreaterThan(bound);
    expect(held).toBeLessThan(bound + 2 * 1024 * 1024);
    const latest = h.tracks.get(track(0, 0).id)!.updates;
    tcp.resume();
    await until('a snapshot after catching up', () => slow.events.filter((e) => e.name === 'snapshot').length === 2, 20_000);
    const resync = slow.events.findLast((e) => e.name === 'snapshot')!;
    expect(resync.tracks.find((t) => t.id === track(0, 0).id)!.updates).toBe(latest);
    expect(fast.events.length - 1, 'the fast client got every batch').toBe(await counter(h.metrics, "seawall_server_track_batches_pushed_total"));
  }, 60_000);
});
