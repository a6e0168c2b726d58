import { TRACK_PUSH_INTERVAL_MS, type ClientToServerEvents, type ServerToClientEvents, type Track, type TrackId } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { AuthService, Principal } from '../auth/auth-service';
import type { DispatchService } from '../dispatch/dispatch-service';
import type { ServerMetrics } from '../metrics';
import { fullTrackFrame } from '../realtime/full-track-frame';
import { droneRoom, principalOf, unitRoom } from '../realtime/socket-auth';
import { LEADER_COMMANDS, runForwardedCommand, type CommandResult } from './forwarded-commands';
import type { SocketCluster } from './socket-cluster';

const TRACKS = 'seawall:tracks';
const COMMAND = 'seawall:command';
const DISPATCH_CHANGED = 'seawall:dispatch-changed';
const USERS_CHANGED = 'seawall:users-changed';

/** A leader's picture fetched this recently serves further connecting sockets as it is. */
const SNAPSHOT_FRESH_MS = 1_000;
/** Dispatch changes come in bursts (an order and its unit): one reload for each burst. */
const DISPATCH_RELOAD_DEBOUNCE_MS = 200;

/** Every socket of an instance is in its instance's room, so the leader can leave its own sockets out. */
const instanceRoom = (instanceId: string) => `instance:${instanceId}`;

export interface LeaderRelayDeps {
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  instanceId: string;
  cluster: SocketCluster;
  isLeader(): boolean;
  /** The leader's live picture (asked only on the leader). */
  tracks(): Track[];
  dispatch(): DispatchService;
  /** Loads the dispatch loop's units and orders from the database again. */
  reloadDispatch(): Promise<void>;
  auth: AuthService;
  metrics: Pick<ServerMetrics, 'trackFrameBytes'>;
  log: Logger;
}

export interface LeaderRelays {
  /** On a standby: the leader's tracks as last fetched (refreshed before each socket connects or resyncs). */
  leaderTracks(): Track[];
  /** On the leader: an order or unit changed, so standbys reload theirs. */
  dispatchChanged(): void;
  /** Users were added or changed here: every other instance reloads them (logins and tokens work anywhere). */
  usersChanged(): void;
  /** On the leader: a track changed, for the units and drone crews connected to other instances. */
  trackChanged(track: Track): void;
  /** On the leader: tracks left the picture. */
  tracksRemoved(ids: readonly TrackId[]): void;
  close(): void;
}

/**
 * What a standby needs from the leader's memory, over the socket.io cluster: the live picture for a socket's
 * snapshot, the dispatch commands its clients send (run by the leader), and word that dispatch or users
 * changed. Without a cluster (no Redis) a standby has none of it.
 */
