import { TrackFrameEncoder, type ClientToServerEvents, type ServerToClientEvents, type Track, type TrackId } from '@seawall/contracts';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackStore } from '../state/track-store';
import { TrackSocket } from './track-socket';
import { testTrack } from '../state/test-track';

/** A live AIS track at `lon` (the state tests' track, see test-track.ts). */
function track(id: string, lon = 109.5, more: Partial<Track> = {}): Track {
  return testTrack(id, { lon, ...more });
}

/** A delta whose records come without their identity: their encoder sent it before, in a frame the client never got. */
function deltaWithoutIdentity(tracks: Track[]): Uint8Array {
  const frames = new TrackFrameEncoder();
  frames.encode(tracks);
  return frames.encode(tracks);
}

/** A snapshot frame, as the server sends one: every identity, from a fresh encoder. */
function snapshotFrame(tracks: Track[]): Uint8Array {
  return new TrackFrameEncoder().encode(tracks, true);
}

type TrackServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** A real socket.io server on port 0 that plays the Seawall server's part. */
async function startFakeServer(onConnection: (socket: ServerSocket<ClientToServerEvents, ServerToClientEvents>) => void) {
  const http: HttpServer = createServer();
  const io: TrackServer = new Server(http);
  io.on('connection', onConnection);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { io, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => io.close(() => r())) };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startClient(url: string, store: TrackStore, snapshotTimeoutMs = 3_000): TrackSocket {
  const client = new TrackSocket(store, {
    url,
    snapshotTimeoutMs,
    socketOptions: { forceNew: true, transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 100 },
  });
  client.start();
  cleanups.push(() => client.stop());
  return client;
}

