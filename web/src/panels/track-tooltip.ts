import type { Track } from '@seawall/contracts';
import { cleanSensorText, formatDegrees, formatLocalDateTime, formatMmsi, formatSog } from '../format/track-format';
import { bindText, t } from '../i18n/i18n';
import { cssColor, riskColor } from '../map/risk-colors';

type FieldKey = 'mmsi' | 'sog' | 'cog' | 'heading' | 'kind' | 'level' | 'ring' | 'lastSeen';

const FIELDS: readonly FieldKey[] = ['mmsi', 'sog', 'cog', 'heading', 'kind', 'level', 'ring', 'lastSeen'];

/** The card's title: the ship's own name (sensor text, cleaned), else its kind and id. */
function trackTitle(track: Track): string {
  return cleanSensorText(track.name) ?? `${t(`kind.${track.kind}`)} ${track.id}`;
}

/** Gap between the pointer (or the pinned symbol) and the card, in CSS pixels. */
const OFFSET_PX = 14;

/**
 * The card that describes one track next to its symbol. Every value, the
 * ship's name above all, is sensor input and goes in as `textContent` only.
 */
export class TrackTooltip {
  readonly element: HTMLElement;
  readonly #container: HTMLElement;
  readonly #swatch: HTMLElement;
  readonly #title: HTMLElement;
  readonly #values = new Map<FieldKey, HTMLElement>();
  #trackId: string | null = null;

  constructor(container: HTMLElement) {
    this.#container = container;
    this.element = document.createElement('div');
    this.element.className = 'track-tooltip';
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;

    const head = document.createElement('div');
    head.className = 'track-tooltip-head';
    this.#swatch = document.createElement('span');
    this.#swatch.className = 'track-tooltip-swatch';
    this.#title = document.createElement('span');
    this.#title.className = 'track-tooltip-title';
    this.#title.dataset.testid = 'tooltip-name';
    head.append(this.#swatch, this.#title);

    const list = document.createElement('dl');
    list.className = 'track-tooltip-fields';
    for (const key of FIELDS) {
      const dt = document.createElement('dt');
      bindText(dt, `field.${key}`);
      const dd = document.createElement('dd');
      dd.dataset.testid = `tooltip-${key}`;
      this.#values.set(key, dd);
      list.append(dt, dd);
    }
    this.element.append(head, list);
    container.append(this.element);
  }

  /** Id of the track shown, or null when hidden. */
  get trackId(): string | null {
    return this.#trackId;
  }

  /** Show `track` next to the point (x, y) of the container; `pinned` styles it as a selection. */
  show(track: Track, x: number, y: number, pinned = false): void {
    this.#trackId = track.id;
    this.#title.textContent = trackTitle(track);
    this.#title.title = track.id;
    this.#swatch.style.backgroundColor = cssColor(riskColor(track.level));
    this.#set('mmsi', formatMmsi(track.mmsi));
    this.#set('sog', formatSog(track.sogKn));
    this.#set('cog', formatDegrees(track.cogDeg));
    this.#set('heading', formatDegrees(track.headingDeg));
    this.#set('kind', t(`kind.${track.kind}`));
    this.#set('level', t(track.level === null ? 'level.none' : `level.${track.level}`));
    this.#set('ring', track.ring === null ? '—' : t(`ring.${track.ring}`));
    this.#set('lastSeen', formatLocalDateTime(track.lastSeenMs));
    this.element.classList.toggle('pinned', pinned);
    this.element.dataset.level = track.level ?? 'none';
    this.element.hidden = false;
    this.#place(x, y);
  }

  hide(): void {
    this.#trackId = null;
    this.element.hidden = true;
  }

  #set(key: FieldKey, text: string): void {
    const el = this.#values.get(key);
    if (el) el.textContent = text;
  }

  /** Right of and below the point, flipped to stay inside the container. */
  #place(x: number, y: number): void {
    const { clientWidth: cw, clientHeight: ch } = this.#container;
    const { offsetWidth: w, offsetHeight: h } = this.element;
    let left = x + OFFSET_PX;
    let top = y + OFFSET_PX;
    if (left + w > cw - 4) left = x - OFFSET_PX - w;
    if (top + h > ch - 4) top = y - OFFSET_PX - h;
    this.element.style.transform = `translate(${Math.max(4, Math.round(left))}px, ${Math.max(4, Math.round(top))}px)`;
  }
}
