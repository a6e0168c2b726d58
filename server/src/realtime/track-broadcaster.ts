import type { Server as HttpServer } from 'node:http';
import {
  TRACK_PUSH_INTERVAL_MS,
  type Alert,
  type TrackEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type Track,
  type TrackId,
} from '@seawall/contracts';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics';

export interface TrackBroadcaster {
  /** Marks a track changed; it goes out in the next batch (the latest state only). */
  trackChanged(track: Track): void;
  /** An alert raised or changed: sent at once, not batched. */
  alertEvent(name: 'alert:raised' | 'alert:updated', alert: Alert): void;
  /** A ring or zone event: sent at once. */
  trackEvent(event: TrackEvent): void;
  /** Tracks dropped from the picture; sent with the next batch. */
  tracksRemoved(ids: TrackId[]): void;
  close(): Promise<void>;
}

/**
 * socket.io: a snapshot on every connect (and on `tracks:resync`), then only what changed, batched at most
 * every TRACK_PUSH_INTERVAL_MS.
 */
export function attachTrackBroadcaster(
  http: HttpServer,
  snapshot: () => Track[],
  metrics: ServerMetrics,
  log: Logger,
): TrackBroadcaster {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
  });
  let changed = new Map<TrackId, Track>();
  let removed: TrackId[] = [];

  io.on('connection', (socket) => {
    metrics.socketClients.set(io.engine.clientsCount);
    socket.emit('tracks:snapshot', snapshot());
    socket.on('tracks:resync', () => {
      socket.emit('tracks:snapshot', snapshot());
    });
    socket.on('disconnect', () => metrics.socketClients.set(io.engine.clientsCount));
  });

  const timer = setInterval(() => {
    if (removed.length > 0) {
      io.emit('tracks:removed', removed);
      removed = [];
    }
    if (changed.size === 0) return;
    const batch = [...changed.values()];
    changed = new Map();
    io.emit('tracks:updated', batch);
    metrics.trackBatchesPushed.inc();
  }, TRACK_PUSH_INTERVAL_MS);

  log.debug('socket.io attached');
  return {
    trackChanged(track) {
      changed.set(track.id, track);
    },
    alertEvent(name, alert) {
      io.emit(name, alert);
    },
    trackEvent(event) {
      io.emit('event:recorded', event);
    },
    tracksRemoved(ids) {
      for (const id of ids) changed.delete(id);
      removed.push(...ids);
    },
    close: async () => {
      clearInterval(timer);
      await io.close();
    },
  };
}
