import type { DispatchOrder, OrderId } from '@seawall/contracts';
import { isFinal, sortPending } from './order-actions';

/** What one change to the book means for the crew. */
export interface OrderBookChange {
  /** Orders the crew has not been told about yet: sound, vibrate, show the banner. */
  arrived: DispatchOrder[];
  /** Orders that ended while in the book (cancelled by the command centre, resolved, rejected). */
  ended: DispatchOrder[];
  /** Orders whose receipt the server still waits for (`order:received`). */
  unconfirmed: DispatchOrder[];
}

export type OrderBookListener = () => void;

/**
 * The crew's orders as the server last told them: `orders:pending` on every (re)connect replaces the set
 * of unfinished orders, `order:updated` changes one. An update older than what the book holds is ignored
 * (redeliveries and a snapshot may cross a newer update on the wire).
 */
export class OrderBook {
  readonly #orders = new Map<OrderId, DispatchOrder>();
  /** Orders already announced in this page, so a redelivery does not ring again. */
  readonly #announced = new Set<OrderId>();
  readonly #listeners = new Set<OrderBookListener>();

  /** Orders not yet finished, in the order the crew works them. */
  pending(): DispatchOrder[] {
    return sortPending(this.#orders.values());
  }

  get(id: string): DispatchOrder | undefined {
    return this.#orders.get(id as OrderId);
  }

  subscribe(listener: OrderBookListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Orders kept from an earlier visit (this phone's storage), shown until the server's list comes: already
   * seen by the crew, so they are not announced again.
   */
  restore(orders: readonly DispatchOrder[]): void {
    for (const order of orders) {
      if (this.#orders.has(order.id) || isFinal(order.status)) continue;
      this.#orders.set(order.id, order);
      this.#announced.add(order.id);
    }
    this.#notify();
  }

  /**
   * The server's list of unfinished orders (`orders:pending`). Orders the book held as unfinished but the
   * list lacks ended while the crew was away; they are dropped, as how they ended is not known here.
   */
  replacePending(orders: readonly DispatchOrder[]): OrderBookChange {
    const change: OrderBookChange = { arrived: [], ended: [], unconfirmed: [] };
    const listed = new Set(orders.map((o) => o.id));
    for (const [id, held] of this.#orders) if (!listed.has(id) || isFinal(held.status)) this.#orders.delete(id);
    for (const order of orders) this.#take(order, change);
    this.#notify();
    return change;
  }

  /** One order changed (`order:updated`, or the answer to the crew's own command). */
  upsert(order: DispatchOrder): OrderBookChange {
    const change: OrderBookChange = { arrived: [], ended: [], unconfirmed: [] };
    this.#take(order, change);
    this.#notify();
    return change;
  }

  #take(order: DispatchOrder, change: OrderBookChange): void {
    const held = this.#orders.get(order.id);
    if (held && order.updatedAtMs < held.updatedAtMs) return;
    this.#orders.set(order.id, order);
    if (!order.deliveredAtMs) change.unconfirmed.push(order);
    if (isFinal(order.status)) {
      if (held && !isFinal(held.status)) change.ended.push(order);
      return;
    }
    if (this.#announced.has(order.id)) return;
    this.#announced.add(order.id);
    // Already confirmed by this crew (on another page load or phone): not news, only shown.
    if (order.status === 'sent' && !order.deliveredAtMs) change.arrived.push(order);
  }

  #notify(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        console.error('order book listener failed', error);
      }
    }
  }
}
