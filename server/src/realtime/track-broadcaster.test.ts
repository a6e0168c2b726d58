import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRACK_PUSH_INTERVAL_MS, TrackFrameReader, decodeTrackFrame, trackFrameBytes, type Track, type TrackId, type UnitId } from '@seawall/contracts';
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
  /** Moves track `n` on (with `identity` changed, if given), tells the broadcaster, and returns its new state. */
  move(n: number, identity?: Partial<Track>): Track;
  /** Drops track `n` from the picture. */
  remove(n: number): void;
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
    move(n, identity = {}) {
      const id = track(n, 0).id;
      const t = tracks.get(id) ?? track(n, 1);
      const next = { ...t, ...identity, lon: t.lon + 0.001, updates: t.updates + 1, lastSeenMs: t.lastSeenMs + 1_000 };
      tracks.set(id, next);
      broadcaster.trackChanged(next);
      return next;
    },
    remove(n) {
      const id = track(n, 0).id;
      tracks.delete(id);
      broadcaster.tracksRemoved([id]);
    },
    async close() {
      await broadcaster.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  return harness;
}

/** A track event as the client read it: the frame's tracks (with its memory), what it could not place, its bytes. */
interface Received {
  name: 'snapshot' | 'updated' | 'removed';
  tracks: Track[];
  /** Records without an identity of tracks the client never had. */
  unknown: TrackId[];
  /** Removed ids (for `removed`). */
  ids: TrackId[];
  /** The frame as sent (empty for `removed`). */
  frame: Uint8Array;
}

