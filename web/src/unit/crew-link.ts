import {
  DispatchOrder,
  DroneTelemetryObservation,
  TrackFrameError,
  TrackFrameReader,
  TrackId,
  Unit,
  type ClientToServerEvents,
  type DecodedTrackFrame,
  type DroneTelemetry,
  type ServerToClientEvents,
  type Track,
} from '@seawall/contracts';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { parseTrackIdBatch } from '../realtime/track-guard';
import type { TrackStore } from '../state/track-store';
import type { CrewCommand, SendOutcome } from './command-queue';

/** The crew's link to the server as its header shows it. */
export type LinkState = 'connecting' | 'online' | 'reconnecting';

const DroneTelemetrySchema = DroneTelemetryObservation.extend({ trackId: TrackId });

/** What the link hands on, each payload already checked against the contract. */
export interface CrewLinkHandlers {
  onState(state: LinkState): void;
  /** The session was refused (expired, disabled): sign in again. */
  onUnauthorized(): void;
  /** `orders:pending`: every unfinished order, on each (re)connect. */
  onPendingOrders(orders: DispatchOrder[]): void;
  /** One order changed (or the answer to one of the crew's own commands). */
  onOrder(order: DispatchOrder): void;
  onUnits(units: Unit[]): void;
  onTelemetry?(telemetry: DroneTelemetry): void;
  /** Tracks applied to the store (a snapshot or a batch). */
  onTracks?(tracks: readonly Track[]): void;
}

export interface CrewLinkOptions {
  token: string;
  store: TrackStore;
  handlers: CrewLinkHandlers;
  /** How long to wait for the server's answer to a command before trying again later. */
  ackTimeoutMs?: number;
  /** Extra socket.io options (tests: `reconnectionDelay`). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

type CrewSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Ack<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

/**
 * The one owner of a crew's socket.io link. socket.io reconnects by itself; on every (re)connect the server
 * sends the unit, its unfinished orders and a snapshot of the tracks the crew may see, and this link applies
 * track deltas only after that snapshot. Commands go out with an acknowledgement and a timeout, so the
 * caller can tell an answer from silence. No handler throws out of a socket callback.
 */
export class CrewLink {
  readonly #options: CrewLinkOptions;
  #socket: CrewSocket | null = null;
  #state: LinkState = 'connecting';
  #everConnected = false;
  #synced = false;
  /** Identities as this connection's track frames told them; a new one per connection. */
  #reader = new TrackFrameReader();
  /** A `tracks:resync` for records it could not place (or an unreadable snapshot) is out: asked once until a snapshot is read. */
  #resyncAsked = false;
  #resyncTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: CrewLinkOptions) {
    this.#options = options;
  }

