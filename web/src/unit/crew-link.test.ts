import { TrackFrameEncoder, type ClientToServerEvents, type ServerToClientEvents, type Track, type TrackId } from '@seawall/contracts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrackStore } from '../state/track-store';
import { CrewLink, type CrewLinkHandlers } from './crew-link';
import { testTrack } from '../state/test-track';

/** A live AIS track at `lon` (the state tests' track, see test-track.ts). */
function track(id: string, lon = 109.5, more: Partial<Track> = {}): Track {
  return testTrack(id, { lon, ...more });
}

type CrewServerSocket = ServerSocket<ClientToServerEvents, ServerToClientEvents>;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.unstubAllGlobals();
});

/** A real socket.io server playing the Seawall server, and a crew link to it (which connects to its page's origin). */
async function connect(onConnection: (socket: CrewServerSocket) => void) {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  io.on('connection', onConnection);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  cleanups.push(() => new Promise<void>((r) => io.close(() => r())));
  vi.stubGlobal('location', { protocol: 'http:', host: `127.0.0.1:${port}`, hostname: '127.0.0.1', port: String(port) });
  const store = new TrackStore();
  const applied: string[][] = [];
  const names: (string | null)[] = [];
  const handlers: CrewLinkHandlers = {
    onState: () => undefined,
    onUnauthorized: () => undefined,
    onPendingOrders: () => undefined,
    onOrder: () => undefined,
    onUnits: () => undefined,
    onTracks: (tracks) => {
      applied.push(tracks.map((t) => t.id));
      names.push(...tracks.map((t) => t.name));
    },
  };
  const link = new CrewLink({ token: 't', store, handlers, socketOptions: { forceNew: true, transports: ['websocket'] } });
  link.start();
  cleanups.push(() => link.stop());
  return { store, applied, names };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('CrewLink track frames', () => {
  it('reads the snapshot and deltas as frames, names as literal text, and drops a frame it cannot read', async () => {
    const { store, applied, names } = await connect((socket) => {
      const frames = new TrackFrameEncoder();
      socket.emit('tracks:snapshot', frames.encode([track('ais:1', 109.5, { name: '<img src=x onerror=alert(1)>' })], true));
      const bad = frames.encode([track('ais:1', 109.8)]);
      socket.emit('tracks:updated', bad.subarray(0, bad.length - 1)); // truncated
      socket.emit('tracks:updated', frames.encode([track('ais:1', 110, { name: '"><svg onload=alert(2)>' })]));
      socket.emit('tracks:removed', ['ais:1' as TrackId, 7 as never]);
      socket.emit('tracks:updated', frames.encode([track('ais:2', 110.1)]));
    });
    await until(() => applied.length === 3, 'the snapshot and two good deltas');
    expect(applied).toEqual([['ais:1'], ['ais:1'], ['ais:2']]);
    expect(names).toEqual(['<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', 'HAI XUN 01']);
    expect(store.get('ais:1' as TrackId)).toBeUndefined();
    expect(store.get('ais:2' as TrackId)?.lon).toBe(110.1);
    expect(store.size).toBe(1);
  });

  it('an unreadable snapshot or a delta whose identity it never got asks for a snapshot, once until one is read', async () => {
    let resyncs = 0;
    const { store, applied } = await connect((socket) => {
      const target = track('ais:7', 110, { name: 'TARGET' });
      const missed = new TrackFrameEncoder();
      missed.encode([target]); // the identity went in a frame this crew never got
      const unreadable = new TrackFrameEncoder().encode([target], true).subarray(0, 20);
      socket.emit('tracks:snapshot', unreadable); // asks for another
      socket.emit('tracks:snapshot', unreadable); // not again
      socket.emit('tracks:snapshot', new TrackFrameEncoder().encode([], true)); // read: the next unknown record asks again
      socket.emit('tracks:updated', missed.encode([target]));
      socket.emit('tracks:updated', missed.encode([target]));
      socket.on('tracks:resync', () => {
        resyncs += 1;
        socket.emit('tracks:snapshot', new TrackFrameEncoder().encode([target], true));
        // Without its identity again: now the crew has it from the snapshot.
        socket.emit('tracks:updated', missed.encode([{ ...target, lon: 110.3 }]));
      });
    });
    // Each of the two asks answered: the target's snapshot, then the target moved.
    await until(() => applied.length === 7, 'the answers to both asks');
    await new Promise((r) => setTimeout(r, 100)); // a third ask, were there one, would have reached the server
    expect(resyncs).toBe(2);
    expect(store.get('ais:7' as TrackId)?.name).toBe('TARGET');
    expect(store.get('ais:7' as TrackId)?.lon).toBe(110.3);
    expect(applied).toEqual([[], [], [], ['ais:7'], ['ais:7'], ['ais:7'], ['ais:7']]);
  });
});