/** Every track event the client receives, in order, read as a console would: one TrackFrameReader per socket. */
function connect(url: string, token: string): { socket: ClientSocket; events: Received[] } {
  const socket = connectClient(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  clients.push(socket);
  const events: Received[] = [];
  const reader = new TrackFrameReader();
  socket.on('tracks:snapshot', (payload: unknown) => events.push({ name: 'snapshot', ...reader.snapshot(payload), ids: [], frame: trackFrameBytes(payload) }));
  socket.on('tracks:updated', (payload: unknown) => events.push({ name: 'updated', ...reader.update(payload), ids: [], frame: trackFrameBytes(payload) }));
  socket.on('tracks:removed', (ids: TrackId[]) => {
    reader.removed(ids);
    events.push({ name: 'removed', tracks: [], unknown: [], ids, frame: new Uint8Array() });
  });
  return { socket, events };
}

/** What a frame says to a receiver that remembers nothing: the records with their identity, and the ids of those without. */
function withoutMemory(frame: Uint8Array): { tracks: Track[]; unknown: TrackId[] } {
  return decodeTrackFrame(frame, new Map());
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
      expect(c.events.flatMap((e) => e.unknown)).toEqual([]);
    }
  });

  it('a unit crew gets only the tracks its orders let it see, in its snapshot and in every batch, each with its identity', async () => {
    const h = await start(20);
    const crew = connect(h.url, tokens.unit);
    const op = connect(h.url, tokens.operator);
    await until('the snapshots', () => crew.events.length > 0 && op.events.length > 0);
    h.moveAll();
    await until('a batch', () => crew.events.some((e) => e.name === 'updated') && op.events.some((e) => e.name === 'updated'));
    h.moveAll();
    await until('a second batch', () => crew.events.filter((e) => e.name === 'updated').length === 2 && op.events.filter((e) => e.name === 'updated').length === 2);
    expect(crew.events.map((e) => e.name)).toEqual(['snapshot', 'updated', 'updated']);
    for (const e of crew.events) {
      expect(new Set(e.tracks.map((t) => t.id))).toEqual(UNIT_TRACKS);
      // The crew's frames are its own, not the operators' stream: each carries every identity.
      expect(withoutMemory(e.frame).tracks.map((t) => t.id).sort()).toEqual([...UNIT_TRACKS].sort());
    }
    // While the operators' second batch leans on their memory.
    expect(withoutMemory(op.events.at(-1)!.frame)).toMatchObject({ tracks: [], unknown: expect.arrayContaining([...UNIT_TRACKS]) });
    expect(await counter(h.metrics, 'seawall_server_track_frame_bytes_total')).toBe(
      [...crew.events, ...op.events].reduce((sum, e) => sum + e.frame.byteLength, 0),
    );
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
    // The first batch carries every identity (about 1.5 MB); the ones after, about 250 kB each.
    h.moveAll();
    await until('the first batch', () => slow.events.length > 1 && fast.events.length > 1);
    // The slow client's network stops: nothing more is read from its TCP connection.
    const tcp = (slow.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    tcp.pause();
    const skipped = () => counter(h.metrics, 'seawall_server_track_batches_skipped_total');
    let rounds = 0;
    while ((await skipped()) < 3) {
      if (++rounds > 200) throw new Error('the slow client was never skipped');
      h.moveAll();
      await new Promise((r) => setTimeout(r, TRACK_PUSH_INTERVAL_MS));
    }
    expect(await counter(h.metrics, 'seawall_server_sockets_fell_behind_total')).toBe(1);
    const sockets = [...h.broadcaster.io.of('/').sockets.values()];
    const held = Math.max(...sockets.map(backlogBytes));
    // At most one batch (of about 250 kB here) past the bound: the one that crossed it.
    expect(held).toBeGreaterThan(bound);
    expect(held).toBeLessThan(bound + 512 * 1024);
    const latest = h.tracks.get(track(0, 0).id)!.updates;
    tcp.resume();
    await until('a snapshot after catching up', () => slow.events.filter((e) => e.name === 'snapshot').length === 2, 20_000);
    const resync = slow.events.findLast((e) => e.name === 'snapshot')!;
    expect(resync.tracks.find((t) => t.id === track(0, 0).id)!.updates).toBe(latest);
    const updates = (c: { events: Received[] }) => c.events.filter((e) => e.name === 'updated').length;
    expect(updates(fast), 'the fast client got every batch').toBe(await counter(h.metrics, 'seawall_server_track_batches_pushed_total'));
    // It missed batches that sent no identity, and reads the next with what its new snapshot told it.
    const slowUpdates = updates(slow);
    h.moveAll();
    await until('a batch after the snapshot', () => updates(slow) > slowUpdates, 20_000);
    const next = slow.events.at(-1)!;
    expect(next.unknown).toEqual([]);
    expect(next.tracks).toHaveLength(5_000);
    expect(withoutMemory(next.frame).unknown).toHaveLength(5_000);
  }, 60_000);
});

