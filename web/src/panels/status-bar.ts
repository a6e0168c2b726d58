import type { ServerHealth } from '../api/health-poll';
import { formatLocalTime } from '../format/track-format';
import type { ConnectionState } from '../realtime/track-socket';

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: '连接中 connecting',
  syncing: '同步中 syncing',
  live: '实时 live',
  reconnecting: '重连中 reconnecting',
};

const HEALTH_LABELS: Record<ServerHealth, string> = {
  unknown: '—',
  ok: '正常 ok',
  degraded: '降级 degraded',
  unreachable: '无响应 unreachable',
};

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

function statusItem(label: string, testId: string): { item: HTMLElement; value: HTMLElement } {
  const item = element('div', 'status-item');
  const value = element('span', 'status-value', '—');
  value.dataset.testid = testId;
  item.append(element('span', 'status-label', label), value);
  return { item, value };
}

/** Builds the status bar inside `root` (which it empties) and returns its setters. */
export function mountStatusBar(root: HTMLElement): StatusBar {
  root.replaceChildren();
  root.classList.add('status-bar');

  const brand = element('div', 'brand');
  brand.append(
    element('span', 'brand-mark', '海防'),
    element('span', 'brand-name', 'Seawall'),
    element('span', 'brand-sub', '海岸监视指挥 · coastal watch'),
  );

  const items = element('div', 'status-items');
  const connection = element('div', 'status-item connection');
  connection.dataset.testid = 'connection-state';
  const connectionDot = element('span', 'connection-dot');
  connectionDot.setAttribute('aria-hidden', 'true');
  const connectionText = element('span', 'status-value');
  connection.append(connectionDot, connectionText);
  connection.setAttribute('role', 'status');

  const health = statusItem('服务 server', 'server-health');
  const count = statusItem('目标 tracks', 'track-count');
  const updated = statusItem('更新 updated', 'last-update');
  items.append(connection, health.item, count.item, updated.item);
  root.append(brand, items);

  const bar: StatusBar = {
    setConnection(state) {
      connection.dataset.state = state;
      connectionText.textContent = CONNECTION_LABELS[state];
    },
    setHealth(state) {
      health.item.dataset.state = state;
      health.value.textContent = HEALTH_LABELS[state];
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
