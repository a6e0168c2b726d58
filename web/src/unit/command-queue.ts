import { OrderResponse, UnitStatus, type UnitReport } from '@seawall/contracts';
import type { CrewAction } from './order-actions';

/** What a crew's client sends the server: an answer or step on an order, or a report on itself. */
export type CrewCommand = { kind: 'respond'; response: OrderResponse } | { kind: 'report'; report: UnitReport };

export interface QueuedCommand {
  /** Local id, for lists and tests. */
  id: string;
  command: CrewCommand;
  queuedAtMs: number;
}

/**
 * How one send went: `done` (the server answered, whatever it said), `refused` (it answered no: the
 * command is dropped and the crew told why), or `retry` (no answer: offline, timed out; kept for the next
 * connection). Commands are idempotent on the server, so sending one twice after a lost answer is harmless.
 */
export type SendOutcome = { kind: 'done' } | { kind: 'refused'; error: string; message: string } | { kind: 'retry' };

/** The bit of `localStorage` the queue needs; absent: the queue lives in memory only. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface CommandQueueOptions {
  storage?: KeyValueStore;
  /** Where in `storage`; one key per signed-in user. */
  storageKey?: string;
  now?: () => number;
  /** Told of every command the server refused. */
  onRefused?: (command: QueuedCommand, error: string, message: string) => void;
}

export type CommandQueueListener = (queued: readonly QueuedCommand[]) => void;

/** A stored report read back; null when it is not one. */
function parseReport(value: unknown): UnitReport | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const out: UnitReport = {};
  if (r.status !== undefined) {
    const s = UnitStatus.safeParse(r.status);
    if (!s.success) return null;
    out.status = s.data;
  }
  if (typeof r.lon === 'number' && typeof r.lat === 'number') {
    out.lon = r.lon;
    out.lat = r.lat;
  }
  return out.status !== undefined || out.lon !== undefined ? out : null;
}

/** A stored queue entry as read back from storage; anything malformed is dropped. */
function parseQueued(value: unknown): QueuedCommand | null {
  if (typeof value !== 'object' || value === null) return null;
  const q = value as { id?: unknown; queuedAtMs?: unknown; command?: { kind?: unknown; response?: unknown; report?: unknown } };
  if (typeof q.id !== 'string' || typeof q.queuedAtMs !== 'number' || !q.command) return null;
  if (q.command.kind === 'respond') {
    const r = OrderResponse.safeParse(q.command.response);
    return r.success ? { id: q.id, queuedAtMs: q.queuedAtMs, command: { kind: 'respond', response: r.data } } : null;
  }
  if (q.command.kind === 'report') {
    const r = parseReport(q.command.report);
    return r ? { id: q.id, queuedAtMs: q.queuedAtMs, command: { kind: 'report', report: r } } : null;
  }
  return null;
}

/**
 * The crew's outbox: every command goes through it, online or not, and leaves it in order once the server
 * has answered. While the link is down commands wait here (and in `storage`, so a reload keeps them); on
 * reconnect `flush` sends them one by one. Position and status reports are merged into the one report
 * already waiting: only the latest matters. The same step on the same order is queued once.
 */
export class CommandQueue {
  readonly #options: CommandQueueOptions;
  readonly #listeners = new Set<CommandQueueListener>();
  #items: QueuedCommand[] = [];
  #seq = 0;
  #flushing: Promise<void> | null = null;
  /** The command being sent now: never merged into. */
  #inFlight: QueuedCommand | null = null;

  constructor(options: CommandQueueOptions = {}) {
    this.#options = options;
    this.#items = this.#load();
  }

  get size(): number {
    return this.#items.length;
  }

  list(): readonly QueuedCommand[] {
    return this.#items;
  }

  /** The actions waiting for this order, oldest first. */
  queuedActions(orderId: string): CrewAction[] {
    return this.#items.flatMap((q) => (q.command.kind === 'respond' && q.command.response.orderId === orderId ? [q.command.response.action] : []));
  }

  subscribe(listener: CommandQueueListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Puts a command in the outbox (merged or deduplicated as described above); returns its entry. */
  enqueue(command: CrewCommand): QueuedCommand {
    let next = command;
    if (command.kind === 'report') {
      // The waiting report is replaced by one that carries both, at the end: it then follows every step queued before.
      const waiting = this.#items.find((q) => q !== this.#inFlight && q.command.kind === 'report');
      if (waiting?.command.kind === 'report') {
        next = { kind: 'report', report: { ...waiting.command.report, ...command.report } };
        this.#items = this.#items.filter((q) => q !== waiting);
      }
    } else {
      const { orderId, action } = command.response;
      const same = this.#items.find((q) => q.command.kind === 'respond' && q.command.response.orderId === orderId && q.command.response.action === action);
      if (same) return same;
    }
    const now = (this.#options.now ?? Date.now)();
    const entry: QueuedCommand = { id: `${now.toString(36)}-${(this.#seq++).toString(36)}`, command: next, queuedAtMs: now };
    this.#items.push(entry);
    this.#changed();
    return entry;
  }

  /**
   * Sends what waits, oldest first, one at a time, until the outbox is empty or a send must be retried
   * later. Only one flush runs at a time: a call during a flush returns that flush's promise, and commands
   * queued meanwhile are sent by it.
   */
  flush(send: (command: CrewCommand) => Promise<SendOutcome>): Promise<void> {
    this.#flushing ??= this.#drain(send).finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #drain(send: (command: CrewCommand) => Promise<SendOutcome>): Promise<void> {
    for (;;) {
      const head = this.#items[0];
      if (!head) return;
      let outcome: SendOutcome;
      this.#inFlight = head;
      try {
        outcome = await send(head.command);
      } catch {
        outcome = { kind: 'retry' };
      } finally {
        this.#inFlight = null;
      }
      if (outcome.kind === 'retry') return;
      this.#items = this.#items.filter((q) => q !== head);
      this.#changed();
      if (outcome.kind === 'refused') this.#options.onRefused?.(head, outcome.error, outcome.message);
    }
  }

  #load(): QueuedCommand[] {
    const { storage, storageKey } = this.#options;
    if (!storage || !storageKey) return [];
    try {
      const raw = storage.getItem(storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed.map(parseQueued).filter((q): q is QueuedCommand => q !== null) : [];
    } catch {
      return [];
    }
  }

  #changed(): void {
    const { storage, storageKey } = this.#options;
    if (storage && storageKey) {
      try {
        if (this.#items.length === 0) storage.removeItem(storageKey);
        else storage.setItem(storageKey, JSON.stringify(this.#items));
      } catch {
        // A full or blocked storage only costs the queue's survival across a reload.
      }
    }
    for (const listener of this.#listeners) {
      try {
        listener(this.#items);
      } catch (error) {
        console.error('command queue listener failed', error);
      }
    }
  }
}
