import type { DispatchOrder, Track } from '@seawall/contracts';
import { cleanSensorText, formatDegrees, formatLocalDateTime, formatSog } from '../format/track-format';
import { distanceBearing, formatAge, formatDistance, formatLatLon } from './crew-format';
import { el } from './dom';
import { actionsFor, orderStatusLabel, projectStatus, type ActionButton, type CrewAction } from './order-actions';

/** What the card needs to draw one order. */
export interface OrderCardModel {
  order: DispatchOrder;
  /** Actions the crew took that have not reached the server yet. */
  queued: readonly CrewAction[];
  /** The target vessel's live track, when the crew may see it. */
  targetTrack: Track | null;
  /** Where the crew is, for distance and bearing. */
  own: { lon: number; lat: number } | null;
  /** Whether the link is up: queued steps are then being sent, else they wait. */
  online: boolean;
  nowMs: number;
}

export interface OrderCardCallbacks {
  onAction(orderId: string, action: CrewAction, outcome?: string): void;
}

const REJECT_CONFIRM_MS = 4_000;

/**
 * The current order, big enough to read and tap on a rolling deck. The card is rebuilt only when the order,
 * its status or the crew's queued steps change; distance and the target's live position are updated in
 * place, so an outcome being typed is never lost. Every server text goes in with textContent.
 */
export class OrderCard {
  readonly element: HTMLElement;
  readonly #callbacks: OrderCardCallbacks;
  readonly #drafts = new Map<string, string>();
  #key: string | null = null;
  #live: { distance: HTMLElement; targetNow: HTMLElement; targetNowRow: HTMLElement; title: HTMLElement } | null = null;

  constructor(callbacks: OrderCardCallbacks) {
    this.#callbacks = callbacks;
    this.element = el('section', 'order-slot');
    this.element.setAttribute('aria-live', 'polite');
  }

