import type { Alert } from './alert';
import type { DroneTelemetryObservation } from './observation';
import type { DispatchOrder, OrderResponse } from './dispatch';
import type { TrackId } from './ids';
import type { TrackEvent } from './track-event';
import type { Unit, UnitStatus } from './unit';

/**
 * Facts the server pushes (past tense). Track changes are batched, at most a few times a second, as
 * binary track frames (track-frame.ts; read them with a TrackFrameReader): a snapshot on connecting
 * and on `tracks:resync`, then what changed.
 */
export interface ServerToClientEvents {
  'tracks:snapshot': (frame: TrackFrame) => void;
  'tracks:updated': (frame: TrackFrame) => void;
  'tracks:removed': (ids: TrackId[]) => void;
  'alert:raised': (alert: Alert) => void;
  'alert:updated': (alert: Alert) => void;
  'event:recorded': (event: TrackEvent) => void;
  'order:updated': (order: DispatchOrder) => void;
  /** On connecting, to a unit's crew: every order it has yet to finish (delivered again until confirmed). */
  'orders:pending': (orders: DispatchOrder[]) => void;
  'unit:updated': (unit: Unit) => void;
  'units:snapshot': (units: Unit[]) => void;
  /** Every telemetry report of a drone, as the gateway decoded it: to operators and to that drone's crew. */
  'drone:telemetry': (telemetry: DroneTelemetry) => void;
}

/** A track frame as socket.io hands it over: a Buffer in Node, an ArrayBuffer in a browser. */
export type TrackFrame = Uint8Array | ArrayBuffer;

/** A drone's telemetry with the track it belongs to. */
export type DroneTelemetry = DroneTelemetryObservation & { trackId: TrackId };

/** The answer to a command: the result, or why it was refused (`forbidden`, `not-found`, `bad-request`, `bad-transition`, …). */
export type CommandAck<T> = (result: { ok: true; value: T } | { ok: false; error: string; message: string }) => void;

/** A unit's report of its own status or position (its client). */
export interface UnitReport {
  status?: UnitStatus;
  lon?: number;
  lat?: number;
}

/** Commands the browser sends (imperative). */
export interface ClientToServerEvents {
  'tracks:resync': () => void;
  /** The unit's client confirms it holds an order (delivery stops being retried). */
  'order:received': (orderId: string, ack?: CommandAck<DispatchOrder>) => void;
  'order:respond': (response: OrderResponse, ack?: CommandAck<DispatchOrder>) => void;
  'unit:report': (report: UnitReport, ack?: CommandAck<Unit>) => void;
}

/** How often at most the server pushes track batches to one client. */
export const TRACK_PUSH_INTERVAL_MS = 250;
