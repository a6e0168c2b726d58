import type { DispatchOrder } from '@seawall/contracts';
import { formatLocalDateTime } from '../format/track-format';
import { formatLatLon } from './crew-format';
import { el } from './dom';
import { orderStatusLabel, projectStatus, type CrewAction } from './order-actions';

/**
 * The crew's other unfinished orders, one row each; tapping a row puts that order on the card. Notes and
 * names go in as text.
 */
export class OrderList {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  readonly #onPick: (orderId: string) => void;

  constructor(title: string, onPick: (orderId: string) => void) {
    this.#onPick = onPick;
    this.element = el('section', 'order-list');
    this.element.append(el('h3', 'section-title', title));
    this.#list = el('ol', 'order-list-items');
    this.element.append(this.#list);
  }

  render(orders: readonly DispatchOrder[], queuedFor: (orderId: string) => readonly CrewAction[], nowMs: number): void {
    this.element.hidden = orders.length === 0;
    this.#list.replaceChildren(
      ...orders.map((o) => {
        const item = el('li');
        const row = el('button', 'order-row');
        row.type = 'button';
        row.dataset.pendingOrderId = o.id;
        row.dataset.orderStatus = o.status;
        const shown = projectStatus(o.status, queuedFor(o.id));
        const top = el('span', 'order-row-top');
        top.append(el('span', `chip status-${shown}`, orderStatusLabel(shown)), el('span', 'order-row-time', formatLocalDateTime(o.createdAtMs, nowMs)));
        const where = el('span', 'order-row-target', formatLatLon(o.target.lat, o.target.lon));
        row.append(top, where);
        if (o.note) row.append(el('span', 'order-row-note', o.note));
        row.addEventListener('click', () => this.#onPick(o.id));
        item.append(row);
        return item;
      }),
    );
  }
}
