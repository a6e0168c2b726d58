import type { Server as HttpServer } from 'node:http';
import {
  TRACK_PUSH_INTERVAL_MS,
  type Alert,
  type DroneTelemetry,
  type TrackEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type Track,
  type TrackId,
} from '@seawall/contracts';
import { Server, type Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics';
import type { AuthService, Principal } from '../auth/auth-service';
import { droneRoom, installSocketAuth, principalOf, OPS_ROOM, SCOPED_ROOM, type SocketLimits } from './socket-auth';

export interface TrackBroadcaster {
  /** Marks a track changed; it goes out in the next batch (the latest state only). */
  trackChanged(track: Track): void;
  /** An alert raised or changed: sent at once, not batched. */
  alertEvent(name: 'alert:raised' | 'alert:updated', alert: Alert): void;
  /** A drone's telemetry: sent at once to operators and to its crew. */
  droneTelemetry(telemetry: DroneTelemetry): void;
  /** A ring or zone event: sent at once. */
  trackEvent(event: TrackEvent): void;
  /** Tracks dropped from the picture; sent with the next batch. */
  tracksRemoved(ids: TrackId[]): void;
  /** The socket.io server, for the dispatch loop's events. */
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  close(): Promise<void>;
}

/** Who may see what: operators everything; units and drone crews only the tracks `visibleTo` names. */
export interface TrackAccess {
  auth: AuthService;
  now(): number;
  /** The tracks a caller with `own` scope may see. */
  visibleTo(principal: Principal): ReadonlySet<TrackId>;
  onRefused?(reason: string): void;
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
  access: TrackAccess,
  edge: SocketLimits & { corsOrigins?: readonly string[] } = {},
): TrackBroadcaster {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // Same origin unless CORS_ORIGINS lists others (for the polling transport; a socket needs a token anyway).
    ...(edge.corsOrigins?.length ? { cors: { origin: [...edge.corsOrigins] } } : {}),
  });
  installSocketAuth(io, access.auth, access.now, access.onRefused, edge);
  let changed = new Map<TrackId, Track>();
  let removed: TrackId[] = [];
  const ownSnapshot = (socket: Socket) => {
    const visible = access.visibleTo(principalOf(socket));
    return snapshot().filter((t) => visible.has(t.id));
  };
  const sendSnapshot = (socket: Socket) => socket.emit('tracks:snapshot', socket.rooms.has(OPS_ROOM) ? snapshot() : ownSnapshot(socket));

  io.on('connection', (socket) => {
    metrics.socketClients.set(io.engine.clientsCount);
    sendSnapshot(socket);
    socket.on('tracks:resync', () => sendSnapshot(socket));
    socket.on('disconnect', () => metrics.socketClients.set(io.engine.clientsCount));
  });

  const timer = setInterval(() => {
    const gone = removed;
    removed = [];
    if (gone.length > 0) io.to(OPS_ROOM).emit('tracks:removed', gone);
    const batch = [...changed.values()];
    changed = new Map();
    if (batch.length > 0) {
      io.to(OPS_ROOM).emit('tracks:updated', batch);
      metrics.trackBatchesPushed.inc();
    }
    // Units and drone crews: few sockets, each sent only the tracks it may see.
    for (const socket of io.of('/').adapter.rooms.get(SCOPED_ROOM) ?? []) {
      const s = io.of('/').sockets.get(socket);
      if (!s) continue;
      const visible = access.visibleTo(principalOf(s));
      const mine = batch.filter((t) => visible.has(t.id));
      if (mine.length > 0) s.emit('tracks:updated', mine);
      const mineGone = gone.filter((id) => visible.has(id));
      if (mineGone.length > 0) s.emit('tracks:removed', mineGone);
    }
  }, TRACK_PUSH_INTERVAL_MS);

  log.debug('socket.io attached');
  return {
    trackChanged(track) {
      changed.set(track.id, track);
    },
    alertEvent(name, alert) {
      io.to(OPS_ROOM).emit(name, alert);
    },
    trackEvent(event) {
      io.to(OPS_ROOM).emit('event:recorded', event);
    },
    droneTelemetry(telemetry) {
      io.to(OPS_ROOM).to(droneRoom(telemetry.trackId)).emit('drone:telemetry', telemetry);
    },
    tracksRemoved(ids) {
      for (const id of ids) changed.delete(id);
      removed.push(...ids);
    },
    io,
    close: async () => {
      clearInterval(timer);
      await io.close();
    },
  };
}
