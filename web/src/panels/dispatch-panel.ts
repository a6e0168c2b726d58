import { Unit, type Alert, type AlertId, type DispatchOrder, type OrderId, type Track, type TrackId, type UnitId } from '@seawall/contracts';
import type { RestClient } from '../api/rest-client';
import { cleanSensorText } from '../format/track-format';
import { formatDistance, formatEta } from '../i18n/format';
import { bindAttribute, bindText, onLanguageChange, t } from '../i18n/i18n';
import type { DispatchBook } from './unit-board';

/** What an order is for: an alert, or a track picked on the map. */
export type DispatchTarget = { alertId: AlertId; trackId?: undefined } | { trackId: TrackId; alertId?: undefined };

/**
 * One entry of `GET /api/orders/suggestions` (the server's `Suggestion`; not in the wire contract yet): the
 * unit, where it would meet the target, the geodesic distance to there, the time it takes at the unit's
 * speed, and whether it can catch the target at all.
 */
export interface Suggestion {
  unit: Unit;
  intercept: { lon: number; lat: number };
  distanceM: number;
  etaMs: number;
  catchable: boolean;
}

/** The suggestions of a server answer that make sense (a valid unit, finite numbers); the rest are dropped. */
export function parseSuggestions(payload: unknown): Suggestion[] {
  if (!Array.isArray(payload)) return [];
  const out: Suggestion[] = [];
  for (const item of payload as Partial<Suggestion>[]) {
    const unit = Unit.safeParse(item?.unit);
    const { distanceM, etaMs, catchable, intercept } = item ?? {};
    if (!unit.success || typeof distanceM !== 'number' || !Number.isFinite(distanceM) || typeof etaMs !== 'number' || !Number.isFinite(etaMs)) continue;
    out.push({ unit: unit.data, distanceM, etaMs, catchable: catchable === true, intercept: intercept ?? { lon: Number.NaN, lat: Number.NaN } });
  }
  return out;
}

export interface DispatchPanelDeps {
  rest: RestClient;
  book: DispatchBook;
  alertOf(id: AlertId): Alert | undefined;
  trackOf(id: TrackId): Track | undefined;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The target's heading line: the alert's rule, or the track's name (sensor text, cleaned, set as text). */
function describeTarget(target: DispatchTarget, deps: DispatchPanelDeps): { title: string; detail: string } {
  if (target.alertId !== undefined) {
    const alert = deps.alertOf(target.alertId);
    return { title: t('dispatch.forAlert', { rule: alert ? t(`rule.${alert.rule}`) : target.alertId }), detail: alert?.summary ?? '' };
  }
  const track = deps.trackOf(target.trackId);
  const name = (track && cleanSensorText(track.name)) ?? (track ? `${t(`kind.${track.kind}`)} ${track.id}` : target.trackId);
  return { title: t('dispatch.forTrack', { name }), detail: '' };
}

type LoadState = { kind: 'loading' } | { kind: 'ready'; suggestions: Suggestion[] } | { kind: 'error'; message: string };

/**
 * Suggested units for an alert or a track, fastest to intercept first, with distance, ETA and whether the
 * unit can catch the target; one click on Send creates the order. The orders sent from here stay listed
 * with their live status. Every server text (unit names, summaries, errors) goes in as text only.
 */
export class DispatchPanel {
  readonly element: HTMLElement;
  readonly #deps: DispatchPanelDeps;
  readonly #targetTitle: HTMLElement;
  readonly #targetDetail: HTMLElement;
  readonly #state: HTMLElement;
  readonly #body: HTMLTableSectionElement;
  readonly #table: HTMLTableElement;
  readonly #orders: HTMLOListElement;
  #target: DispatchTarget | null = null;
  #load: LoadState = { kind: 'loading' };
  #generation = 0;
  /** Per unit, the request id of a send that has not been answered: a retry reuses it, so one order is made. */
  readonly #requestIds = new Map<UnitId, string>();
  readonly #sending = new Set<UnitId>();
  readonly #sendErrors = new Map<UnitId, string>();
  #sent: OrderId[] = [];

