import { RISK_LEVELS, type Alert, type AlertId, type TrackId } from '@seawall/contracts';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { RestClient } from '../api/rest-client';
import { formatLocalTime } from '../format/track-format';
import { bindAttribute, bindText, onLanguageChange, t } from '../i18n/i18n';
import { RISK_COLORS, cssColor } from '../map/risk-colors';
import { ALERT_RING_KEYS, type AlertStore, type AlertStoreChange } from '../state/alert-store';
import { FrameBatcher } from '../state/frame-batcher';

export interface AlertPanelDeps {
  store: AlertStore;
  rest: RestClient;
  map: MapLibreMap;
  /** Pins a track on the map; false when it is not in the picture. */
  selectTrack(id: TrackId): boolean;
  openDispatch(target: { alertId: AlertId }): void;
}

type AlertAction = 'ack' | 'false-alarm' | 'dispatch';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const MUTE_KEY = 'seawall.alarm.muted';
const FLASH_MS = 4_000;

/**
 * A short two-tone alarm made with an oscillator (no audio file). Browsers only let a page make sound after
 * someone has clicked or typed in it, so the context is (re)started on the first such gesture; until then
 * `blocked` is true and the panel says so.
 */
export class AlarmSound {
  #context: AudioContext | null = null;
  #muted: boolean;
  readonly #onState: () => void;

  constructor(onState: () => void) {
    this.#onState = onState;
    this.#muted = readFlag(MUTE_KEY);
    const unlock = () => {
      this.#ensureContext();
      void this.#context?.resume().then(() => this.#onState());
    };
    document.addEventListener('pointerdown', unlock, { capture: true });
    document.addEventListener('keydown', unlock, { capture: true });
  }

  get muted(): boolean {
    return this.#muted;
  }

  set muted(muted: boolean) {
    this.#muted = muted;
    writeFlag(MUTE_KEY, muted);
    this.#onState();
  }

  /** True while sound is wanted but the browser has not allowed it yet. */
  get blocked(): boolean {
    return !this.#muted && this.#context?.state !== 'running';
  }

  play(): void {
    if (this.#muted) return;
    this.#ensureContext();
    const ctx = this.#context;
    if (!ctx || ctx.state !== 'running') return;
    const start = ctx.currentTime + 0.02;
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0, start);
    const osc = ctx.createOscillator();
    osc.type = 'square';
    osc.connect(gain);
    // Three hi-lo pulses, about 1.2 s: distinct from any system sound, short enough not to drown speech.
    for (let i = 0; i < 6; i++) {
      const at = start + i * 0.2;
      osc.frequency.setValueAtTime(i % 2 === 0 ? 1046 : 784, at);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.18);
    }
    osc.start(start);
    osc.stop(start + 1.25);
  }

  #ensureContext(): void {
    if (this.#context || typeof AudioContext === 'undefined') return;
    this.#context = new AudioContext();
    this.#context.addEventListener('statechange', () => this.#onState());
  }
}

/**
 * Sets a node's text only when it differs: a rewrite replaces the text node and makes the browser lay the
 * panel out again several times a second for nothing.
 */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === 'true';
  } catch {
    return false;
  }
}

function writeFlag(key: string, value: boolean): void {
  try {
    localStorage.setItem(key, String(value));
  } catch {
    // Storage unavailable: the choice lasts until the page closes.
  }
}

/**
 * Flashes the browser tab's title while a new red alert waits for someone to look: until the operator
 * clicks or types in the visible page, or no red alert is open any more.
 */
export class TitleFlasher {
  #timer: ReturnType<typeof setInterval> | null = null;
  #text = '';
  #on = false;

  constructor() {
    const seen = () => {
      if (document.visibilityState === 'visible') this.stop();
    };
    document.addEventListener('pointerdown', seen, { capture: true });
    document.addEventListener('keydown', seen, { capture: true });
  }

  get flashing(): boolean {
    return this.#timer !== null;
  }

  start(text: string): void {
    this.#text = text;
    if (this.#timer !== null) return;
    this.#timer = setInterval(() => {
      this.#on = !this.#on;
      document.title = this.#on ? this.#text : t('app.title');
    }, 800);
    this.#on = true;
    document.title = this.#text;
  }

  stop(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
    this.#on = false;
    document.title = t('app.title');
  }
}