describe('TrackSocket', () => {
  it('takes the snapshot on connect, then applies updates and removals', async () => {
    const server = await startFakeServer((socket) => {
      const frames = new TrackFrameEncoder();
      socket.emit('tracks:snapshot', frames.encode([track('ais:1'), track('ais:2')], true));
      socket.emit('tracks:updated', frames.encode([track('ais:1', 110), track('ais:3')]));
      // Same identity as the frame before: this record goes without it, the link has it.
      socket.emit('tracks:updated', frames.encode([track('ais:1', 110.5, { updates: 2 })]));
      socket.emit('tracks:removed', ['ais:2' as TrackId]);
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await client.firstSnapshot;
    await until(() => client.stats.batches === 3, 'three delta batches');
    expect(client.state).toBe('live');
    expect(store.list().map((t) => t.id).sort()).toEqual(['ais:1', 'ais:3']);
    expect(store.get('ais:1' as TrackId)).toMatchObject({ lon: 110.5, updates: 2 });
    expect(client.stats.dropped).toBe(0);
  });

  it('on reconnect, the new snapshot replaces the old picture (tracks gone meanwhile disappear)', async () => {
    let connections = 0;
    const server = await startFakeServer((socket) => {
      connections += 1;
      socket.emit('tracks:snapshot', snapshotFrame(connections === 1 ? [track('ais:1'), track('ais:2')] : [track('ais:2')]));
      if (connections === 1) setTimeout(() => socket.disconnect(true), 20);
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    const states: string[] = [];
    client.onStateChange((s) => states.push(s));
    await until(() => client.stats.snapshots === 2, 'the second snapshot');
    expect(store.list().map((t) => t.id)).toEqual(['ais:2']);
    expect(states).toContain('reconnecting');
    expect(client.state).toBe('live');
  });

  it('ignores deltas that arrive before the snapshot, and asks for a snapshot with tracks:resync when none comes', async () => {
    let resyncs = 0;
    const server = await startFakeServer((socket) => {
      socket.emit('tracks:updated', new TrackFrameEncoder().encode([track('ais:early')]));
      socket.on('tracks:resync', () => {
        resyncs += 1;
        socket.emit('tracks:snapshot', snapshotFrame([track('ais:1')]));
      });
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store, 100);
    await client.firstSnapshot;
    expect(resyncs).toBe(1);
    expect(store.list().map((t) => t.id)).toEqual(['ais:1']);
    expect(client.stats.dropped).toBe(1);
  });

  it("passes the server's other events on to their handlers, and a handler that throws does not stop the others", async () => {
    const server = await startFakeServer((socket) => {
      socket.emit('tracks:snapshot', snapshotFrame([]));
      socket.emit('units:snapshot', [{ id: 'pb-01' }] as never);
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    const seen: unknown[] = [];
    client.on('units:snapshot', () => {
      throw new Error('broken handler');
    });
    client.on('units:snapshot', (payload) => seen.push(payload));
    await until(() => seen.length === 1, 'the units snapshot');
    expect(seen[0]).toEqual([{ id: 'pb-01' }]);
  });

  it('drops a frame that cannot be read whole, counts it, and applies the next good frame', async () => {
    const server = await startFakeServer((socket) => {
      const frames = new TrackFrameEncoder();
      socket.emit('tracks:snapshot', frames.encode([track('ais:1'), track('ais:2')], true));
      const good = frames.encode([track('ais:1', 109.9)]);
      socket.emit('tracks:updated', good.slice(0, good.length - 3)); // truncated
      const otherVersion = good.slice();
      otherVersion[0] = 9;
      socket.emit('tracks:updated', otherVersion);
      // One record outside the contract (lat 95) spoils the frame, the good record beside it included.
      socket.emit('tracks:updated', new TrackFrameEncoder().encode([track('ais:2', 110.2), track('ais:1', 109.9, { lat: 95 })]));
      socket.emit('tracks:updated', [track('ais:1', 109.9)] as never); // JSON, as before frames
      socket.emit('tracks:updated', frames.encode([track('ais:1', 110)]));
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await client.firstSnapshot;
    await until(() => client.stats.batches === 1, 'the good delta');
    expect(client.stats.dropped).toBe(4);
    expect(store.get('ais:1' as TrackId)?.lon).toBe(110);
    expect(store.get('ais:2' as TrackId)?.lon).toBe(109.5);
    expect(store.get('ais:1' as TrackId)?.lat).toBe(19.1);
  });

  it('an unreadable snapshot is dropped and another asked for at once, once', async () => {
    let resyncs = 0;
    const server = await startFakeServer((socket) => {
      const bad = snapshotFrame([track('ais:1')]);
      bad[0] = 2; // another version
      socket.emit('tracks:snapshot', bad);
      socket.on('tracks:resync', () => {
        resyncs += 1;
        // The first answer is unreadable too: no second ask for it (the snapshot timer, 3 s here, would ask later).
        socket.emit('tracks:snapshot', resyncs === 1 ? bad : snapshotFrame([track('ais:1')]));
      });
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    // Well before the snapshot timer's 3 s: the second one is the answer to an ask made at once.
    await until(() => client.stats.dropped === 2, 'two unreadable snapshots', 1_500);
    await new Promise((r) => setTimeout(r, 300));
    expect(resyncs).toBe(1);
    expect(client.state).toBe('syncing');
    await client.firstSnapshot; // the snapshot timer's ask
    expect(resyncs).toBe(2);
    expect(store.list().map((t) => t.id)).toEqual(['ais:1']);
  });

  it('drops records whose identity it never got and asks for a snapshot once until one comes', async () => {
    let resyncs = 0;
    const server = await startFakeServer((socket) => {
      const ghost = track('ais:9', 110, { name: 'GHOST' });
      socket.emit('tracks:snapshot', snapshotFrame([track('ais:1')]));
      const frames = new TrackFrameEncoder();
      socket.emit('tracks:updated', frames.encode([track('ais:1', 109.7)]));
      socket.emit('tracks:updated', deltaWithoutIdentity([ghost]));
      socket.emit('tracks:updated', deltaWithoutIdentity([ghost])); // before the resync's snapshot: no second ask
      socket.on('tracks:resync', () => {
        resyncs += 1;
        socket.emit('tracks:snapshot', snapshotFrame([ghost, track('ais:1', 109.7)]));
        // After that snapshot, a record it cannot place asks again.
        if (resyncs === 1) socket.emit('tracks:updated', deltaWithoutIdentity([track('ais:5')]));
      });
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await until(() => client.stats.snapshots === 3, 'the snapshot of a second resync');
    expect(resyncs).toBe(2);
    expect(client.stats.snapshots).toBe(3);
    expect(client.stats.dropped).toBe(3);
    expect(store.get('ais:9' as TrackId)?.name).toBe('GHOST');
    expect(store.get('ais:1' as TrackId)?.lon).toBe(109.7);
    expect(store.get('ais:5' as TrackId)).toBeUndefined();
  });

  it('hostile names, call signs and destinations come through as literal text', async () => {
    const hostile = { name: '<img src=x onerror=alert(1)>', callsign: '"><script>1</script>', destination: '海口 ${7*7} {{7*7}}' };
    const server = await startFakeServer((socket) => {
      const frames = new TrackFrameEncoder();
      socket.emit('tracks:snapshot', frames.encode([track('ais:1', 109.5, hostile)], true));
      // A changed identity travels again: the new name too.
      socket.emit('tracks:updated', frames.encode([track('ais:1', 109.6, { ...hostile, name: '</div><svg onload=alert(2)>' })]));
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await until(() => client.stats.batches === 1, 'the delta');
    expect(store.get('ais:1' as TrackId)).toMatchObject({ ...hostile, name: '</div><svg onload=alert(2)>', lon: 109.6 });
  });
});
