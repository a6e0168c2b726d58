import type { ServerHealth } from '../api/health-poll';
import { formatLocalTime } from '../format/track-format';
import { bindText, t, type MessageKey } from '../i18n/i18n';
import type { ConnectionState } from '../realtime/track-socket';

const healthLabel = (health: ServerHealth): string => (health === 'unknown' ? '—' : t(`health.${health}`));

/** The top bar: title, link state, server health, track count and last update (local time). */
export interface StatusBar {
  setConnection(state: ConnectionState): void;
  setHealth(health: ServerHealth): void;
  setTrackCount(count: number): void;
  setLastUpdate(epochMs: number | null): void;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function statusItem(label: MessageKey, testId: string): { item: HTMLElement; value: HTMLElement } {
  const item = element('div', 'status-item');
  const value = element('span', 'status-value', '—');
  value.dataset.testid = testId;
  const caption = element('span', 'status-label');
  bindText(caption, label);
  item.append(caption, value);
  return { item, value };
}

/** Builds the status bar inside `root` (which it empties) and returns its setters. */
export function mountStatusBar(root: HTMLElement): StatusBar {
  root.replaceChildren();
  root.classList.add('status-bar');

  const brand = element('div', 'brand');
  const sub = element('span', 'brand-sub');
  bindText(sub, 'app.subtitle');
  brand.append(element('span', 'brand-mark', '海防'), element('span', 'brand-name', 'Seawall'), sub);

  const items = element('div', 'status-items');
  const connection = element('div', 'status-item connection');
  connection.dataset.testid = 'connection-state';
  const connectionDot = element('span', 'connection-dot');
  connectionDot.setAttribute('aria-hidden', 'true');
  const connectionText = element('span', 'status-value');
  connection.append(connectionDot, connectionText);
  connection.setAttribute('role', 'status');

  const health = statusItem('status.server', 'server-health');
  const count = statusItem('status.tracks', 'track-count');
  const updated = statusItem('status.updated', 'last-update');
  items.append(connection, health.item, count.item, updated.item);
  root.append(brand, items);

  const bar: StatusBar = {
    setConnection(state) {
      connection.dataset.state = state;
      bindText(connectionText, () => t(`connection.${state}`));
    },
    setHealth(state) {
      health.item.dataset.state = state;
      bindText(health.value, () => healthLabel(state));
    },
    setTrackCount(n) {
      count.value.textContent = n.toLocaleString('en-US');
    },
    setLastUpdate(epochMs) {
      updated.value.textContent = formatLocalTime(epochMs);
      if (epochMs === null) updated.value.removeAttribute('title');
      else updated.value.title = new Date(epochMs).toString();
    },
  };
  bar.setConnection('connecting');
  bar.setHealth('unknown');
  bar.setTrackCount(0);
  bar.setLastUpdate(null);
  return bar;
}
