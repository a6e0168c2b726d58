import type { ClientToServerEvents, ServerToClientEvents, Track } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { AuthService, Principal } from '../auth/auth-service';
import type { DispatchService } from '../dispatch/dispatch-service';
import { principalOf } from '../realtime/socket-auth';
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

export interface LeaderRelayDeps {
  io: Server<ClientToServerEvents, ServerToClientEvents>;
  cluster: SocketCluster;
  isLeader(): boolean;
  /** The leader's live picture (asked only on the leader). */
  tracks(): Track[];
  dispatch(): DispatchService;
  /** Loads the dispatch loop's units and orders from the database again. */
  reloadDispatch(): Promise<void>;
  auth: AuthService;
  log: Logger;
}

export interface LeaderRelays {
  /** On a standby: the leader's tracks as last fetched (refreshed before each socket connects or resyncs). */
  leaderTracks(): Track[];
  /** On the leader: an order or unit changed, so standbys reload theirs. */
  dispatchChanged(): void;
  /** Users were added or changed here: every other instance reloads them (logins and tokens work anywhere). */
  usersChanged(): void;
}

/**
 * What a standby needs from the leader's memory, over the socket.io cluster: the live picture for a socket's
 * snapshot, the dispatch commands its clients send (run by the leader), and word that dispatch or users
 * changed. Without a cluster (no Redis) a standby has none of it.
 */
export function attachLeaderRelays(deps: LeaderRelayDeps): LeaderRelays {
  const { io, cluster, log } = deps;
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

  let dispatchTimer: NodeJS.Timeout | undefined;
  return {
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
