import type { Server as HttpServer } from 'node:http';
import {
  TRACK_PUSH_INTERVAL_MS,
  TrackFrameEncoder,
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
import { createBroadcastMetrics } from './broadcast-metrics';
import { fullTrackFrame } from './full-track-frame';
import { backlogBytes } from './socket-backlog';
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

/** A socket with more unsent bytes than this (about 4 s of 10,000 tracks a second) is skipped by track batches… */
const BACKLOG_MAX_BYTES = 16 * 1024 * 1024;
/** …until it has sent all but this, when it gets a snapshot (the latest state of everything it skipped). */
const BACKLOG_RESUME_BYTES = 256 * 1024;
/** Snapshots asked for within this long of each other are encoded once, for all the operators who asked. */
const SNAPSHOT_GATHER_MS = 100;
/**
 * The operators' sockets that take the batches: each joins with its snapshot and leaves when it owes one. A room,
 * not a list of sockets to skip, so that with several instances the leader's batches reach a socket on another
 * instance from that socket's snapshot on, too, and never before it (its identities would be lost).
 */
const OPS_TRACKS_ROOM = 'ops:tracks';

/** The defaults suit the deployment; tests give their own. */
export interface BroadcastTuning {
  backlogMaxBytes?: number;
  backlogResumeBytes?: number;
  snapshotGatherMs?: number;
}

/**
 * socket.io: a snapshot on every connect (and on `tracks:resync`), then only what changed, batched at most
 * every TRACK_PUSH_INTERVAL_MS, as binary track frames (`@seawall/contracts` track-frame.ts).
 *
 * Operators all see the same picture, so what they get is encoded once and written as one shared websocket
 * frame to every socket (socket.io does that for a broadcast): the batches to the `ops` room, and the snapshots
 * of all the operators whose snapshots fall due together. A socket gets no batch before its snapshot. A socket
 * that cannot take the stream (its unsent bytes past BACKLOG_MAX_BYTES) is skipped by the batches, so a slow
 * client holds at most that much, and once it has caught up it gets a snapshot: the latest state only.
 *
 * The `ops` batches are one stream with one encoder, which sends a track's identity only when the room may not
 * have it. That holds for every operator because of the rule above: an operator's socket gets every batch
 * from its snapshot on (which carries every identity), or is skipped and then gets a snapshot again (it is in
 * OPS_TRACKS_ROOM exactly from its snapshot until it owes the next). Units and drone crews (few sockets, few
 * tracks each) get frames of their own with every identity.
 */
export function attachTrackBroadcaster(
  http: HttpServer,
  snapshot: () => Track[],
  metrics: ServerMetrics,
  log: Logger,
  access: TrackAccess,
  edge: SocketLimits & { corsOrigins?: readonly string[] } = {},
  tuning: BroadcastTuning = {},
): TrackBroadcaster {
  const maxBytes = tuning.backlogMaxBytes ?? BACKLOG_MAX_BYTES;
  const resumeBytes = tuning.backlogResumeBytes ?? BACKLOG_RESUME_BYTES;
  const gatherMs = tuning.snapshotGatherMs ?? SNAPSHOT_GATHER_MS;
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // engine.io's default, kept on purpose: deflate state is per connection, so every batch would be compressed
    // again for each socket (CPU per client), and socket.io writes its one pre-encoded frame only uncompressed.
    perMessageDeflate: false,
    // Same origin unless CORS_ORIGINS lists others (for the polling transport; a socket needs a token anyway).
    ...(edge.corsOrigins?.length ? { cors: { origin: [...edge.corsOrigins] } } : {}),
  });
  installSocketAuth(io, access.auth, access.now, access.onRefused, edge);
  const counters = createBroadcastMetrics(metrics.registry);
  /** The `ops` room's batches: one stream, whose encoder remembers the identities it sent. */
  const opsFrames = new TrackFrameEncoder();
  const sockets = io.of('/').sockets;
  const rooms = io.of('/').adapter.rooms;
  let changed = new Map<TrackId, Track>();
  let removed: TrackId[] = [];
  /** Sockets waiting for a snapshot; batches skip them until it is sent. */
  const owed = new Set<string>();
  /** Sockets past BACKLOG_MAX_BYTES: batches skip them until they catch up. */
  const behind = new Set<string>();
  let gathering: NodeJS.Timeout | undefined;

  const ownTracks = (socket: Socket): Track[] => {
    const visible = access.visibleTo(principalOf(socket));
    return snapshot().filter((t) => visible.has(t.id));
  };
  /** Sends every snapshot owed (a snapshot holds everything up to now, so batches may follow it at once). */
  const sendSnapshots = () => {
    gathering = undefined;
    const operators: string[] = [];
    let sent = 0;
    for (const id of owed) {
      const socket = sockets.get(id);
      if (!socket) owed.delete(id);
      // One behind gets its snapshot once it has caught up.
      if (!socket || behind.has(id)) continue;
      owed.delete(id);
      sent++;
      if (socket.rooms.has(OPS_ROOM)) operators.push(id);
      else {
        socket.emit('tracks:snapshot', fullTrackFrame(ownTracks(socket), 'scoped', 'snapshot', metrics));
        counters.snapshotsEncoded.inc();
      }
    }
    if (operators.length > 0) {
      io.to(operators).emit('tracks:snapshot', fullTrackFrame(snapshot(), 'ops', 'snapshot', metrics));
      for (const id of operators) void sockets.get(id)!.join(OPS_TRACKS_ROOM);
      counters.snapshotsEncoded.inc();
    }
    counters.snapshotsSent.inc(sent);
  };
  const oweSnapshot = (id: string) => {
    owed.add(id);
    void sockets.get(id)?.leave(OPS_TRACKS_ROOM);
    gathering ??= setTimeout(sendSnapshots, gatherMs);
  };

  io.on('connection', (socket) => {
    metrics.socketClients.set(io.engine.clientsCount);
    oweSnapshot(socket.id);
    socket.on('tracks:resync', () => oweSnapshot(socket.id));
    socket.on('disconnect', () => {
      owed.delete(socket.id);
      behind.delete(socket.id);
      metrics.socketClients.set(io.engine.clientsCount);
    });
  });

  const push = () => {
    const batch = changed;
    changed = new Map();
    const gone = removed;
    removed = [];
    for (const id of behind) {
      const socket = sockets.get(id);
      if (!socket) behind.delete(id);
      else if (backlogBytes(socket) < resumeBytes) {
        behind.delete(id);
        oweSnapshot(id);
      }
    }
    for (const [id, socket] of sockets) {
      if (!behind.has(id) && backlogBytes(socket) > maxBytes) {
        behind.add(id);
        void socket.leave(OPS_TRACKS_ROOM);
        counters.socketsFellBehind.inc();
        log.debug({ socketId: id, userId: principalOf(socket).userId }, 'socket fell behind; batches skip it until it catches up');
      }
    }
    // Before this batch: a track removed and back within it comes back with its identity (receivers drop theirs).
    opsFrames.forget(gone);
    if (gone.length > 0) io.to(OPS_TRACKS_ROOM).emit('tracks:removed', gone);
    if (batch.size > 0) {
      const frame = opsFrames.encode(batch.values());
      metrics.trackFrameBytes.inc({ stream: 'ops', event: 'updated' }, frame.byteLength);
      io.to(OPS_TRACKS_ROOM).emit('tracks:updated', frame);
      metrics.trackBatchesPushed.inc();
      if (behind.size > 0) counters.batchesSkipped.inc({ reason: 'backlog' }, behind.size);
    }
    // Units and drone crews: few sockets, each sent only the tracks it may see (few), looked up in the batch.
    for (const id of rooms.get(SCOPED_ROOM) ?? []) {
      const socket = sockets.get(id);
      if (!socket || behind.has(id) || owed.has(id)) continue;
      const visible = access.visibleTo(principalOf(socket));
      const mine: Track[] = [];
      for (const trackId of visible) {
        const track = batch.get(trackId);
        if (track) mine.push(track);
      }
      if (mine.length > 0) socket.emit('tracks:updated', fullTrackFrame(mine, 'scoped', 'updated', metrics));
      const mineGone = gone.filter((trackId) => visible.has(trackId));
      if (mineGone.length > 0) socket.emit('tracks:removed', mineGone);
    }
  };
  const timer = setInterval(push, TRACK_PUSH_INTERVAL_MS);

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
      clearTimeout(gathering);
      await io.close();
    },
  };
}