describe('track frames to the operators', () => {
  /** The next `updated` event after the first `from` events. */
  const nextUpdate = async (c: { events: Received[] }, from: number): Promise<Received> => {
    await until('a batch', () => c.events.slice(from).some((e) => e.name === 'updated'));
    return c.events.slice(from).find((e) => e.name === 'updated')!;
  };

  it('a batch decodes to exactly the tracks that changed, as they are', async () => {
    const h = await start(10);
    const op = connect(h.url, tokens.operator);
    await until('the snapshot', () => op.events.length === 1);
    const changed = [h.move(2), h.move(5, { destination: 'HAIKOU', callsign: 'BXYZ', sources: ['rx-1', 'radar-2'] })];
    const batch = await nextUpdate(op, 1);
    expect(batch.tracks).toEqual(changed);
    expect(batch.unknown).toEqual([]);
    expect(withoutMemory(batch.frame).tracks, 'new to the stream: with their identity').toEqual(changed);
  });

  it('the next batch of a track whose identity did not change carries no identity: a smaller frame, read with the memory', async () => {
    const h = await start(10);
    const op = connect(h.url, tokens.operator);
    await until('the snapshot', () => op.events.length === 1);
    h.move(2);
    const first = await nextUpdate(op, 1);
    const moved = h.move(2);
    const second = await nextUpdate(op, 2);
    expect(withoutMemory(second.frame)).toEqual({ tracks: [], unknown: [moved.id] });
    expect(second.frame.byteLength).toBeLessThan(first.frame.byteLength / 3);
    expect(second.tracks).toEqual([moved]);
    expect(second.unknown).toEqual([]);
  });

  it('a renamed track\'s identity goes again, once', async () => {
    const h = await start(10);
    const op = connect(h.url, tokens.operator);
    await until('the snapshot', () => op.events.length === 1);
    h.move(2);
    await nextUpdate(op, 1);
    h.move(2);
    await nextUpdate(op, 2);
    const renamed = h.move(2, { name: 'RENAMED', mmsi: 412_999_999 });
    const third = await nextUpdate(op, 3);
    expect(withoutMemory(third.frame).tracks).toEqual([renamed]);
    expect(third.tracks).toEqual([renamed]);
    const again = h.move(2);
    const fourth = await nextUpdate(op, 4);
    expect(withoutMemory(fourth.frame).unknown).toEqual([again.id]);
    expect(fourth.tracks).toEqual([again]);
  });

  it('a track removed and back comes back with its identity: in a later batch, or in the same one', async () => {
    const h = await start(10);
    const op = connect(h.url, tokens.operator);
    await until('the snapshot', () => op.events.length === 1);
    h.move(2);
    h.move(5);
    await nextUpdate(op, 1);
    h.move(2);
    h.move(5);
    await nextUpdate(op, 2);

    h.remove(2);
    await until('the removal', () => op.events.at(-1)!.name === 'removed');
    expect(op.events.at(-1)!.ids).toEqual([track(2, 0).id]);
    const back = h.move(2);
    const later = await nextUpdate(op, op.events.length);
    expect(withoutMemory(later.frame).tracks).toEqual([back]);
    expect(later).toMatchObject({ tracks: [back], unknown: [] });

    const from = op.events.length;
    h.remove(5);
    const backAtOnce = h.move(5);
    const same = await nextUpdate(op, from);
    expect(op.events.slice(from).map((e) => e.name)).toEqual(['removed', 'updated']);
    expect(withoutMemory(same.frame).tracks).toEqual([backAtOnce]);
    expect(same).toMatchObject({ tracks: [backAtOnce], unknown: [] });
  });

  it('an operator who connects after identities went gets them all in its snapshot, and in the one it asks for, and reads the batches after', async () => {
    const h = await start(10);
    const early = connect(h.url, tokens.operator);
    await until('the first snapshot', () => early.events.length === 1);
    h.moveAll();
    await nextUpdate(early, 1);
    h.moveAll();
    await nextUpdate(early, 2);

    const late = connect(h.url, tokens.operator);
    await until('the late snapshot', () => late.events.length === 1);
    expect(late.events[0]!.name).toBe('snapshot');
    expect(withoutMemory(late.events[0]!.frame).tracks).toEqual([...h.tracks.values()]);
    h.moveAll();
    const batch = await nextUpdate(late, 1);
    expect(withoutMemory(batch.frame).unknown, 'the batch leans on the snapshot').toHaveLength(10);
    expect(batch).toMatchObject({ tracks: [...h.tracks.values()], unknown: [] });

    late.socket.emit('tracks:resync');
    await until('the second snapshot', () => late.events.filter((e) => e.name === 'snapshot').length === 2);
    const resync = late.events.findLast((e) => e.name === 'snapshot')!;
    expect(withoutMemory(resync.frame).tracks).toEqual([...h.tracks.values()]);
    h.moveAll();
    const after = await nextUpdate(late, late.events.indexOf(resync) + 1);
    expect(after).toMatchObject({ tracks: [...h.tracks.values()], unknown: [] });
    expect(early.events.flatMap((e) => e.unknown)).toEqual([]);
  });
});
