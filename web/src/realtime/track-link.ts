import {
  TrackFrameError,
  TrackFrameReader,
  type ClientToServerEvents,
  type DecodedTrackFrame,
  type ServerToClientEvents,
} from '@seawall/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { TrackBatchEncoder, batchTransferables, type TrackColumnBatch } from '../state/track-columns';
import type { ConnectionState, TrackLinkMessage, TrackLinkOptions, TrackSocketStats } from './link-protocol';
import { parseTrackIdBatch } from './track-guard';

type LinkSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Hands a message to the page; `transfer` lists the buffers that move with it rather than being copied. */
export type PostLinkMessage = (message: TrackLinkMessage, transfer: ArrayBuffer[]) => void;

/**
 * The socket.io link to the server, where the heavy part of the track traffic is done: each binary track
 * frame is read (the reader checks every value against the contract's bounds) and its tracks are encoded
 * into a {@link TrackColumnBatch} for the page's store. The console runs it in a worker
 * (track-link.worker.ts), so a 50,000-track batch never holds up the page; it runs anywhere socket.io
 * does.
 *
 * On every (re)connect it waits for the server's `tracks:snapshot` and only then passes on
 * `tracks:updated` / `tracks:removed` deltas; if no snapshot arrives in time it asks for one with
 * `tracks:resync`. A frame that cannot be read is dropped whole (an unreadable snapshot asks for another);
 * a delta record of a track whose identity this connection never got is dropped and a snapshot asked for
 * (once until a snapshot is read). Every other server event is passed on
 * as it came. No handler throws out of a socket callback.
 */