  constructor(container: HTMLElement, deps: DispatchPanelDeps) {
    this.#deps = deps;
    this.element = el('section', 'panel dispatch-panel');
    this.element.id = 'dispatch-panel';
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-labelledby', 'dispatch-panel-title');
    this.element.hidden = true;

    const head = el('header', 'panel-head');
    const title = el('h2', 'panel-title');
    title.id = 'dispatch-panel-title';
    bindText(title, 'dispatch.title');
    const close = el('button', 'panel-close', '×');
    close.type = 'button';
    close.dataset.action = 'close';
    bindAttribute(close, 'aria-label', 'dispatch.close');
    bindAttribute(close, 'title', 'dispatch.close');
    close.addEventListener('click', () => this.close());
    head.append(title, close);

    this.#targetTitle = el('p', 'dispatch-target');
    this.#targetDetail = el('p', 'dispatch-detail');
    this.#state = el('p', 'dispatch-state');
    this.#state.setAttribute('role', 'status');
    this.#table = el('table', 'dispatch-units');
    const thead = el('thead', '');
    const headRow = el('tr', '');
    for (const key of ['dispatch.col.unit', 'dispatch.col.distance', 'dispatch.col.eta'] as const) {
      const th = el('th', '');
      bindText(th, key);
      headRow.append(th);
    }
    headRow.append(el('th', ''), el('th', ''));
    thead.append(headRow);
    this.#body = el('tbody', '');
    this.#table.append(thead, this.#body);
    this.#orders = el('ol', 'dispatch-orders');
    this.element.append(head, this.#targetTitle, this.#targetDetail, this.#state, this.#table, this.#orders);
    container.append(this.element);

    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
    deps.book.subscribe(() => {
      if (!this.element.hidden) this.#renderOrders();
    });
    onLanguageChange(() => {
      if (!this.element.hidden) this.#render();
    });
  }

  get target(): DispatchTarget | null {
    return this.#target;
  }

  /** Shows the panel for `target` and asks the server which units can go. */
  open(target: DispatchTarget): void {
    const same = this.#target?.alertId === target.alertId && this.#target?.trackId === target.trackId;
    this.#target = target;
    if (!same) {
      this.#sent = [];
      this.#requestIds.clear();
      this.#sendErrors.clear();
    }
    this.element.hidden = false;
    this.element.dataset.alertId = target.alertId ?? '';
    this.element.dataset.trackId = target.trackId ?? '';
    this.#load = { kind: 'loading' };
    this.#render();
    const generation = ++this.#generation;
    const query = target.alertId !== undefined ? { alertId: target.alertId } : { trackId: target.trackId };
    this.#deps.rest
      .get<{ suggestions?: unknown }>('/api/orders/suggestions', query)
      .then(({ suggestions }) => {
        if (generation === this.#generation) this.#load = { kind: 'ready', suggestions: parseSuggestions(suggestions) };
      })
      .catch((err: unknown) => {
        if (generation === this.#generation) this.#load = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
      })
      .finally(() => {
        if (generation === this.#generation) this.#render();
      });
    this.element.querySelector<HTMLButtonElement>('.panel-close')?.focus();
  }

  close(): void {
    this.element.hidden = true;
    this.#generation += 1;
  }

  #render(): void {
    const target = this.#target;
    if (!target) return;
    const { title, detail } = describeTarget(target, this.#deps);
    this.#targetTitle.textContent = title;
    this.#targetDetail.textContent = detail;
    this.#targetDetail.hidden = detail === '';
    const load = this.#load;
    this.#state.dataset.state = load.kind;
    this.#state.textContent =
      load.kind === 'loading'
        ? t('dispatch.loading')
        : load.kind === 'error'
          ? t('error.failed', { message: load.message })
          : load.suggestions.length === 0
            ? t('dispatch.none')
            : '';
    this.#state.hidden = this.#state.textContent === '';
    const suggestions = load.kind === 'ready' ? load.suggestions : [];
    this.#table.hidden = suggestions.length === 0;
    this.#body.replaceChildren(...suggestions.map((s) => this.#row(s)));
    this.#renderOrders();
  }

  #row(s: Suggestion): HTMLTableRowElement {
    const row = el('tr', 'suggestion');
    row.dataset.unitId = s.unit.id;
    row.dataset.catchable = String(s.catchable);
    const unitCell = el('td', 'suggestion-unit');
    unitCell.append(el('span', 'unit-name', s.unit.name), el('span', 'unit-kind', t(`unitKind.${s.unit.kind}`)));
    const distance = el('td', 'num', formatDistance(s.distanceM));
    const eta = el('td', 'num eta', formatEta(s.etaMs));
    const mark = el('td', `catch ${s.catchable ? 'yes' : 'no'}`, s.catchable ? `✓ ${t('dispatch.catchable')}` : `✗ ${t('dispatch.notCatchable')}`);
    const sendCell = el('td', 'send-cell');
    const send = el('button', 'action action-send');
    send.type = 'button';
    send.dataset.unitId = s.unit.id;
    send.dataset.action = 'send';
    const sending = this.#sending.has(s.unit.id);
    const sentAlready = this.#sent.some((id) => this.#deps.book.order(id)?.unitId === s.unit.id);
    send.textContent = sending ? t('dispatch.sending') : t('dispatch.send');
    send.disabled = sending || sentAlready;
    send.addEventListener('click', () => this.#send(s.unit.id));
    sendCell.append(send);
    const error = this.#sendErrors.get(s.unit.id);
    if (error) {
      const p = el('p', 'row-error', error);
      p.setAttribute('role', 'alert');
      sendCell.append(p);
    }
    row.append(unitCell, distance, eta, mark, sendCell);
    return row;
  }

  #send(unitId: UnitId): void {
    const target = this.#target;
    if (!target || this.#sending.has(unitId)) return;
    let requestId = this.#requestIds.get(unitId);
    if (!requestId) {
      requestId = crypto.randomUUID();
      this.#requestIds.set(unitId, requestId);
    }
    this.#sending.add(unitId);
    this.#sendErrors.delete(unitId);
    this.#render();
    const body = { unitId, requestId, ...(target.alertId !== undefined ? { alertId: target.alertId } : { trackId: target.trackId }) };
    this.#deps.rest
      .post<{ order: DispatchOrder }>('/api/orders', body)
      .then(({ order }) => {
        this.#requestIds.delete(unitId);
        this.#deps.book.applyOrder(order);
        if (!this.#sent.includes(order.id)) this.#sent.push(order.id);
      })
      .catch((err: unknown) => {
        this.#sendErrors.set(unitId, t('error.failed', { message: err instanceof Error ? err.message : String(err) }));
      })
      .finally(() => {
        this.#sending.delete(unitId);
        if (this.#target === target) this.#render();
      });
  }

  #renderOrders(): void {
    const items = this.#sent.flatMap((id) => {
      const order = this.#deps.book.order(id);
      if (!order) return [];
      const unit = this.#deps.book.unit(order.unitId);
      const li = el('li', 'dispatch-order');
      li.dataset.orderId = order.id;
      li.dataset.status = order.status;
      li.append(el('span', 'order-line', t('dispatch.orderFor', { unit: unit?.name ?? order.unitId, status: t(`orderStatus.${order.status}`) })));
      if (order.deliveredAtMs) li.append(el('span', 'order-note', t('order.delivered')));
      if (order.escalatedAtMs) li.append(el('span', 'order-escalated', t('order.escalated')));
      if (order.outcome) li.append(el('span', 'order-outcome', order.outcome));
      return [li];
    });
    this.#orders.replaceChildren(...items);
    this.#orders.hidden = items.length === 0;
  }
}

let mounted: DispatchPanel | null = null;

/** Builds the page's one dispatch panel in `container`; `openDispatch` then opens it. */
export function mountDispatchPanel(container: HTMLElement, deps: DispatchPanelDeps): DispatchPanel {
  mounted = new DispatchPanel(container, deps);
  return mounted;
}

/** Opens the dispatch panel for an alert or a track (from an alert row, or the track picked on the map). */
export function openDispatch(target: DispatchTarget): void {
  if (!mounted) throw new Error('openDispatch before mountDispatchPanel');
  mounted.open(target);
}

/**
 * "Dispatch to the selected track": a button over the chart while a track is pinned (the track card itself
 * lets the pointer through, so it cannot hold a button).
 */
export class TrackDispatchButton {
  readonly element: HTMLButtonElement;
  #trackId: TrackId | null = null;

  constructor(container: HTMLElement) {
    this.element = el('button', 'track-dispatch');
    this.element.type = 'button';
    this.element.dataset.action = 'dispatch-track';
    this.element.hidden = true;
    bindText(this.element, 'dispatch.selectedTrack');
    this.element.addEventListener('click', () => {
      if (this.#trackId !== null) openDispatch({ trackId: this.#trackId });
    });
    container.append(this.element);
  }

  setTrack(id: TrackId | null): void {
    this.#trackId = id;
    this.element.hidden = id === null;
    if (id === null) delete this.element.dataset.trackId;
    else this.element.dataset.trackId = id;
  }
}