interface RowParts {
  row: HTMLLIElement;
  chip: HTMLElement;
  rule: HTMLElement;
  time: HTMLTimeElement;
  summary: HTMLElement;
  ring: HTMLElement;
  status: HTMLElement;
  buttons: Record<AlertAction, HTMLButtonElement>;
  error: HTMLElement;
}

/**
 * The alert list on the right: counts per level and per ring on top, then every alert still to handle, red
 * first and newest first within a level. A row shows the level, the rule, the server's summary (sensor text,
 * set as text only), the ring, the time raised and the status, with Acknowledge / False alarm / Dispatch.
 * Clicking a row flies the chart to the alert and pins its first track. A new red alert sounds, flashes its
 * row and the panel, and flashes the tab's title.
 */
export class AlertPanel {
  readonly element: HTMLElement;
  readonly #deps: AlertPanelDeps;
  readonly #rows = new Map<AlertId, RowParts>();
  readonly #pending = new Map<AlertId, AlertAction>();
  readonly #errors = new Map<AlertId, string>();
  readonly #flashing = new Map<AlertId, number>();
  #pressed = false;
  readonly #list: HTMLOListElement;
  readonly #empty: HTMLElement;
  readonly #total: HTMLElement;
  readonly #levelCounts = new Map<string, HTMLElement>();
  readonly #ringCounts = new Map<string, HTMLElement>();
  readonly #mute: HTMLButtonElement;
  readonly #soundHint: HTMLElement;
  readonly #sound: AlarmSound;
  readonly #title = new TitleFlasher();
  readonly #batcher: FrameBatcher;
  #alarms = 0;
  #alarmTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(container: HTMLElement, deps: AlertPanelDeps) {
    this.#deps = deps;
    this.element = el('section', 'panel alert-panel');
    this.element.id = 'alert-panel';
    this.element.setAttribute('aria-labelledby', 'alert-panel-title');