  /** Draws the order, or the "no order" state. */
  render(model: OrderCardModel | null, emptyText: string): void {
    if (!model) {
      if (this.#key === 'none') return;
      this.#key = 'none';
      this.#live = null;
      const empty = el('div', 'order-empty', emptyText);
      empty.dataset.testid = 'no-order';
      this.element.replaceChildren(empty);
      return;
    }
    const shown = projectStatus(model.order.status, model.queued);
    const key = `${model.order.id}|${model.order.status}|${shown}|${model.queued.join(',')}|${model.online}`;
    if (key !== this.#key) {
      this.#key = key;
      this.element.replaceChildren(this.#build(model, shown));
    }
    this.#update(model);
  }

  #build(model: OrderCardModel, shown: DispatchOrder['status']): HTMLElement {
    const { order } = model;
    const card = el('article', 'order-card');
    card.dataset.orderId = order.id;
    card.dataset.orderStatus = order.status;
    card.dataset.shownStatus = shown;

    const head = el('header', 'order-card-head');
    head.append(el('span', 'order-card-kicker', '当前指令 Current order'));
    const chip = el('span', `chip status-${shown}`, orderStatusLabel(shown));
    chip.dataset.testid = 'order-status';
    head.append(chip);
    if (model.queued.length > 0) {
      const q = model.online
        ? el('span', 'chip chip-sending', '发送中 Sending…')
        : el('span', 'chip chip-queued', `待发送 ${model.queued.length} queued`);
      if (!model.online) q.title = '联网后发送 Sent when back online';
      head.append(q);
    }
    const title = el('h2', 'order-card-title');

    const facts = el('dl', 'order-facts');
    const row = (label: string, value: string, testid?: string) => {
      const dt = el('dt', undefined, label);
      const dd = el('dd', undefined, value);
      if (testid) dd.dataset.testid = testid;
      facts.append(dt, dd);
      return { dt, dd };
    };
    row('目标位置 Target', formatLatLon(order.target.lat, order.target.lon), 'order-target');
    const distance = row('距离方位 Range', '—', 'order-distance').dd;
    const targetNow = row('目标动态 Target now', '—', 'order-target-now');
    if (order.note) row('备注 Note', order.note, 'order-note').dd.classList.add('order-note');
    row('下达 From', order.createdBy, 'order-created-by');
    row('时间 Time', formatLocalDateTime(order.createdAtMs, model.nowMs), 'order-time');
    if (order.alertId) row('告警 Alert', order.alertId);

    card.append(head, title, facts, this.#actions(order.id, shown));
    this.#live = { distance, targetNow: targetNow.dd, targetNowRow: targetNow.dt, title };
    return card;
  }

  #update(model: OrderCardModel): void {
    const live = this.#live;
    if (!live) return;
    const { order, targetTrack, own, nowMs } = model;
    const name = targetTrack ? cleanSensorText(targetTrack.name) : null;
    live.title.textContent = name ?? (targetTrack ? targetTrack.id : order.trackId ?? '指定位置 Map point');
    const where = targetTrack ?? order.target;
    if (own) {
      const { distanceM, bearingDeg } = distanceBearing(own, where);
      live.distance.textContent = `${formatDistance(distanceM)} · ${formatDegrees(bearingDeg)}`;
    } else live.distance.textContent = '— (本船位置未知 own position unknown)';
    const showNow = targetTrack !== null;
    live.targetNowRow.hidden = !showNow;
    live.targetNow.hidden = !showNow;
    if (targetTrack) {
      live.targetNow.textContent = `${formatLatLon(targetTrack.lat, targetTrack.lon)} · ${formatSog(targetTrack.sogKn)} · ${formatDegrees(targetTrack.cogDeg)} · ${formatAge(nowMs - targetTrack.lastSeenMs)} 前 ago`;
    }
  }

  #actions(orderId: string, shown: DispatchOrder['status']): HTMLElement {
    const box = el('div', 'order-actions');
    for (const spec of actionsFor(shown)) {
      if (spec.needsOutcome) box.append(this.#resolveForm(orderId, spec));
      else box.append(this.#button(orderId, spec));
    }
    return box;
  }

  #button(orderId: string, spec: ActionButton): HTMLButtonElement {
    const button = el('button', `action action-${spec.tone}`, spec.label);
    button.type = 'button';
    button.dataset.action = spec.action;
    let armedUntil = 0;
    let disarm: ReturnType<typeof setTimeout> | null = null;
    button.addEventListener('click', () => {
      if (spec.needsConfirm && Date.now() > armedUntil) {
        armedUntil = Date.now() + REJECT_CONFIRM_MS;
        button.dataset.armed = 'true';
        button.textContent = '再按一次确认 Tap again to confirm';
        if (disarm) clearTimeout(disarm);
        disarm = setTimeout(() => {
          delete button.dataset.armed;
          button.textContent = spec.label;
        }, REJECT_CONFIRM_MS);
        return;
      }
      if (disarm) clearTimeout(disarm);
      button.disabled = true;
      this.#callbacks.onAction(orderId, spec.action);
    });
    return button;
  }

  #resolveForm(orderId: string, spec: ActionButton): HTMLElement {
    const form = el('form', 'resolve-form');
    form.noValidate = true;
    const label = el('label', 'resolve-label');
    label.append(el('span', undefined, '处置结果 Outcome (必填 required)'));
    const text = el('textarea', 'resolve-outcome');
    text.name = 'outcome';
    text.rows = 3;
    text.maxLength = 1024;
    text.required = true;
    text.placeholder = '例如：已登临检查，放行 e.g. boarded and inspected, released';
    text.value = this.#drafts.get(orderId) ?? '';
    label.append(text);
    const button = el('button', `action action-${spec.tone}`, spec.label);
    button.type = 'submit';
    button.dataset.action = spec.action;
    const sync = () => {
      this.#drafts.set(orderId, text.value);
      button.disabled = text.value.trim() === '';
    };
    sync();
    text.addEventListener('input', sync);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const outcome = text.value.trim();
      if (!outcome) return text.focus();
      button.disabled = true;
      this.#drafts.delete(orderId);
      this.#callbacks.onAction(orderId, spec.action, outcome);
    });
    form.append(label, button);
    return form;
  }
}