export function attachLeaderRelays(deps: LeaderRelayDeps): LeaderRelays {
  const { io, cluster, log, metrics } = deps;
  let cached: Track[] = [];
  let fetchedAtMs = 0;
  let fetching: Promise<void> | null = null;

  const refreshTracks = (): Promise<void> => {
    if (Date.now() - fetchedAtMs < SNAPSHOT_FRESH_MS) return Promise.resolve();
    return (fetching ??= cluster
      .ask<Track[]>(TRACKS)
      .then((tracks) => {
        if (tracks) {
          cached = tracks;
          fetchedAtMs = Date.now();
        } else log.warn('no fusion leader answered for the live picture; the snapshot is the last one fetched');
      })
      .finally(() => (fetching = null)));
  };

  cluster.on(TRACKS, (_args, reply) => reply(deps.isLeader() ? deps.tracks() : null));

  cluster.on(COMMAND, ([principal, event, args], reply) => {
    if (!deps.isLeader()) return reply(null);
    void runForwardedCommand(deps.dispatch(), principal as Principal, String(event), args as unknown[], log).then(reply);
  });

  let reloadTimer: NodeJS.Timeout | undefined;
  cluster.on(DISPATCH_CHANGED, () => {
    if (deps.isLeader()) return;
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => void deps.reloadDispatch().catch((err: unknown) => log.warn({ err }, 'could not reload dispatch')), DISPATCH_RELOAD_DEBOUNCE_MS);
  });

  cluster.on(USERS_CHANGED, () => {
    deps.auth.reload().then(
      () => {
        for (const s of io.of('/').sockets.values()) if (!deps.auth.isActive(principalOf(s).userId)) s.disconnect(true);
      },
      (err: unknown) => log.warn({ err }, 'could not reload users'),
    );
  });

  if (cluster.enabled) {
    io.on('connection', (socket) => void socket.join(instanceRoom(deps.instanceId)));
    // Before the connection event, so the snapshot socket.io sends on connecting is the leader's, fresh.
    io.use((_socket, next) => {
      if (deps.isLeader()) return next();
      refreshTracks().then(() => next(), () => next());
    });
    io.on('connection', (socket) => {
      const principal = principalOf(socket);
      // After socket-auth's own middleware (registered earlier): only allowed commands come here.
      socket.use(([event, ...args], next) => {
        if (deps.isLeader()) return next();
        if (event === 'tracks:resync') {
          refreshTracks().then(() => next(), () => next());
          return;
        }
        if (!LEADER_COMMANDS.has(event as keyof ClientToServerEvents)) return next();
        const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: CommandResult) => void) : () => undefined;
        cluster.ask<CommandResult>(COMMAND, principal, event, args).then((result) =>
          ack(result ?? { ok: false, error: 'unavailable', message: 'no fusion leader answered; try again' }),
        );
      });
    });
  }

  // The track broadcaster sends units and drone crews their tracks only on its own instance's sockets: the
  // leader sends the others theirs through their rooms, leaving its own sockets out.
  let changed = new Map<TrackId, Track>();
  let removed: TrackId[] = [];
  const scopedTimer = cluster.enabled
    ? setInterval(() => {
        if (!deps.isLeader() || (changed.size === 0 && removed.length === 0)) return;
        const batch = changed;
        const gone = removed;
        changed = new Map();
        removed = [];
        const notMine = instanceRoom(deps.instanceId);
        const dispatch = deps.dispatch();
        for (const unit of dispatch.allUnits()) {
          const visible = dispatch.tracksOf(unit.id);
          if (visible.size === 0) continue;
          const mine = [...visible].flatMap((id) => batch.get(id) ?? []);
          if (mine.length > 0) io.to(unitRoom(unit.id)).except(notMine).emit('tracks:updated', fullTrackFrame(mine, 'scoped', 'updated', metrics));
          const mineGone = gone.filter((id) => visible.has(id));
          if (mineGone.length > 0) io.to(unitRoom(unit.id)).except(notMine).emit('tracks:removed', mineGone);
        }
        for (const t of batch.values()) {
          if (t.kind === 'drone') io.to(droneRoom(t.id)).except(notMine).emit('tracks:updated', fullTrackFrame([t], 'scoped', 'updated', metrics));
        }
      }, TRACK_PUSH_INTERVAL_MS)
    : undefined;

  let dispatchTimer: NodeJS.Timeout | undefined;
  return {
    trackChanged(track) {
      if (scopedTimer) changed.set(track.id, track);
    },
    tracksRemoved(ids) {
      if (!scopedTimer) return;
      for (const id of ids) changed.delete(id);
      removed.push(...ids);
    },
    close() {
      clearInterval(scopedTimer);
      clearTimeout(dispatchTimer);
      clearTimeout(reloadTimer);
    },
    leaderTracks: () => cached,
    dispatchChanged() {
      if (!cluster.enabled || dispatchTimer) return;
      dispatchTimer = setTimeout(() => {
        dispatchTimer = undefined;
        cluster.tell(DISPATCH_CHANGED);
      }, DISPATCH_RELOAD_DEBOUNCE_MS);
    },
    usersChanged() {
      cluster.tell(USERS_CHANGED);
    },
  };
}
