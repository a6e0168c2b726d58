import type { ManagerOptions, SocketOptions } from 'socket.io-client';
import type { TrackColumnBatch } from '../state/track-columns';

/**
 * Where the live link stands:
 * - `connecting`: never connected yet;
 * - `syncing`: connected, waiting for the snapshot (deltas are ignored meanwhile);
 * - `live`: snapshot applied, deltas flowing;
 * - `reconnecting`: the link dropped; the last picture stays on screen until the next snapshot.
 */
export type ConnectionState = 'connecting' | 'syncing' | 'live' | 'reconnecting';

/** Counters a status panel or a test can read. */
export interface TrackSocketStats {
  snapshots: number;
  batches: number;
  /**
   * What could not be applied: one per track frame that could not be read (the whole frame goes), each
   * record whose track's identity this link never got, one per delta frame that came before the snapshot
   * (not read), each removed id that is not a track id.
   */
  dropped: number;
  /** Wall-clock time (epoch ms) of the last snapshot or batch received. */
  lastMessageMs: number | null;
}

/** How to reach the server; structured-cloneable, it is posted to the link's worker. */
export interface TrackLinkOptions {
  /** Server origin; omitted = the page's own origin (the server serves the page). */
  url?: string;
  /** Extra socket.io options (the session token as `auth`; tests use `forceNew`, `reconnectionDelay`). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
  /** Ask again with `tracks:resync` when no snapshot came this long after connecting. */
  snapshotTimeoutMs?: number;
}

/**
 * What one track payload cost the link, ms. `decodeMs`: reading the binary track frame, which checks every
 * value against the contract's bounds as it reads (no separate validation step); for `tracks:removed`,
 * checking the ids. `encodeMs`: the encoding into columns.
 */
export interface TrackLinkWork {
  decodeMs: number;
  encodeMs: number;
}

/**
 * From the page to the link. `recycle`: the buffers of a track batch the page has applied, transferred
 * back so the link's encoder writes the next batches into them (no new arrays for the page to collect).
 */
export type TrackLinkCommand =
  | { type: 'start'; options: TrackLinkOptions }
  | { type: 'stop' }
  | { type: 'recycle'; buffers: ArrayBuffer[] };

/**
 * From the link to the page, in the order things happened: a snapshot's `tracks` comes before the
 * `state` that says `live`.
 */
export type TrackLinkMessage =
  | { type: 'state'; state: ConnectionState; stats: TrackSocketStats }
  | { type: 'tracks'; batch: TrackColumnBatch; stats: TrackSocketStats; work: TrackLinkWork }
  | { type: 'stats'; stats: TrackSocketStats }
  /** Any other server event (alerts, orders, units), payload unchecked. */
  | { type: 'event'; event: string; payload: unknown }
  /** The server refused the session. */
  | { type: 'unauthorized' };
