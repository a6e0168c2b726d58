// Messages between the load benchmark (run.ts) and its client processes (clients.ts), over the fork IPC channel.

/** The benchmark's vessels have MMSIs MMSI_BASE … MMSI_BASE + tracks - 1 (MID 412, China), so an index is `mmsi - MMSI_BASE`. */
export const MMSI_BASE = 412_000_000;
/** Latency histogram: 1 ms bins; the last bin holds everything slower. */
export const LATENCY_BINS = 60_001;

export type Role = 'operator' | 'unit';

export interface ClientSpec {
  label: string;
  role: Role;
  token: string;
  /** Units: the vessel indexes their orders let them see. */
  visible?: number[];
}

export type ToClients =
  | { type: 'connect'; url: string; tracks: number; clients: ClientSpec[]; decode: 'shared' | 'each' }
  /** Track updates observed in [fromMs, toMs] (observation time) count; batches received in it too. */
  | { type: 'window'; fromMs: number; toMs: number }
  /** `expected[v]`: observations of vessel v published with an observation time inside the window. */
  | { type: 'report'; expected: number[] }
  | { type: 'disconnect' };

export interface ClientReport {
  label: string;
  role: Role;
  /** Distinct track states received whose observation time is inside the window. */
  delivered: number;
  /** tracks:updated batches received inside the window (receipt time). */
  batches: number;
  /** Track updates per whole second of the window, by receipt time: the lowest second (the first left out). */
  lowestSecond: number;
  /** Window observations of the tracks it may see of which it never received the state. */
  missing: number;
  /** A state received twice or older than one already received. */
  stale: number;
  /** Track updates of tracks it may not see (units only; should be 0). */
  leaked: number;
  /** Track records that came without an identity the client had (a stream it could not follow; should be 0). */
  unknown: number;
  /** Bytes of track frames (snapshots and batches) received inside the window (receipt time). */
  frameBytes: number;
  disconnects: number;
  alerts: number;
  events: number;
}

export type FromClients =
  | { type: 'connected'; clients: number; ms: number }
  | {
      type: 'report';
      clients: ClientReport[];
      /** Sparse latency histograms by role: [bin, count] pairs. */
      latency: Record<Role, [number, number][]>;
      /** Frames decoded again by the client's own reader, and how many differed from the shared decoding. */
      checked: number;
      mismatches: number;
      /** The process's event loop delay over the window (ms). */
      loopDelayP99Ms: number;
      loopDelayMaxMs: number;
    }
  | { type: 'disconnected' }
  | { type: 'error'; message: string };
