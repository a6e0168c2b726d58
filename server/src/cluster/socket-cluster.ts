import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import type { ClusterConfig } from '../config';

/** Another instance's answer, or nothing: the instances that have none answer `null`. */
type Answer<T> = T | null;

export interface SocketCluster {
  /** False without REDIS_URL: this instance's events reach only its own clients, and nobody answers `ask`. */
  readonly enabled: boolean;
  /** True while both Redis connections are up (always true when not enabled). */
  healthy(): boolean;
  /** Sends to every other instance; resolves with the first answer that is not null, or undefined after the timeout. */
  ask<T>(event: string, ...args: unknown[]): Promise<T | undefined>;
  /** Sends to every other instance, no answer. */
  tell(event: string, ...args: unknown[]): void;
  /** Handles what other instances send; `reply` answers an `ask` (null: not mine to answer). */
  on(event: string, handler: (args: unknown[], reply: (answer: unknown) => void) => void): void;
  close(): Promise<void>;
}

/**
 * socket.io across instances through `@socket.io/redis-adapter`: what any instance emits to a room reaches that
 * room's sockets on every instance, and instances can ask each other (`serverSideEmit` with an ack).
 */
export async function attachSocketCluster(io: Server, config: ClusterConfig, log: Logger): Promise<SocketCluster> {
  if (!config.redisUrl) {
    return {
      enabled: false,
      healthy: () => true,
      ask: async () => undefined,
      tell: () => undefined,
      on: () => undefined,
      close: async () => undefined,
    };
  }
  const pub = createClient({ url: config.redisUrl, socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(200 * 2 ** retries, 2_000) } });
  const sub = pub.duplicate();
  // Without listeners a lost Redis connection would throw out of the client; it reconnects by itself.
  pub.on('error', (err: Error) => log.warn({ err: err.message }, 'redis (publish) error'));
  sub.on('error', (err: Error) => log.warn({ err: err.message }, 'redis (subscribe) error'));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: `${config.redisKeyPrefix}#socket.io`, requestsTimeout: 3_000, publishOnSpecificResponseChannel: true }));
  log.info({ key: config.redisKeyPrefix }, 'socket.io shares events through Redis');

  const nsp = io.of('/');
  return {
    enabled: true,
    healthy: () => pub.isReady && sub.isReady,
    ask<T>(event: string, ...args: unknown[]) {
      return new Promise<T | undefined>((resolve) => {
        nsp.serverSideEmit(event, ...args, (err: Error | null, answers: Answer<T>[] | undefined) => {
          const found = (answers ?? []).find((a) => a !== null && a !== undefined);
          if (err && found === undefined) log.debug({ event, err: err.message }, 'no instance answered');
          resolve(found ?? undefined);
        });
      });
    },
    tell(event, ...args) {
      nsp.serverSideEmit(event, ...args);
    },
    on(event, handler) {
      nsp.on(event, (...args: unknown[]) => {
        const last = args.at(-1);
        const reply = typeof last === 'function' ? (last as (a: unknown) => void) : () => undefined;
        try {
          handler(typeof last === 'function' ? args.slice(0, -1) : args, reply);
        } catch (err) {
          log.error({ err, event }, 'handling another instance\'s message failed');
          reply(null);
        }
      });
    },
    async close() {
      await Promise.all([pub.quit().catch(() => undefined), sub.quit().catch(() => undefined)]);
    },
  };
}
