import type { ServerToClientEvents } from '@seawall/contracts';
import { batchTransferables } from '../state/track-columns';
import type { TrackStore } from '../state/track-store';
import type { TrackColumnBatch } from '../state/track-columns';
import type { ConnectionState, TrackLinkCommand, TrackLinkMessage, TrackLinkOptions, TrackLinkWork, TrackSocketStats } from './link-protocol';
import { TrackLink } from './track-link';

export type { ConnectionState, TrackSocketStats } from './link-protocol';

/** The link's options (with a worker, `socketOptions` must be structured-cloneable: plain data), and the page's. */
export interface TrackSocketOptions extends TrackLinkOptions {
  /** The server refused the session (expired, revoked): the page must sign in again. */
  onUnauthorized?: () => void;
  /**
   * Starts the worker that runs the link (track-link.worker.ts), so decoding and checking the track
   * traffic never blocks the page. Without it (tests, or a worker that failed to load) the link runs on
   * this thread.
   */
  worker?: () => Worker;
}

export type ConnectionListener = (state: ConnectionState) => void;

/**
 * The page's end of the live link (track-link.ts): applies the link's encoded track batches to the
 * store, tracks the connection state, and hands the server's other events to their handlers.
 *
 * On every (re)connect the link waits for the snapshot, which replaces the store, and only then passes
 * on deltas. No handler throws out of a message callback.
 */
export class TrackSocket {
  readonly #store: TrackStore;
  readonly #options: TrackSocketOptions;
  readonly #listeners = new Set<ConnectionListener>();
  readonly #handlers = new Map<string, Set<(payload: unknown) => void>>();
  #stats: TrackSocketStats = { snapshots: 0, batches: 0, dropped: 0, lastMessageMs: null };
  #work: TrackLinkWork | null = null;
  #state: ConnectionState = 'connecting';
  #worker: Worker | null = null;
  #link: TrackLink | null = null;
  #started = false;
  #heard = false;
  #resolveFirstSnapshot!: () => void;

  /** Resolves once the first snapshot has been applied to the store. */
  readonly firstSnapshot: Promise<void>;

  constructor(store: TrackStore, options: TrackSocketOptions = {}) {
    this.#store = store;
    this.#options = options;
    this.firstSnapshot = new Promise((resolve) => {
      this.#resolveFirstSnapshot = resolve;
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get stats(): Readonly<TrackSocketStats> {
    return this.#stats;
  }

  /** What the last track payload cost the link (in its worker, when it has one), or null before the first. */
  get lastWork(): Readonly<TrackLinkWork> | null {
    return this.#work;
  }

  /** Listen to connection state changes; returns the function that stops listening. */
  onStateChange(listener: ConnectionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Listen to another of the server's events (alerts, orders, units) on this same link. The payload is
   * unchecked wire data: the handler validates it. A handler that throws is logged and the link flows
   * on. Returns the function that stops listening.
   */
  on<E extends Exclude<keyof ServerToClientEvents, `tracks:${string}`>>(event: E, handler: (payload: unknown) => void): () => void {
    let handlers = this.#handlers.get(event);
    if (!handlers) this.#handlers.set(event, (handlers = new Set()));
    handlers.add(handler);
    return () => {
      handlers.delete(handler);
    };
  }

  /** Open the link (idempotent). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    const { worker, url, socketOptions, snapshotTimeoutMs } = this.#options;
    const link: TrackLinkOptions = { url, socketOptions, snapshotTimeoutMs };
    if (!worker) return this.#startHere(link);
    try {
      const w = worker();
      this.#worker = w;
      w.onmessage = (event: MessageEvent<TrackLinkMessage>) => {
        this.#heard = true;
        this.#receive(event.data);
      };
      w.onerror = (event) => {
        console.error('track link worker failed', event.message);
        // Before it said anything the store holds nothing of it: the link can start over here.
        if (!this.#heard && this.#worker === w) {
          w.terminate();
          this.#worker = null;
          this.#startHere(link);
        }
      };
      w.postMessage({ type: 'start', options: link });
    } catch (error) {
      console.error('track link worker could not start', error);
      this.#startHere(link);
    }
  }

  /** Close the link for good. */
  stop(): void {
    this.#worker?.postMessage({ type: 'stop' });
    this.#worker = null;
    this.#link?.stop();
    this.#link = null;
  }

  #startHere(options: TrackLinkOptions): void {
    this.#link = new TrackLink(options, (message) => this.#receive(message));
    this.#link.start();
  }

  #receive(message: TrackLinkMessage): void {
    try {
      switch (message.type) {
        case 'tracks':
          this.#stats = message.stats;
          this.#work = message.work;
          this.#store.apply(message.batch);
          this.#recycle(message.batch);
          if (message.batch.kind === 'replace') this.#resolveFirstSnapshot();
          break;
        case 'state':
          this.#stats = message.stats;
          this.#setState(message.state);
          break;
        case 'stats':
          this.#stats = message.stats;
          break;
        case 'event':
          for (const handler of this.#handlers.get(message.event) ?? []) this.#guard(message.event, () => handler(message.payload));
          break;
        case 'unauthorized':
          this.#options.onUnauthorized?.();
          break;
      }
    } catch (error) {
      console.error(`track link message ${message.type} failed`, error);
    }
  }

  /**
   * The applied batch's buffers go back to the link (transferred to its worker), whose encoder writes the
   * next batches into them: the store copied what it keeps, and a few MB of arrays a batch need not be
   * collected here.
   */
  #recycle(batch: TrackColumnBatch): void {
    const buffers = batchTransferables(batch).filter((buffer) => buffer.byteLength > 0);
    if (buffers.length === 0) return;
    if (this.#worker) this.#worker.postMessage({ type: 'recycle', buffers } satisfies TrackLinkCommand, buffers);
    else this.#link?.recycle(buffers);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#listeners) this.#guard('state', () => listener(state));
  }

  #guard(what: string, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      console.error(`handler for ${what} failed`, error);
    }
  }
}