    const head = el('header', 'panel-head');
    const title = el('h2', 'panel-title');
    title.id = 'alert-panel-title';
    bindText(title, 'alerts.title');
    this.#total = el('span', 'panel-sub');
    this.#total.dataset.testid = 'alert-total';
    this.#mute = el('button', 'mute-toggle');
    this.#mute.type = 'button';
    this.#mute.dataset.testid = 'alert-mute';
    this.#mute.addEventListener('click', () => {
      this.#sound.muted = !this.#sound.muted;
    });
    head.append(title, this.#total, this.#mute);

    const counts = el('div', 'alert-counts');
    const levels = el('div', 'count-row');
    bindAttribute(levels, 'aria-label', 'alerts.byLevel');
    for (const level of RISK_LEVELS) {
      const chip = el('span', 'count-chip level');
      chip.dataset.level = level;
      const swatch = el('span', 'count-swatch');
      swatch.style.backgroundColor = cssColor(RISK_COLORS[level]);
      const label = el('span', 'count-label');
      bindText(label, `level.${level}`);
      const n = el('span', 'count-value', '0');
      n.dataset.testid = `alert-count-level-${level}`;
      this.#levelCounts.set(level, n);
      chip.append(swatch, label, n);
      levels.append(chip);
    }
    const rings = el('div', 'count-row');
    bindAttribute(rings, 'aria-label', 'alerts.byRing');
    for (const ring of ALERT_RING_KEYS) {
      const chip = el('span', 'count-chip ring');
      chip.dataset.ring = ring;
      const label = el('span', 'count-label');
      bindText(label, ring === 'none' ? 'alerts.noRing' : `ring.${ring}`);
      const n = el('span', 'count-value', '0');
      n.dataset.testid = `alert-count-ring-${ring}`;
      this.#ringCounts.set(ring, n);
      chip.append(label, n);
      rings.append(chip);
    }
    counts.append(levels, rings);

    this.#soundHint = el('p', 'sound-hint');
    bindText(this.#soundHint, 'alerts.soundBlocked');
    this.#list = el('ol', 'alert-list');
    this.#empty = el('p', 'panel-empty');
    bindText(this.#empty, 'alerts.empty');
    this.element.append(head, counts, this.#soundHint, this.#list, this.#empty);
    container.append(this.element);

    // A click is a press and a release on the same element. While a pointer is down anywhere in the panel,
    // nothing in it is re-rendered: a count that grows a digit can wrap the chips above the list and move
    // every row under the pointer, and the release would then land on the row (or another one) instead.
    // On the window in the capture phase, so the press is known before any other listener of this
    // pointerdown runs: the alarm's unlock (on the document, capture) re-renders the sound state within the
    // same dispatch, and the hint it hid moved the list up under the very press that unblocked the sound,
    // so the first click in the page fell on the row instead of its button.
    window.addEventListener(
      'pointerdown',
      (event) => {
        if (event.target instanceof Node && this.element.contains(event.target)) this.#pressed = true;
      },
      { capture: true },
    );
    this.#sound = new AlarmSound(() => this.#renderSound());
    this.#batcher = new FrameBatcher(() => this.#render());
    const release = () => {
      if (!this.#pressed) return;
      this.#pressed = false;
      // After the click this release completes.
      setTimeout(() => {
        this.#renderSound();
        this.#batcher.request();
      }, 0);
    };
    window.addEventListener('pointerup', release);
    // A press the browser took over (a scroll gesture, a lost window) never sees its release.
    window.addEventListener('pointercancel', release);
    window.addEventListener('blur', release);
    deps.store.subscribe((change) => this.#onChange(change));
    onLanguageChange(() => this.#render(true));
    this.#renderSound();
    this.#render();
  }

  /** How many times the alarm went off (for tests; sound itself cannot be heard headless). */
  get alarms(): number {
    return this.#alarms;
  }

  #onChange(change: AlertStoreChange): void {
    if (change.newRed.length > 0) this.#alarm(change.newRed);
    this.#batcher.request();
  }

  #alarm(alerts: readonly Alert[]): void {
    this.#alarms += 1;
    this.element.dataset.alarms = String(this.#alarms);
    const until = Date.now() + FLASH_MS;
    for (const alert of alerts) this.#flashing.set(alert.id, until);
    this.#sound.play();
    this.#title.start(t('alerts.tabRed', { rule: t(`rule.${alerts[0]!.rule}`) }));
    this.element.classList.remove('alarm');
    // Restart the animation when a second alarm comes while the first still flashes.
    void this.element.offsetWidth;
    this.element.classList.add('alarm');
    if (this.#alarmTimer !== null) clearTimeout(this.#alarmTimer);
    this.#alarmTimer = setTimeout(() => {
      this.#alarmTimer = null;
      this.element.classList.remove('alarm');
      this.#batcher.request();
    }, FLASH_MS + 50);
  }

  #renderSound(): void {
    this.#mute.setAttribute('aria-pressed', String(this.#sound.muted));
    setText(this.#mute, t(this.#sound.muted ? 'alerts.soundOff' : 'alerts.soundOn'));
    this.#mute.dataset.muted = String(this.#sound.muted);
    // The first press anywhere unblocks the sound; hiding the hint then would move the list under that press.
    if (!this.#pressed) this.#soundHint.hidden = !this.#sound.blocked;
  }

  #render(languageChanged = false): void {
    const { store } = this.#deps;
    const counts = store.counts();
    if (counts.openRed === 0) this.#title.stop();
    // The release schedules a full render, language included (labels are re-read on every render).
    if (this.#pressed) return;
    if (languageChanged) this.#renderSound();
    setText(this.#total, t('alerts.total', { count: counts.total }));
    for (const [level, node] of this.#levelCounts) {
      const n = counts.byLevel[level as keyof typeof counts.byLevel];
      setText(node, String(n));
      node.parentElement?.classList.toggle('zero', n === 0);
    }
    for (const [ring, node] of this.#ringCounts) {
      const n = counts.byRing[ring as keyof typeof counts.byRing];
      setText(node, String(n));
      node.parentElement?.classList.toggle('zero', n === 0);
    }

    const alerts = store.list();
    const keep = new Set(alerts.map((a) => a.id));
    for (const [id, parts] of this.#rows) {
      if (keep.has(id)) continue;
      parts.row.remove();
      this.#rows.delete(id);
      this.#errors.delete(id);
      this.#flashing.delete(id);
    }
    const now = Date.now();
    let previous: Element | null = null;
    for (const alert of alerts) {
      const parts = this.#rows.get(alert.id) ?? this.#createRow(alert.id);
      this.#fillRow(parts, alert, now);
      // Move only what is out of place: a row under the pointer stays put when nothing above it changed.
      const expected: Element | null = previous ? previous.nextElementSibling : this.#list.firstElementChild;
      if (expected !== parts.row) this.#list.insertBefore(parts.row, expected);
      previous = parts.row;
    }
    this.#empty.hidden = alerts.length > 0;
  }

  #createRow(id: AlertId): RowParts {
    const row = el('li', 'alert-row');
    row.dataset.alertId = id;
    row.tabIndex = 0;
    const main = el('div', 'alert-row-main');
    const chip = el('span', 'level-chip');
    const rule = el('span', 'alert-rule');
    const time = el('time', 'alert-time');
    main.append(chip, rule, time);
    const summary = el('div', 'alert-summary');
    const meta = el('div', 'alert-meta');
    const ring = el('span', 'alert-ring');
    const status = el('span', 'alert-status');
    meta.append(ring, status);
    const actions = el('div', 'alert-actions');
    const button = (action: AlertAction) => {
      const b = el('button', `action action-${action}`);
      b.type = 'button';
      b.dataset.action = action;
      b.addEventListener('click', (event) => {
        event.stopPropagation();
        this.#act(id, action);
      });
      actions.append(b);
      return b;
    };
    const buttons = { ack: button('ack'), 'false-alarm': button('false-alarm'), dispatch: button('dispatch') };
    const error = el('p', 'row-error');
    error.setAttribute('role', 'alert');
    const foot = el('div', 'alert-foot');
    foot.append(meta, actions);
    row.append(main, summary, foot, error);
    row.addEventListener('click', () => this.#locate(id));
    row.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === row) this.#locate(id);
    });
    const parts: RowParts = { row, chip, rule, time, summary, ring, status, buttons, error };
    this.#rows.set(id, parts);
    return parts;
  }

  #fillRow(parts: RowParts, alert: Alert, now: number): void {
    const { row } = parts;
    row.dataset.level = alert.level;
    row.dataset.status = alert.status;
    setText(parts.chip, t(`level.${alert.level}`));
    parts.chip.style.backgroundColor = cssColor(RISK_COLORS[alert.level]);
    setText(parts.rule, t(`rule.${alert.rule}`));
    setText(parts.time, formatLocalTime(alert.raisedAtMs));
    parts.time.dateTime = new Date(alert.raisedAtMs).toISOString();
    parts.time.title = new Date(alert.raisedAtMs).toString();
    setText(parts.summary, alert.summary);
    setText(parts.ring, alert.ring ? t(`ring.${alert.ring}`) : t('alerts.noRing'));
    setText(parts.status, t(`alertStatus.${alert.status}`));
    parts.status.dataset.status = alert.status;
    row.title = t('alerts.locate');

    const pending = this.#pending.get(alert.id);
    const labels: Record<AlertAction, string> = { ack: t('action.ack'), 'false-alarm': t('action.falseAlarm'), dispatch: t('action.dispatch') };
    for (const action of ['ack', 'false-alarm', 'dispatch'] as const) {
      const b = parts.buttons[action];
      setText(b, labels[action]);
      b.hidden = action === 'ack' && alert.status !== 'open';
      b.disabled = pending !== undefined;
    }
    parts.buttons['false-alarm'].hidden = alert.status === 'dispatched';

    const error = this.#errors.get(alert.id);
    setText(parts.error, error ?? '');
    parts.error.hidden = error === undefined;

    const flashUntil = this.#flashing.get(alert.id);
    const flash = flashUntil !== undefined && flashUntil > now;
    if (flashUntil !== undefined && !flash) this.#flashing.delete(alert.id);
    row.classList.toggle('flash', flash);
  }

  #act(id: AlertId, action: AlertAction): void {
    if (action === 'dispatch') {
      this.#deps.openDispatch({ alertId: id });
      return;
    }
    if (this.#pending.has(id)) return;
    this.#pending.set(id, action);
    this.#errors.delete(id);
    this.#batcher.request();
    const path = `/api/alerts/${encodeURIComponent(id)}/${action}`;
    this.#deps.rest
      // The server records the signed-in user as the actor.
      .post<{ alert: Alert }>(path, {})
      .then(({ alert }) => {
        this.#deps.store.apply(alert);
      })
      .catch((err: unknown) => {
        this.#errors.set(id, t('error.failed', { message: err instanceof Error ? err.message : String(err) }));
      })
      .finally(() => {
        this.#pending.delete(id);
        this.#batcher.request();
      });
  }

  #locate(id: AlertId): void {
    const alert = this.#deps.store.get(id);
    if (!alert) return;
    const { map } = this.#deps;
    map.flyTo({ center: [alert.lon, alert.lat], zoom: Math.max(map.getZoom(), 11), essential: true });
    const first = alert.trackIds[0];
    if (first) this.#deps.selectTrack(first);
    for (const [other, parts] of this.#rows) parts.row.classList.toggle('selected', other === id);
  }
}
