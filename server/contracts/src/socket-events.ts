import type { Alert } from './alert';
import type { DispatchOrder } from './dispatch';
import type { TrackId } from './ids';
import type { Track } from './track';
import type { TrackEvent } from './track-event';
import type { Unit } from './unit';

/** Facts the server pushes (past tense). Track changes are batched, at most a few times a second. */
export interface ServerToClientEvents {
  'tracks:snapshot': (tracks: Track[]) => void;
  'tracks:updated': (tracks: Track[]) => void;
  'tracks:removed': (ids: TrackId[]) => void;
  'alert:raised': (alert: Alert) => void;
  'alert:updated': (alert: Alert) => void;
  'event:recorded': (event: TrackEvent) => void;
  'order:updated': (order: DispatchOrder) => void;
  'unit:updated': (unit: Unit) => void;
}

/** Commands the browser sends (imperative). */
export interface ClientToServerEvents {
  'tracks:resync': () => void;
}

/** How often at most the server pushes track batches to one client. */
export const TRACK_PUSH_INTERVAL_MS = 250;
