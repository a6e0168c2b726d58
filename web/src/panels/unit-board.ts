import { DispatchOrder, Unit, UnitKind, UnitStatus, type OrderId, type OrderStatus, type UnitId } from '@seawall/contracts';
import { formatLocalTime } from '../format/track-format';
import { shortOrderId } from '../i18n/format';
import { bindText, onLanguageChange, t } from '../i18n/i18n';
import { FrameBatcher } from '../state/frame-batcher';

/** An order in one of these is over: the unit is free of it. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['resolved', 'cancelled', 'rejected']);

const KIND_ORDER = UnitKind.options;

/** Boats, then shore vehicles, then drone teams; by id within a kind: rows keep their place as statuses change. */
export function compareUnits(a: Unit, b: Unit): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id);
}

/** Units by status, for the board's header. */
export function countUnitStatuses(units: readonly Unit[]): Record<UnitStatus, number> {
  const counts = Object.fromEntries(UnitStatus.options.map((s) => [s, 0])) as Record<UnitStatus, number>;
  for (const u of units) counts[u.status] += 1;
  return counts;
}

export type DispatchBookListener = () => void;

/**
 * The console's copy of units and orders: from `GET /api/units` and `GET /api/orders` (or `units:snapshot`)
 * and then `unit:updated` / `order:updated`. Every payload is checked against the contract; an update older
 * than the copy held is ignored.
 */
export class DispatchBook {
  readonly #units = new Map<UnitId, Unit>();
  readonly #orders = new Map<OrderId, DispatchOrder>();
  readonly #listeners = new Set<DispatchBookListener>();
  #unitList: Unit[] | null = null;
  #dropped = 0;

  get dropped(): number {
    return this.#dropped;
  }

  units(): readonly Unit[] {
    this.#unitList ??= [...this.#units.values()].sort(compareUnits);
    return this.#unitList;
  }

  unit(id: UnitId): Unit | undefined {
    return this.#units.get(id);
  }

  order(id: OrderId): DispatchOrder | undefined {
    return this.#orders.get(id);
  }

  /** The unit's newest order that is not over, if any. */
  currentOrderOf(unitId: UnitId): DispatchOrder | undefined {
    let best: DispatchOrder | undefined;
    for (const o of this.#orders.values()) {
      if (o.unitId !== unitId || FINAL_ORDER_STATUSES.has(o.status)) continue;
      if (!best || o.createdAtMs > best.createdAtMs) best = o;
    }
    return best;
  }

  /** A full list of units (REST or `units:snapshot`): replaces what was held. */
  replaceUnits(payload: unknown): void {
    const units = this.#parseList(payload, Unit);
    this.#units.clear();
    for (const u of units) this.#units.set(u.id, u);
    this.#changed();
  }

  applyUnit(payload: unknown): void {
    const parsed = Unit.safeParse(payload);
    if (!parsed.success) {
      this.#dropped += 1;
      return;
    }
    this.#units.set(parsed.data.id, parsed.data);
    this.#changed();
  }

  /** The server's orders (`GET /api/orders`); a copy held that is newer than the listed one is kept. */
  replaceOrders(payload: unknown): void {
    const orders = this.#parseList(payload, DispatchOrder);
    const next = new Map<OrderId, DispatchOrder>();
    for (const o of orders) {
      const held = this.#orders.get(o.id);
      next.set(o.id, held && held.updatedAtMs > o.updatedAtMs ? held : o);
    }
    this.#orders.clear();
    for (const [id, o] of next) this.#orders.set(id, o);
    this.#changed();
  }

  /** One order (an `order:updated`, or the answer to creating it); returns it when it was applied. */
  applyOrder(payload: unknown): DispatchOrder | null {
    const parsed = DispatchOrder.safeParse(payload);
    if (!parsed.success) {
      this.#dropped += 1;
      return null;
    }
    const order = parsed.data;
    const held = this.#orders.get(order.id);
    if (held && held.updatedAtMs > order.updatedAtMs) return null;
    this.#orders.set(order.id, order);
    this.#changed();
    return order;
  }

  subscribe(listener: DispatchBookListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #parseList<T>(payload: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T[] {
    if (!Array.isArray(payload)) {
      this.#dropped += 1;
      return [];
    }
    const out: T[] = [];
    for (const item of payload) {
      const r = schema.safeParse(item);
      if (r.success) out.push(r.data);
      else this.#dropped += 1;
    }
    return out;
  }

  #changed(): void {
    this.#unitList = null;
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        console.error('dispatch book listener failed', error);
      }
    }
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