export class TrackLink {
  readonly #options: TrackLinkOptions;
  readonly #post: PostLinkMessage;
  readonly #encoder = new TrackBatchEncoder();
  readonly #stats: TrackSocketStats = { snapshots: 0, batches: 0, dropped: 0, lastMessageMs: null };
  #socket: LinkSocket | null = null;
  /** Identities as this connection's frames told them; a new one per connection. */
  #reader = new TrackFrameReader();
  /** A `tracks:resync` for unknown identities or an unreadable snapshot is out: asked once until a snapshot is read. */
  #resyncAsked = false;
  #state: ConnectionState = 'connecting';
  #snapshotTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: TrackLinkOptions, post: PostLinkMessage) {
    this.#options = options;
    this.#post = post;
  }

  /** Open the link (idempotent). */
  start(): void {
    if (this.#socket) return;
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      path: '/socket.io',
      autoConnect: false,
      // WebSocket first: one long-lived connection from the start, no long-polling
      // round trips before the upgrade; long-polling stays as the fallback.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      ...this.#options.socketOptions,
    };
    const socket: LinkSocket = this.#options.url === undefined ? io(socketOptions) : io(this.#options.url, socketOptions);
    this.#socket = socket;

    socket.on('connect', () => this.#guard('connect', () => this.#onConnect()));
    socket.on('disconnect', (reason) => this.#guard('disconnect', () => this.#onDisconnect(reason)));
    socket.on('connect_error', (err) =>
      this.#guard('connect_error', () => {
        if (err.message === 'unauthorized') this.#post({ type: 'unauthorized' }, []);
        this.#setState(this.#stats.snapshots === 0 ? 'connecting' : 'reconnecting');
      }),
    );
    socket.on('tracks:snapshot', (payload) => this.#guard('tracks:snapshot', () => this.#onSnapshot(payload)));
    socket.on('tracks:updated', (payload) => this.#guard('tracks:updated', () => this.#onUpdated(payload)));
    socket.on('tracks:removed', (payload) => this.#guard('tracks:removed', () => this.#onRemoved(payload)));
    socket.onAny((event: string, payload: unknown) => {
      if (event.startsWith('tracks:')) return;
      this.#guard(event, () => this.#post({ type: 'event', event, payload }, []));
    });
    socket.connect();
  }

  /** Close the link for good. */
  stop(): void {
    this.#clearSnapshotTimer();
    this.#socket?.removeAllListeners();
    this.#socket?.offAny();
    this.#socket?.disconnect();
    this.#socket = null;
  }

  #onConnect(): void {
    // The server's frame encoder for this connection starts with no memory of what it sent: neither do we.
    this.#reader = new TrackFrameReader();
    this.#resyncAsked = false;
    this.#setState('syncing');
    this.#armSnapshotTimer();
  }

  #onDisconnect(reason: string): void {
    this.#clearSnapshotTimer();
    this.#setState(this.#stats.snapshots === 0 ? 'connecting' : 'reconnecting');
    // socket.io does not reconnect by itself after the server closed the socket on purpose.
    if (reason === 'io server disconnect') this.#socket?.connect();
  }

  #onSnapshot(payload: unknown): void {
    const startedAt = performance.now();
    const frame = this.#read(() => this.#reader.snapshot(payload));
    if (!frame) {
      // Ask for another, once until a readable one comes (while syncing the snapshot timer asks too).
      this.#askResync();
      return;
    }
    const decodedAt = performance.now();
    this.#resyncAsked = false;
    // A snapshot carries every identity; a record without one is the sender's fault, and asking again would loop.
    const batch = this.#encoder.replace(frame.tracks);
    this.#stats.dropped += frame.unknown.length;
    this.#stats.snapshots += 1;
    this.#stats.lastMessageMs = Date.now();
    this.#clearSnapshotTimer();
    this.#postBatch(batch, startedAt, decodedAt);
    this.#setState('live');
  }

  #onUpdated(payload: unknown): void {
    if (this.#state !== 'live') {
      // The snapshot that is on its way is newer than this delta (not read: the snapshot resets identities).
      this.#stats.dropped += 1;
      this.#postStats();
      return;
    }
    const startedAt = performance.now();
    const frame = this.#read(() => this.#reader.update(payload));
    if (!frame) return;
    const decodedAt = performance.now();
    if (frame.unknown.length > 0) {
      this.#stats.dropped += frame.unknown.length;
      this.#askResync();
    }
    const batch = this.#encoder.upsert(frame.tracks);
    this.#stats.batches += 1;
    this.#stats.lastMessageMs = Date.now();
    this.#postBatch(batch, startedAt, decodedAt);
  }

  #onRemoved(payload: unknown): void {
    if (this.#state !== 'live') return;
    const startedAt = performance.now();
    const { items, dropped } = parseTrackIdBatch(payload);
    this.#reader.removed(items);
    const decodedAt = performance.now();
    const batch = this.#encoder.remove(items);
    this.#stats.dropped += dropped;
    this.#stats.batches += 1;
    this.#stats.lastMessageMs = Date.now();
    this.#postBatch(batch, startedAt, decodedAt);
  }

  /** Reads one frame; an unreadable one is dropped whole and counted as one. */
  #read(decode: () => DecodedTrackFrame): DecodedTrackFrame | null {
    try {
      return decode();
    } catch (error) {
      if (!(error instanceof TrackFrameError)) throw error;
      console.warn(`track frame dropped: ${error.message}`);
      this.#stats.dropped += 1;
      this.#postStats();
      return null;
    }
  }

  #askResync(): void {
    if (this.#resyncAsked || !this.#socket?.connected) return;
    this.#resyncAsked = true;
    this.#socket.emit('tracks:resync');
  }

  /** Buffers of batches the page has applied, for the encoder to reuse (see TrackBatchEncoder.recycle). */
  recycle(buffers: readonly ArrayBuffer[]): void {
    this.#encoder.recycle(buffers);
  }

  #postBatch(batch: TrackColumnBatch, startedAt: number, decodedAt: number): void {
    const work = { decodeMs: decodedAt - startedAt, encodeMs: performance.now() - decodedAt };
    this.#post({ type: 'tracks', batch, stats: { ...this.#stats }, work }, batchTransferables(batch));
  }

  #postStats(): void {
    this.#post({ type: 'stats', stats: { ...this.#stats } }, []);
  }

  #armSnapshotTimer(): void {
    this.#clearSnapshotTimer();
    const timeoutMs = this.#options.snapshotTimeoutMs ?? 3000;
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotTimer = null;
      if (this.#state !== 'syncing' || !this.#socket?.connected) return;
      this.#socket.emit('tracks:resync');
      this.#armSnapshotTimer();
    }, timeoutMs);
  }

  #clearSnapshotTimer(): void {
    if (this.#snapshotTimer !== null) clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = null;
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#post({ type: 'state', state, stats: { ...this.#stats } }, []);
  }

  #guard(event: string, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      console.error(`socket handler for ${event} failed`, error);
    }
  }
}
