import type { ClientToServerEvents, ServerToClientEvents } from '@seawall/contracts';
import type { Server, Socket } from 'socket.io';
import type { AuthService, Principal } from '../auth/auth-service';
import type { Permission } from '../auth/permissions';
import { RateLimiter } from '../http/rate-limit';
import { findUnstorableText } from '../storable-text';

/** Operators and supervisors: the whole picture. */
export const OPS_ROOM = 'ops';
/** Units and drone crews: each sent only what concerns it. */
export const SCOPED_ROOM = 'scoped';
export const unitRoom = (unitId: string) => `unit:${unitId}`;
export const droneRoom = (trackId: string) => `drone:${trackId}`;

/** What each command a client may send needs; a command not listed here is refused. */
export const SOCKET_EVENT_PERMISSIONS: Readonly<Record<keyof ClientToServerEvents, Permission>> = {
  'tracks:resync': 'tracks.read',
  'order:received': 'orders.respond',
  'order:respond': 'orders.respond',
  'unit:report': 'units.report',
};

export const principalOf = (socket: Socket): Principal => socket.data.principal as Principal;

/** What the socket.io edge lets through besides the role matrix. */
export interface SocketLimits {
  /** Commands per second per socket (a burst of as many); past it a command is answered `rate-limited`. */
  commandsPerS?: number;
  onRateLimited?: () => void;
}

/**
 * Checks the token in the handshake (`auth: { token }`): refused connections get an `unauthorized` error
 * with the reason. Puts each socket in its rooms, refuses commands the role matrix does not allow
 * (with an ack when the client asked for one), and disconnects a socket when its token expires.
 */
export function installSocketAuth(
  io: Server<ClientToServerEvents, ServerToClientEvents>,
  auth: AuthService,
  now: () => number,
  onRefused?: (reason: string) => void,
  limits: SocketLimits = {},
): void {
  const commandsPerS = limits.commandsPerS ?? 20;
  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const who = auth.authenticate(typeof token === 'string' ? token : undefined, now());
    if (!who.ok) {
      onRefused?.(who.failure);
      const err = new Error('unauthorized') as Error & { data: unknown };
      err.data = { reason: who.failure };
      next(err);
      return;
    }
    socket.data.principal = who.principal;
    next();
  });
  auth.onDisabled((userId) => {
    for (const s of io.of('/').sockets.values()) if (principalOf(s).userId === userId) s.disconnect(true);
  });
  io.on('connection', (socket) => {
    const principal = principalOf(socket);
    if (auth.scope(principal, 'tracks.read') === 'all') void socket.join(OPS_ROOM);
    else void socket.join(SCOPED_ROOM);
    if (principal.unitId) void socket.join(unitRoom(principal.unitId));
    if (principal.droneTrackId) void socket.join(droneRoom(principal.droneTrackId));
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(principal.expMs - now(), 2 ** 31 - 1)));
    socket.on('disconnect', () => clearTimeout(expiry));
    // One bucket per socket, so the socket's own limiter is dropped with it.
    const commands = new RateLimiter({ limit: commandsPerS, windowMs: 1_000, now, maxKeys: 1 });
    socket.use(([event, ...args], next) => {
      const decision = commands.take('');
      if (!decision.ok) {
        limits.onRateLimited?.();
        const ack = args.at(-1);
        if (typeof ack === 'function') ack({ ok: false, error: 'rate-limited', message: `at most ${commandsPerS} commands a second; retry in ${decision.retryAfterMs} ms` });
        return;
      }
      // Own properties only: an event named `toString` or `__proto__` must not find Object.prototype's.
      const permission = Object.hasOwn(SOCKET_EVENT_PERMISSIONS, event) ? SOCKET_EVENT_PERMISSIONS[event as keyof ClientToServerEvents] : undefined;
      const allowed = permission !== undefined && principal.expMs > now() && auth.isActive(principal.userId) && auth.scope(principal, permission) !== null;
      // Text PostgreSQL cannot store would fail the command's write (storable-text.ts).
      if (allowed && findUnstorableText(args.filter((a) => typeof a !== 'function')) !== undefined) {
        const ack = args.at(-1);
        if (typeof ack === 'function') ack({ ok: false, error: 'bad-request', message: 'text must not contain U+0000 or a lone surrogate' });
        return;
      }
      if (allowed) return next();
      onRefused?.('forbidden');
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: 'forbidden', message: `a ${principal.role} may not send ${String(event)}` });
    });
  });
}