  get state(): LinkState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#socket?.connected ?? false;
  }

  start(): void {
    if (this.#socket) return;
    const socket: CrewSocket = io({
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      auth: { token: this.#options.token },
      // A phone at sea loses its link often and briefly: come back quickly, and keep trying.
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      ...this.#options.socketOptions,
    });
    this.#socket = socket;
    const h = this.#options.handlers;
    const on = <A extends unknown[]>(event: string, fn: (...args: A) => void) => (...args: A) => this.#guard(event, () => fn(...args));

    socket.on('connect', on('connect', () => {
      this.#everConnected = true;
      this.#synced = false;
      this.#reader = new TrackFrameReader();
      this.#resyncAsked = false;
      this.#setState('online');
    }));
    socket.on('disconnect', on('disconnect', (reason: string) => {
      this.#synced = false;
      this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
      // socket.io does not come back by itself after the server closed the socket on purpose (token expiry
      // closes it too: the reconnection's refusal then signs the crew out).
      if (reason === 'io server disconnect') socket.connect();
    }));
    socket.on('connect_error', on('connect_error', (err: Error) => {
      if (err.message === 'unauthorized') return h.onUnauthorized();
      this.#setState(this.#everConnected ? 'reconnecting' : 'connecting');
    }));
    socket.on('tracks:snapshot', on('tracks:snapshot', (payload: unknown) => {
      const frame = readFrame(() => this.#reader.snapshot(payload));
      if (!frame) return this.#askResync();
      this.#resyncAsked = false;
      this.#synced = true;
      this.#options.store.replaceAll(frame.tracks);
      h.onTracks?.(frame.tracks);
    }));
    socket.on('tracks:updated', on('tracks:updated', (payload: unknown) => {
      if (!this.#synced) return; // the snapshot on its way is newer
      const frame = readFrame(() => this.#reader.update(payload));
      if (!frame) return;
      // Records of tracks whose identity this connection never got: a snapshot will tell.
      if (frame.unknown.length > 0) this.#askResync();
      this.#options.store.upsert(frame.tracks);
      h.onTracks?.(frame.tracks);
    }));
    socket.on('tracks:removed', on('tracks:removed', (payload: unknown) => {
      if (!this.#synced) return;
      const { items } = parseTrackIdBatch(payload);
      this.#reader.removed(items);
      this.#options.store.remove(items);
    }));
    socket.on('orders:pending', on('orders:pending', (payload: unknown) => {
      if (!Array.isArray(payload)) return;
      h.onPendingOrders(payload.flatMap((o) => parseOrder(o) ?? []));
    }));
    socket.on('order:updated', on('order:updated', (payload: unknown) => {
      const order = parseOrder(payload);
      if (order) h.onOrder(order);
    }));
    socket.on('units:snapshot', on('units:snapshot', (payload: unknown) => {
      if (!Array.isArray(payload)) return;
      h.onUnits(payload.flatMap((u) => parseUnit(u) ?? []));
    }));
    socket.on('unit:updated', on('unit:updated', (payload: unknown) => {
      const unit = parseUnit(payload);
      if (unit) h.onUnits([unit]);
    }));
    socket.on('drone:telemetry', on('drone:telemetry', (payload: unknown) => {
      const t = DroneTelemetrySchema.safeParse(payload);
      if (t.success) h.onTelemetry?.(t.data as DroneTelemetry);
    }));
  }

  stop(): void {
    if (this.#resyncTimer !== null) clearTimeout(this.#resyncTimer);
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
  }

  /**
   * Sends one command and waits for the server's answer. An order the server returns goes to `onOrder` at
   * once, so the card moves on without waiting for the broadcast.
   */
  async send(command: CrewCommand): Promise<SendOutcome> {
    const socket = this.#socket;
    // Not connected: socket.io would buffer the emit itself, but the outbox is the one place commands wait.
    if (!socket?.connected) return { kind: 'retry' };
    const timed = socket.timeout(this.#options.ackTimeoutMs ?? 8_000);
    let answer: Ack<unknown>;
    try {
      answer =
        command.kind === 'respond'
          ? ((await timed.emitWithAck('order:respond', command.response)) as Ack<unknown>)
          : ((await timed.emitWithAck('unit:report', command.report)) as Ack<unknown>);
    } catch {
      return { kind: 'retry' };
    }
    if (!answer || typeof answer !== 'object') return { kind: 'retry' };
    if (!answer.ok) return { kind: 'refused', error: String(answer.error), message: String(answer.message) };
    if (command.kind === 'respond') {
      const order = parseOrder(answer.value);
      if (order) this.#guard('order answer', () => this.#options.handlers.onOrder(order));
    } else {
      const unit = parseUnit(answer.value);
      if (unit) this.#guard('report answer', () => this.#options.handlers.onUnits([unit]));
    }
    return { kind: 'done' };
  }

  /** Tells the server the crew holds this order (it re-sends until told); the answer carries the order. */
  confirm(orderId: string): void {
    const socket = this.#socket;
    if (!socket?.connected) return;
    socket
      .timeout(this.#options.ackTimeoutMs ?? 8_000)
      .emitWithAck('order:received', orderId)
      .then((answer) => {
        const a = answer as Ack<unknown>;
        const order = a?.ok ? parseOrder(a.value) : null;
        if (order) this.#guard('order:received answer', () => this.#options.handlers.onOrder(order));
      })
      // Lost: the server sends the order again and the crew's client confirms again.
      .catch(() => undefined);
  }

  /**
   * Asks for a fresh track snapshot: a new order's target becomes visible to the crew at once, but the
   * server pushes it only when it next moves. Calls within a short while collapse into one.
   */
  resync(): void {
    if (this.#resyncTimer !== null) return;
    this.#resyncTimer = setTimeout(() => {
      this.#resyncTimer = null;
      if (this.#socket?.connected) this.#socket.emit('tracks:resync');
    }, 300);
  }

  /** Asks for a snapshot at once, once until one is read (a server sending bad frames is not asked in a loop). */
  #askResync(): void {
    if (this.#resyncAsked || !this.#socket?.connected) return;
    this.#resyncAsked = true;
    this.#socket.emit('tracks:resync');
  }

  #setState(state: LinkState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#options.handlers.onState(state);
  }

  #guard(event: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      console.error(`crew link handler for ${event} failed`, error);
    }
  }
}

/** One track frame, or null when it cannot be read (dropped whole: the next one may be fine). */
function readFrame(read: () => DecodedTrackFrame): DecodedTrackFrame | null {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof TrackFrameError)) throw error;
    console.warn(`track frame dropped: ${error.message}`);
    return null;
  }
}

function parseOrder(value: unknown): DispatchOrder | null {
  const r = DispatchOrder.safeParse(value);
  return r.success ? r.data : null;
}

function parseUnit(value: unknown): Unit | null {
  const r = Unit.safeParse(value);
  return r.success ? r.data : null;
}
