import type { CrewApp } from './crew-app';

/** What browser tests may ask a crew page (`window.seawallUnit`). */
export interface SeawallUnitHooks {
  /** Ids of the unfinished orders, in the order the crew works them. */
  pendingOrders(): string[];
  /** The order on the card, with its status as the server last told it. */
  currentOrder(): { id: string; status: string } | null;
  /** Commands waiting in the outbox. */
  queueLength(): number;
  /** connecting / online / reconnecting. */
  connection(): string;
}

declare global {
  interface Window {
    seawallUnit?: SeawallUnitHooks;
  }
}

/** Exposes `window.seawallUnit` (read-only). */
export function installCrewHooks(app: CrewApp, target: Window = window): void {
  target.seawallUnit = Object.freeze({
    pendingOrders: () => app.book.pending().map((o) => o.id),
    currentOrder: () => {
      const o = app.current();
      return o ? { id: o.id, status: o.status } : null;
    },
    queueLength: () => app.queue.size,
    connection: () => app.link.state,
  });
}
