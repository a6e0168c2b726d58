import type { Unit, UnitStatus } from '@seawall/contracts';
import type { LinkState } from './crew-link';
import { selfStatusChoices, unitStatusLabel } from './crew-format';
import { el } from './dom';

const LINK_LABELS: Readonly<Record<LinkState, string>> = {
  connecting: '连接中… Connecting…',
  online: '在线 Online',
  reconnecting: '重连中… Reconnecting…',
};

const SET_STATUS_LABELS: Partial<Record<UnitStatus, string>> = {
  available: '设为待命 Set available',
  'off-duty': '设为下班 Set off duty',
};

export interface CrewHeaderCallbacks {
  onSetStatus(status: UnitStatus): void;
  onSignOut(): void;
  onEnableSound(): void;
}

/**
 * The top of a crew page: who (unit name, the person signed in), the unit's status with the statuses the
 * crew may set by hand, the link (online / reconnecting…) with the commands waiting to be sent, and where
 * the own position comes from. Names are server text: textContent only.
 */
export class CrewHeader {
  readonly element: HTMLElement;
  readonly #name: HTMLElement;
  readonly #status: HTMLElement;
  readonly #connection: HTMLElement;
  readonly #queue: HTMLElement;
  readonly #position: HTMLElement;
  readonly #statusButtons: HTMLElement;
  readonly #sound: HTMLButtonElement;
  readonly #callbacks: CrewHeaderCallbacks;
  #shownChoices = '';

  constructor(person: string, callbacks: CrewHeaderCallbacks) {
    this.#callbacks = callbacks;
    this.element = el('header', 'crew-header');
    const top = el('div', 'crew-header-row');
    const who = el('div', 'crew-who');
    this.#name = el('strong', 'crew-name', '—');
    this.#name.dataset.testid = 'unit-name';
    who.append(this.#name, el('span', 'crew-person', person));
    this.#connection = el('span', 'connection');
    this.#connection.dataset.testid = 'connection';
    const signOut = el('button', 'sign-out', '退出 Sign out');
    signOut.type = 'button';
    signOut.addEventListener('click', () => callbacks.onSignOut());
    top.append(who, signOut);

    const bottom = el('div', 'crew-header-row crew-header-row-wrap');
    this.#status = el('span', 'chip unit-status', '—');
    this.#status.dataset.testid = 'unit-status';
    this.#queue = el('span', 'chip chip-queued');
    this.#queue.dataset.testid = 'queue-length';
    this.#position = el('span', 'position-source');
    this.#position.dataset.testid = 'position-source';
    this.#statusButtons = el('span', 'status-buttons');
    bottom.append(this.#connection, this.#status, this.#queue, this.#position, this.#statusButtons);

    this.#sound = el('button', 'sound-hint', '轻触开启提示音 Tap to enable alert sound');
    this.#sound.type = 'button';
    this.#sound.addEventListener('click', () => callbacks.onEnableSound());

    this.element.append(top, bottom, this.#sound);
    this.setConnection('connecting');
    this.setQueue(0);
  }

  /** `busy`: the crew has unfinished orders, and its status follows them rather than its own word. */
  setUnit(unit: Unit | null, queuedStatus: UnitStatus | null, busy: boolean): void {
    this.#name.textContent = unit?.name ?? '—';
    const status = queuedStatus ?? unit?.status ?? null;
    this.#status.textContent = status ? unitStatusLabel(status) + (queuedStatus ? ' …' : '') : '—';
    this.#status.dataset.unitStatus = status ?? 'unknown';
    const choices = unit && !busy ? selfStatusChoices(status ?? unit.status) : [];
    const key = choices.join(',');
    if (key === this.#shownChoices) return;
    this.#shownChoices = key;
    this.#statusButtons.replaceChildren(
      ...choices.map((s) => {
        const b = el('button', 'status-button', SET_STATUS_LABELS[s] ?? unitStatusLabel(s));
        b.type = 'button';
        b.dataset.setStatus = s;
        b.addEventListener('click', () => this.#callbacks.onSetStatus(s));
        return b;
      }),
    );
  }

  setConnection(state: LinkState): void {
    this.#connection.dataset.connection = state;
    this.#connection.textContent = LINK_LABELS[state];
  }

  setQueue(length: number): void {
    this.#queue.hidden = length === 0;
    this.#queue.dataset.queueLength = String(length);
    this.#queue.textContent = `待发送 ${length} queued`;
  }

  setPositionSource(text: string): void {
    this.#position.textContent = text;
  }

  setSoundReady(ready: boolean): void {
    this.#sound.hidden = ready;
  }
}
