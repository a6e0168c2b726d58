import type { Logger } from 'pino';
import type { Db } from '../store/db';
import { readFusionLeader, recordFusionLeader, updateFusionLeaderUrl } from '../store/fusion-leader-store';
import type { LeaderLock } from '../store/leader-lock';

export type FusionRole = 'leader' | 'standby';

export interface LeaderElectionOptions {
  db: Db;
  /** The region's lock; undefined (PGlite, one process): this instance always leads. */
  lock: LeaderLock | undefined;
  region: string;
  instanceId: string;
  /** How often a standby tries for the lock and a leader checks its lock connection. */
  pollMs: number;
  /**
   * How long a leader whose lock connection broke keeps fusing while it tries to take the lock back (a database
   * restart); past it, or as soon as another instance holds the lock, it gives up. 0: it never gives up.
   */
  graceMs: number;
  log: Logger;
  /** Becoming the leader: restore the state, start consuming. Throwing ends the process as `onFatal` does. */
  onElected(): Promise<void>;
  /** Leadership lost for good: the caller must stop fusing at once (the server exits, see server.ts). */
  onFatal(reason: string, err?: unknown): void;
  onRole?(role: FusionRole): void;
}

export interface LeaderElection {
  role(): FusionRole;
  /** The first try: resolves once this instance leads (with `onElected` done) or stands by. */
  start(): Promise<void>;
  /** Where the other instances reach this one; recorded with the leadership. */
  advertise(url: string): Promise<void>;
  /** Releases the lock (after the caller has saved everything the next leader needs). */
  close(): Promise<void>;
}

/**
 * One fusion leader per region: whoever holds the region's PostgreSQL advisory lock. A standby tries every
 * `pollMs`; the leader records itself (instance, URL, since) in `fusion_leaders` for the others to find.
 * A leader whose lock connection breaks keeps going only while it can show nobody else led meanwhile: it
 * takes the lock back and finds its own term still recorded.
 */
export function electLeader(opts: LeaderElectionOptions): LeaderElection {
  const { db, lock, region, instanceId, log } = opts;
  let role: FusionRole = 'standby';
  let url = '';
  let termSinceMs: number | null = null;
  let lostAtMs: number | null = null;
  let reconnectedAtMs: number | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const setRole = (r: FusionRole) => {
    role = r;
    opts.onRole?.(r);
  };
  const fatal = (reason: string, err?: unknown) => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    opts.onFatal(reason, err);
  };

  lock?.onLost((err) => {
    if (closed) return;
    if (role === 'leader') {
      lostAtMs ??= Date.now();
      log.error({ err: err.message, region }, 'the fusion lock connection was lost; taking the lock back');
    } else {
      // A standby that comes back with the database waits a little: the leader it lost sight of comes back too.
      reconnectedAtMs = Date.now() + 3 * opts.pollMs;
    }
  });

  const elected = async () => {
    setRole('leader');
    termSinceMs = await recordFusionLeader(db, region, instanceId, url);
    log.info({ region, instanceId }, 'this instance leads fusion');
    await opts.onElected();
  };

  const tick = async () => {
    if (role === 'standby') {
      if (reconnectedAtMs !== null && Date.now() < reconnectedAtMs) return;
      reconnectedAtMs = null;
      if (await lock!.tryAcquire()) await elected();
      return;
    }
    if (lostAtMs === null) {
      if (!(await lock!.alive(Math.max(2 * opts.pollMs, 2_000)))) lostAtMs = Date.now();
      else return;
    }
    // Lost: keep fusing while nobody else can have led, and only that long.
    if (opts.graceMs > 0 && Date.now() - lostAtMs > opts.graceMs) {
      fatal(`the fusion lock was not taken back within ${opts.graceMs} ms`);
      return;
    }
    let held: boolean;
    try {
      held = await lock!.tryAcquire();
    } catch (err) {
      log.warn({ err: (err as Error).message, region }, 'the fusion lock is still out of reach');
      return;
    }
    if (!held) {
      fatal('another instance holds the fusion lock');
      return;
    }
    const recorded = await readFusionLeader(db, region);
    if (!recorded || recorded.instanceId !== instanceId || recorded.sinceMs !== termSinceMs) {
      fatal('another instance led fusion while the lock was lost');
      return;
    }
    log.warn({ region, lostMs: Date.now() - lostAtMs }, 'the fusion lock is held again; nobody else led meanwhile');
    lostAtMs = null;
  };

  const loop = () => {
    if (closed) return;
    timer = setTimeout(() => {
      tick().then(loop, (err: unknown) => {
        if (role === 'leader' && lostAtMs === null) {
          fatal('becoming the leader failed', err);
          return;
        }
        log.warn({ err, region }, 'fusion leadership check failed');
        loop();
      });
    }, opts.pollMs);
    timer.unref?.();
  };

  return {
    role: () => role,
    async start() {
      if (!lock) {
        await elected();
        return;
      }
      try {
        if (await lock.tryAcquire()) await elected();
        else log.info({ region, instanceId }, 'another instance leads fusion; standing by');
      } catch (err) {
        if (role === 'leader') throw err;
        log.warn({ err, region }, 'could not try for the fusion lock; standing by');
      }
      setRole(role);
      loop();
    },
    async advertise(u) {
      url = u;
      if (role === 'leader' && termSinceMs !== null) await updateFusionLeaderUrl(db, region, instanceId, termSinceMs, url);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await lock?.close();
    },
  };
}

/** How long a looked-up leader URL is used before it is looked up again. */
const LEADER_LOOKUP_MS = 1_000;

/** The region's leader URL as recorded (cached briefly); undefined when none is recorded, or it is this instance. */
export function findLeader(db: Db, region: string, instanceId: string): () => Promise<string | undefined> {
  let seen: { url: string | undefined; atMs: number } = { url: undefined, atMs: 0 };
  return async () => {
    if (Date.now() - seen.atMs < LEADER_LOOKUP_MS) return seen.url;
    const leader = await readFusionLeader(db, region);
    seen = { url: leader && leader.instanceId !== instanceId && leader.url ? leader.url : undefined, atMs: Date.now() };
    return seen.url;
  };
}
