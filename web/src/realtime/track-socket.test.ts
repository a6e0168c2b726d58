import type { ClientToServerEvents, ServerToClientEvents, Track, TrackId } from '@seawall/contracts';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackStore } from '../state/track-store';
import { TrackSocket } from './track-socket';

function track(id: string, lon = 109.5): Track {
  return {
    id: id as TrackId,
    kind: 'ais',
    state: 'active',
    lon,
    lat: 19,
    sogKn: 5,
    cogDeg: 10,
    headingDeg: null,
    mmsi: null,
    name: null,
    callsign: null,
    shipType: null,
    destination: null,
    ring: null,
    level: null,
    sources: [],
    firstSeenMs: 0,
    lastSeenMs: 0,
    updates: 0,
  };
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
      socket.emit('tracks:snapshot', [track('ais:1'), track('ais:2')]);
      socket.emit('tracks:updated', [track('ais:1', 110), track('ais:3')]);
      socket.emit('tracks:removed', ['ais:2' as TrackId]);
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await client.firstSnapshot;
    await until(() => client.stats.batches === 2, 'two delta batches');
    expect(client.state).toBe('live');
    expect(store.list().map((t) => t.id).sort()).toEqual(['ais:1', 'ais:3']);
    expect(store.get('ais:1' as TrackId)?.lon).toBe(110);
  });

  it('on reconnect, the new snapshot replaces the old picture (tracks gone meanwhile disappear)', async () => {
    let connections = 0;
    const server = await startFakeServer((socket) => {
      connections += 1;
      socket.emit('tracks:snapshot', connections === 1 ? [track('ais:1'), track('ais:2')] : [track('ais:2')]);
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
      socket.emit('tracks:updated', [track('ais:early')]);
      socket.on('tracks:resync', () => {
        resyncs += 1;
        socket.emit('tracks:snapshot', [track('ais:1')]);
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
      socket.emit('tracks:snapshot', []);
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

  it('drops malformed tracks in a batch and keeps the valid ones', async () => {
    const server = await startFakeServer((socket) => {
      socket.emit('tracks:snapshot', [track('ais:1'), { id: 'ais:2', lon: 'east' } as unknown as Track]);
    });
    cleanups.push(server.close);
    const store = new TrackStore();
    const client = startClient(server.url, store);
    await client.firstSnapshot;
    expect(store.size).toBe(1);
    expect(client.stats.dropped).toBe(1);
  });
});