interface UnitRow {
  row: HTMLTableRowElement;
  dot: HTMLElement;
  name: HTMLElement;
  kind: HTMLElement;
  status: HTMLElement;
  order: HTMLElement;
}

/**
 * Every unit with its live status (coloured, translated) and its current order's id and status. Unit names
 * come from the server and are set as text only.
 */
export class UnitBoard {
  readonly element: HTMLElement;
  readonly #book: DispatchBook;
  readonly #rows = new Map<UnitId, UnitRow>();
  readonly #body: HTMLTableSectionElement;
  readonly #summary: HTMLElement;
  readonly #empty: HTMLElement;
  readonly #batcher: FrameBatcher;

  constructor(container: HTMLElement, book: DispatchBook) {
    this.#book = book;
    this.element = el('section', 'panel unit-board');
    this.element.id = 'unit-board';
    this.element.setAttribute('aria-labelledby', 'unit-board-title');
    const head = el('header', 'panel-head');
    const title = el('h2', 'panel-title');
    title.id = 'unit-board-title';
    bindText(title, 'units.title');
    this.#summary = el('span', 'panel-sub unit-summary');
    head.append(title, this.#summary);
    const table = el('table', 'unit-table');
    this.#body = el('tbody', '');
    table.append(this.#body);
    this.#empty = el('p', 'panel-empty');
    bindText(this.#empty, 'units.empty');
    this.element.append(head, table, this.#empty);
    container.append(this.element);
    this.#batcher = new FrameBatcher(() => this.#render());
    book.subscribe(() => this.#batcher.request());
    onLanguageChange(() => this.#render());
    this.#render();
  }

  #render(): void {
    const units = this.#book.units();
    const counts = countUnitStatuses(units);
    this.#summary.replaceChildren();
    for (const status of UnitStatus.options) {
      if (counts[status] === 0) continue;
      const chip = el('span', 'unit-count', `${t(`unitStatus.${status}`)} ${counts[status]}`);
      chip.dataset.status = status;
      this.#summary.append(chip);
    }
    const keep = new Set(units.map((u) => u.id));
    for (const [id, row] of this.#rows) {
      if (keep.has(id)) continue;
      row.row.remove();
      this.#rows.delete(id);
    }
    let previous: Element | null = null;
    for (const unit of units) {
      const parts = this.#rows.get(unit.id) ?? this.#createRow(unit.id);
      this.#fill(parts, unit);
      const expected: Element | null = previous ? previous.nextElementSibling : this.#body.firstElementChild;
      if (expected !== parts.row) this.#body.insertBefore(parts.row, expected);
      previous = parts.row;
    }
    this.#empty.hidden = units.length > 0;
  }

  #createRow(id: UnitId): UnitRow {
    const row = el('tr', 'unit-row');
    row.dataset.unitId = id;
    const nameCell = el('td', 'unit-name-cell');
    const dot = el('span', 'status-dot');
    dot.setAttribute('aria-hidden', 'true');
    const label = el('div', 'unit-label');
    const name = el('span', 'unit-name');
    const kind = el('span', 'unit-kind');
    label.append(name, kind);
    const cellBox = el('div', 'unit-name-box');
    cellBox.append(dot, label);
    nameCell.append(cellBox);
    const statusCell = el('td', 'unit-status-cell');
    const status = el('span', 'unit-status');
    statusCell.append(status);
    const orderCell = el('td', 'unit-order-cell');
    const order = el('span', 'unit-order');
    orderCell.append(order);
    row.append(nameCell, statusCell, orderCell);
    const parts = { row, dot, name, kind, status, order };
    this.#rows.set(id, parts);
    return parts;
  }

  #fill(parts: UnitRow, unit: Unit): void {
    parts.row.dataset.status = unit.status;
    parts.name.textContent = unit.name;
    parts.name.title = unit.id;
    parts.kind.textContent = t(`unitKind.${unit.kind}`);
    parts.status.textContent = t(`unitStatus.${unit.status}`);
    const order = this.#book.currentOrderOf(unit.id);
    parts.order.replaceChildren();
    if (order) {
      const id = el('span', 'order-id', shortOrderId(order.id));
      id.title = `${order.id} · ${formatLocalTime(order.createdAtMs)}`;
      const status = el('span', 'order-status', t(`orderStatus.${order.status}`));
      status.dataset.status = order.status;
      parts.order.append(id, status);
      if (order.escalatedAtMs) parts.order.append(el('span', 'order-escalated', t('order.escalated')));
      parts.row.dataset.orderId = order.id;
      parts.row.dataset.orderStatus = order.status;
    } else {
      parts.order.textContent = '—';
      delete parts.row.dataset.orderId;
      delete parts.row.dataset.orderStatus;
    }
  }
}
