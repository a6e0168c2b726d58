import { Alert, Track, type TrackId } from '@seawall/contracts';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap } from 'maplibre-gl';
import { cleanSensorText, formatDegrees, formatLocalDateTime, formatMmsi, formatSog } from '../format/track-format';
import { bindAttribute, bindText, onLanguageChange, t, type MessageKey } from '../i18n/i18n';
import { IDENTITY_DISPLAY, whenStyleReady, type DisplayTransform } from '../map/basemap';
import type { LonLat } from '../map/gcj02';
import { cssColor, riskColor } from '../map/risk-colors';
import '../styles/panels-extra.css';

/** The fetcher main.ts passes in: GET a same-origin path with the session, resolve to parsed JSON, reject on failure. */
export type FetchJson = (path: string) => Promise<unknown>;

/** One fix of a track's history (a Point feature of `/api/tracks/:id/history`). */
export interface HistoryFix {
  atMs: number;
  lon: number;
  lat: number;
  sogKn: number | null;
  cogDeg: number | null;
}

const finiteOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The fixes of a history answer: its Point features with a time and a usable
 * position, oldest first, one per time. Anything else (the LineString, broken
 * features) is skipped; a body that is not a FeatureCollection gives none.
 */
export function parseHistory(body: unknown): HistoryFix[] {
  const features = (body as { type?: unknown; features?: unknown } | null)?.features;
  if (!Array.isArray(features)) return [];
  const byTime = new Map<number, HistoryFix>();
  for (const feature of features as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> | null }[]) {
    if (feature?.geometry?.type !== 'Point' || !Array.isArray(feature.geometry.coordinates)) continue;
    const [lon, lat] = feature.geometry.coordinates as unknown[];
    const atMs = finiteOrNull(feature.properties?.atMs);
    if (atMs === null || typeof lon !== 'number' || typeof lat !== 'number') continue;
    if (!(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90)) continue;
    byTime.set(atMs, { atMs, lon, lat, sogKn: finiteOrNull(feature.properties?.sogKn), cogDeg: finiteOrNull(feature.properties?.cogDeg) });
  }
  return [...byTime.values()].sort((a, b) => a.atMs - b.atMs);
}

/** Where the track was at `tMs`, interpolated between the fixes around it. */
export interface ReplayPoint {
  atMs: number;
  lon: number;
  lat: number;
  /** Interpolated when both fixes report it, else the one that does. */
  sogKn: number | null;
  /** The course of the fix before (courses do not interpolate across north safely). */
  cogDeg: number | null;
}

/** Index of the last fix at or before `tMs` (binary search), or -1. */
function fixIndexAt(fixes: readonly HistoryFix[], tMs: number): number {
  let lo = 0;
  let hi = fixes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (fixes[mid]!.atMs <= tMs) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The replay position at `tMs`, clamped to the first and last fix; null without fixes. */
export function replayPointAt(fixes: readonly HistoryFix[], tMs: number): ReplayPoint | null {
  if (fixes.length === 0) return null;
  const first = fixes[0]!;
  const last = fixes.at(-1)!;
  if (tMs <= first.atMs) return { ...first, atMs: first.atMs };
  if (tMs >= last.atMs) return { ...last, atMs: last.atMs };
  const i = fixIndexAt(fixes, tMs);
  const a = fixes[i]!;
  const b = fixes[i + 1]!;
  const f = (tMs - a.atMs) / (b.atMs - a.atMs);
  const sogKn = a.sogKn !== null && b.sogKn !== null ? a.sogKn + (b.sogKn - a.sogKn) * f : (a.sogKn ?? b.sogKn);
  return { atMs: tMs, lon: a.lon + (b.lon - a.lon) * f, lat: a.lat + (b.lat - a.lat) * f, sogKn, cogDeg: a.cogDeg };
}

/** The speeds reported between `fromMs` and `toMs` (inclusive), oldest first. */
export function speedSeries(fixes: readonly HistoryFix[], fromMs: number, toMs: number): { atMs: number; sogKn: number }[] {
  const out: { atMs: number; sogKn: number }[] = [];
  for (const fix of fixes) {
    if (fix.atMs < fromMs || fix.atMs > toMs || fix.sogKn === null) continue;
    out.push({ atMs: fix.atMs, sogKn: fix.sogKn });
  }
  return out;
}

/** A silence longer than this breaks the speed line: the chart must not draw a speed nobody reported. */
export const SPEED_GAP_MS = 5 * 60_000;

export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The top of the speed axis: the fastest speed rounded up to 5 kn (at least 5 kn). */
export function speedAxisMaxKn(series: readonly { sogKn: number }[]): number {
  const fastest = series.reduce((max, p) => Math.max(max, p.sogKn), 0);
  return Math.max(5, Math.ceil(fastest / 5) * 5);
}

/**
 * The SVG path of a speed series in `box`: time on x from `fromMs` to `toMs`,
 * speed on y from 0 to `maxKn`; a new sub-path after each silence over `SPEED_GAP_MS`.
 */
export function speedPath(series: readonly { atMs: number; sogKn: number }[], fromMs: number, toMs: number, maxKn: number, box: ChartBox): string {
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const x = (t: number) => box.left + ((t - fromMs) / Math.max(1, toMs - fromMs)) * plotW;
  const y = (kn: number) => box.top + plotH - (Math.min(kn, maxKn) / maxKn) * plotH;
  let d = '';
  let previous: number | null = null;
  for (const p of series) {
    const command = previous === null || p.atMs - previous > SPEED_GAP_MS ? 'M' : 'L';
    d += `${command}${x(p.atMs).toFixed(1)} ${y(p.sogKn).toFixed(1)}`;
    previous = p.atMs;
  }
  return d;
}

/** Ship types with a name of their own (ITU-R M.1371-5, table 53). */
const SHIP_TYPES: Readonly<Record<number, MessageKey>> = {
  30: 'shipType.fishing',
  31: 'shipType.towing',
  32: 'shipType.towingLarge',
  33: 'shipType.dredging',
  34: 'shipType.diving',
  35: 'shipType.military',
  36: 'shipType.sailing',
  37: 'shipType.pleasure',
  50: 'shipType.pilot',
  51: 'shipType.searchAndRescue',
  52: 'shipType.tug',
  53: 'shipType.portTender',
  54: 'shipType.antiPollution',
  55: 'shipType.lawEnforcement',
  58: 'shipType.medical',
  59: 'shipType.noncombatant',
};

/** The other ship types by their first digit (the class). */
const SHIP_CLASSES: Readonly<Record<number, MessageKey>> = {
  2: 'shipType.wingInGround',
  4: 'shipType.highSpeed',
  6: 'shipType.passenger',
  7: 'shipType.cargo',
  8: 'shipType.tanker',
  9: 'shipType.other',
};

/**
 * Ship and cargo type as an operator reads it, in the console's language (ITU-R M.1371-5, table 53: first
 * digit the class, second the detail).
 */
export function formatShipType(code: number | null): string {
  if (code === null || code === 0) return '—';
  const key = SHIP_TYPES[code] ?? (code >= 20 && code <= 99 ? SHIP_CLASSES[Math.floor(code / 10)] : undefined);
  return `${code} ${t(key ?? 'shipType.reserved')}`;
}

/** The name an operator sees, in the console's language: the ship's own name, else its kind and id. */
function trackTitle(track: Pick<Track, 'name' | 'id' | 'kind'>): string {
  return cleanSensorText(track.name) ?? `${t(`kind.${track.kind}`)} ${track.id}`;
}

function formatPosition(lon: number, lat: number): string {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(4)}°${ns} ${Math.abs(lon).toFixed(4)}°${ew}`;
}

/** The replay windows an operator can choose; `label` gives the name in the console's language. */
export const HISTORY_WINDOWS: readonly { label: () => string; ms: number }[] = [1, 6, 24].map((hours) => ({
  label: () => t('period.hours', { n: hours }),
  ms: hours * 3_600_000,
}));
/** The speed chart's span. */
export const SPEED_CHART_SPAN_MS = 3_600_000;
/** Replay speed of the play button: one minute of history per second. */
export const REPLAY_SPEED = 60;
/** Fixes asked for at most; the server allows 50,000. */
const HISTORY_LIMIT = 50_000;

export const HISTORY_SOURCE_ID = 'track-history';
export const HISTORY_MARKER_SOURCE_ID = 'track-history-marker';
export const HISTORY_LINE_LAYER_ID = 'track-history-line';
export const HISTORY_FIXES_LAYER_ID = 'track-history-fixes';
export const HISTORY_MARKER_LAYER_ID = 'track-history-marker';

const PATH_COLOR = '#5fd4d0';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * A track's past path and the replay marker on the map, as maplibre layers of
 * their own (under the deck.gl track symbols, which draw on a canvas above the map).
 */
export class HistoryPathLayer {
  readonly #map: MapLibreMap;
  readonly #toDisplay: DisplayTransform;
  #ready: Promise<void> | null = null;
  #path: LonLat[] = [];

  constructor(map: MapLibreMap, toDisplay: DisplayTransform = IDENTITY_DISPLAY) {
    this.#map = map;
    this.#toDisplay = toDisplay;
  }

  /** Draw the path through `fixes` (WGS-84) with a dot at each fix. */
  async setPath(fixes: readonly HistoryFix[]): Promise<void> {
    await this.#ensureLayers();
    this.#path = fixes.map((f) => this.#toDisplay(f.lon, f.lat));
    const features: GeoJSON.Feature[] = this.#path.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates } }));
    if (this.#path.length > 1) features.unshift({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: this.#path } });
    this.#map.getSource<GeoJSONSource>(HISTORY_SOURCE_ID)?.setData({ type: 'FeatureCollection', features });
  }

  /** Put the replay marker at a WGS-84 position, or take it away. */
  setMarker(position: LonLat | null): void {
    if (!this.#ready) return;
    const data: GeoJSON.FeatureCollection = position
      ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: this.#toDisplay(...position) } }] }
      : EMPTY;
    this.#map.getSource<GeoJSONSource>(HISTORY_MARKER_SOURCE_ID)?.setData(data);
  }

  /** The drawn path's bounds (display coordinates), or null without a path. */
  bounds(): LngLatBoundsLike | null {
    if (this.#path.length === 0) return null;
    let [w, s] = this.#path[0]!;
    let [e, n] = this.#path[0]!;
    for (const [lon, lat] of this.#path) {
      w = Math.min(w, lon);
      e = Math.max(e, lon);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    }
    return [w, s, e, n];
  }

  clear(): void {
    this.#path = [];
    if (!this.#ready) return;
    this.#map.getSource<GeoJSONSource>(HISTORY_SOURCE_ID)?.setData(EMPTY);
    this.#map.getSource<GeoJSONSource>(HISTORY_MARKER_SOURCE_ID)?.setData(EMPTY);
  }

  destroy(): void {
    if (!this.#ready) return;
    for (const id of [HISTORY_MARKER_LAYER_ID, HISTORY_FIXES_LAYER_ID, HISTORY_LINE_LAYER_ID]) if (this.#map.getLayer(id)) this.#map.removeLayer(id);
    for (const id of [HISTORY_MARKER_SOURCE_ID, HISTORY_SOURCE_ID]) if (this.#map.getSource(id)) this.#map.removeSource(id);
    this.#ready = null;
  }

  #ensureLayers(): Promise<void> {
    this.#ready ??= whenStyleReady(this.#map).then(() => {
      const map = this.#map;
      map.addSource(HISTORY_SOURCE_ID, { type: 'geojson', data: EMPTY });
      map.addSource(HISTORY_MARKER_SOURCE_ID, { type: 'geojson', data: EMPTY });
      map.addLayer({
        id: HISTORY_LINE_LAYER_ID,
        type: 'line',
        source: HISTORY_SOURCE_ID,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': PATH_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 6, 1.5, 12, 3], 'line-opacity': 0.85 },
      });
      map.addLayer({
        id: HISTORY_FIXES_LAYER_ID,
        type: 'circle',
        source: HISTORY_SOURCE_ID,
        minzoom: 10,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 2, 'circle-color': PATH_COLOR, 'circle-opacity': 0.7 },
      });
      map.addLayer({
        id: HISTORY_MARKER_LAYER_ID,
        type: 'circle',
        source: HISTORY_MARKER_SOURCE_ID,
        paint: { 'circle-radius': 6, 'circle-color': '#ffffff', 'circle-stroke-color': PATH_COLOR, 'circle-stroke-width': 3 },
      });
    });
    return this.#ready;
  }
}

type FieldKey =
  | 'mmsi'
  | 'callsign'
  | 'shipType'
  | 'destination'
  | 'kind'
  | 'ring'
  | 'level'
  | 'sog'
  | 'cog'
  | 'heading'
  | 'position'
  | 'sources'
  | 'lastSeen';

const FIELDS: readonly (readonly [FieldKey, MessageKey])[] = [
  ['mmsi', 'field.mmsi'],
  ['callsign', 'field.callsign'],
  ['shipType', 'field.shipType'],
  ['destination', 'field.destination'],
  ['kind', 'field.kind'],
  ['ring', 'field.ring'],
  ['level', 'field.level'],
  ['sog', 'field.sog'],
  ['cog', 'field.cog'],
  ['heading', 'field.heading'],
  ['position', 'field.position'],
  ['sources', 'field.sources'],
  ['lastSeen', 'field.lastSeen'],
];

const CHART_BOX: ChartBox = { width: 300, height: 110, left: 30, right: 8, top: 8, bottom: 18 };
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface TrackPanelOptions {
  /** Applied to every drawn position (a GCJ-02 basemap, see basemap.ts). */
  toDisplay?: DisplayTransform;
  /** The close button was pressed (the panel has hidden itself). */
  onClose?: () => void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** A button; `label` (its accessible name and tooltip) follows the language. */
function button(text: string | (() => string), className: string, role: string, label?: MessageKey | (() => string)): HTMLButtonElement {
  const el = document.createElement('button');
  el.type = 'button';
  el.className = className;
  if (typeof text === 'string') el.textContent = text;
  else bindText(el, text);
  el.dataset.role = role;
  if (label) setLabel(el, label);
  return el;
}

function setLabel(el: Element, label: MessageKey | (() => string)): void {
  bindAttribute(el, 'aria-label', label);
  bindAttribute(el, 'title', label);
}

const playLabel = (): string => t('track.play', { speed: REPLAY_SPEED });
const noText = (): string => '';

/** What the open-alerts list shows: the track's alerts, or why they could not be loaded. */
type AlertsView = { alerts: readonly Alert[] } | { error: string };

/**
 * The selected track's panel: identity, kinematics and sensors, its open
 * alerts, a speed chart of the last hour and a history replay on the map with
 * a time slider. Sensor text goes in with `textContent` only. Every label
 * follows the console's language, live.
 */
export class TrackPanel {
  readonly element: HTMLElement;
  readonly #map: MapLibreMap;
  readonly #fetchJson: FetchJson;
  readonly #options: TrackPanelOptions;
  readonly #path: HistoryPathLayer;
  readonly #swatch: HTMLElement;
  readonly #title: HTMLElement;
  readonly #state: HTMLElement;
  readonly #values = new Map<FieldKey, HTMLElement>();
  readonly #alertCount: HTMLElement;
  readonly #alerts: HTMLUListElement;
  readonly #chart: SVGSVGElement;
  readonly #chartNote: HTMLElement;
  readonly #windowButtons: HTMLButtonElement[] = [];
  readonly #play: HTMLButtonElement;
  readonly #slider: HTMLInputElement;
  readonly #readout: HTMLElement;
  readonly #historyNote: HTMLElement;
  #trackId: TrackId | null = null;
  #level: Track['level'] | undefined;
  /** The end of the replay window and chart: the track's last fix as last heard of. */
  #anchorMs: number | null = null;
  #windowMs = HISTORY_WINDOWS[0]!.ms;
  #fixes: HistoryFix[] = [];
  #chartRange: { fromMs: number; toMs: number } | null = null;
  #chartCursor: SVGLineElement | null = null;
  #generation = 0;
  #playing: { frame: number; lastMs: number } | null = null;
  /** The track as last rendered, to render again in another language. */
  #track: Track | null = null;
  #alertsView: AlertsView | null = null;
  /** Text nodes whose text follows the language (a heading with a count after it). */
  readonly #relabels: (() => void)[] = [];
  readonly #stopLanguage: () => void;

  constructor(container: HTMLElement, map: MapLibreMap, fetchJson: FetchJson, options: TrackPanelOptions = {}) {
    this.#map = map;
    this.#fetchJson = fetchJson;
    this.#options = options;
    this.#path = new HistoryPathLayer(map, options.toDisplay);

    this.element = document.createElement('section');
    this.element.className = 'track-panel';
    this.element.dataset.role = 'track-panel';
    bindAttribute(this.element, 'aria-label', 'track.label');
    this.element.hidden = true;

    const head = document.createElement('header');
    head.className = 'track-panel-head';
    this.#swatch = document.createElement('span');
    this.#swatch.className = 'track-panel-swatch';
    this.#title = document.createElement('h2');
    this.#title.className = 'track-panel-title';
    this.#title.dataset.role = 'track-title';
    this.#state = document.createElement('span');
    this.#state.className = 'track-panel-state';
    const close = button('×', 'track-panel-close', 'track-panel-close', 'dispatch.close');
    close.addEventListener('click', () => {
      this.hide();
      this.#options.onClose?.();
    });
    head.append(this.#swatch, this.#title, this.#state, close);

    const fields = document.createElement('dl');
    fields.className = 'track-panel-fields';
    for (const [key, label] of FIELDS) {
      const dt = document.createElement('dt');
      bindText(dt, label);
      const dd = document.createElement('dd');
      dd.dataset.field = key;
      this.#values.set(key, dd);
      fields.append(dt, dd);
    }

    const alertsSection = this.#section('track.openAlerts');
    this.#alertCount = document.createElement('span');
    this.#alertCount.className = 'track-panel-count';
    alertsSection.heading.append(' ', this.#alertCount);
    this.#alerts = document.createElement('ul');
    this.#alerts.className = 'track-panel-alerts';
    this.#alerts.dataset.role = 'open-alerts';
    alertsSection.body.append(this.#alerts);

    const chartSection = this.#section('track.speedTitle');
    this.#chart = svg('svg', { viewBox: `0 0 ${CHART_BOX.width} ${CHART_BOX.height}`, class: 'speed-chart', role: 'img' });
    this.#chart.dataset.role = 'speed-chart';
    this.#chart.dataset.points = '0';
    this.#chartNote = document.createElement('p');
    this.#chartNote.className = 'track-panel-note';
    chartSection.body.append(this.#chart, this.#chartNote);

    const historySection = this.#section('track.history');
    const windows = document.createElement('div');
    windows.className = 'track-panel-windows';
    windows.setAttribute('role', 'group');
    bindAttribute(windows, 'aria-label', 'track.window');
    for (const { label, ms } of HISTORY_WINDOWS) {
      const b = button(label, 'track-panel-window', 'history-window');
      b.dataset.windowMs = String(ms);
      b.setAttribute('aria-pressed', String(ms === this.#windowMs));
      b.addEventListener('click', () => this.#chooseWindow(ms));
      this.#windowButtons.push(b);
      windows.append(b);
    }
    const fit = button('⤢', 'track-panel-fit', 'history-fit', 'track.fit');
    fit.addEventListener('click', () => this.#fitPath());
    windows.append(fit);

    const controls = document.createElement('div');
    controls.className = 'track-panel-replay';
    this.#play = button('▶', 'track-panel-play', 'history-play', playLabel);
    this.#play.addEventListener('click', () => (this.#playing ? this.#stop() : this.#start()));
    this.#slider = document.createElement('input');
    this.#slider.type = 'range';
    this.#slider.className = 'track-panel-slider';
    this.#slider.dataset.role = 'history-slider';
    bindAttribute(this.#slider, 'aria-label', 'track.replayTime');
    this.#slider.min = '0';
    this.#slider.max = '0';
    this.#slider.step = '1';
    this.#slider.value = '0';
    this.#slider.disabled = true;
    this.#slider.addEventListener('input', () => {
      this.#stop();
      this.#showReplay();
    });
    controls.append(this.#play, this.#slider);
    this.#readout = document.createElement('div');
    this.#readout.className = 'track-panel-readout';
    this.#readout.dataset.role = 'history-readout';
    this.#readout.setAttribute('aria-live', 'off');
    this.#historyNote = document.createElement('p');
    this.#historyNote.className = 'track-panel-note';
    this.#historyNote.dataset.role = 'history-status';
    historySection.body.append(windows, controls, this.#readout, this.#historyNote);

    this.element.append(head, fields, alertsSection.root, chartSection.root, historySection.root);
    container.append(this.element);
    this.#stopLanguage = onLanguageChange(() => this.#relabel());
  }

  /** The track shown, or null when hidden. */
  get trackId(): TrackId | null {
    return this.#trackId;
  }

  /** The history fixes loaded for the replay (oldest first). */
  get fixes(): readonly HistoryFix[] {
    return this.#fixes;
  }

  /**
   * Show a track: its details and open alerts, then its history for the chosen
   * window. Resolves when both have loaded (or failed, which the panel shows).
   */
  async show(trackId: TrackId | string): Promise<void> {
    const id = trackId as TrackId;
    const generation = ++this.#generation;
    this.#stop();
    this.#trackId = id;
    this.#level = undefined;
    this.#anchorMs = null;
    this.#track = null;
    this.element.dataset.trackId = id;
    this.element.hidden = false;
    this.#title.textContent = id;
    this.#resetHistory();
    this.#alertsView = null;
    this.#alerts.replaceChildren();
    this.#alertCount.textContent = '';
    const track = await this.#loadDetail(generation);
    if (generation !== this.#generation) return;
    await this.#loadHistory(generation, track?.lastSeenMs ?? this.#anchorMs ?? Date.now());
  }

  /** Hide the panel and take the path off the map. */
  hide(): void {
    this.#generation += 1;
    this.#stop();
    this.#trackId = null;
    this.#track = null;
    this.#alertsView = null;
    this.#fixes = [];
    delete this.element.dataset.trackId;
    this.element.hidden = true;
    this.#path.clear();
  }

  /**
   * A newer state of the shown track (from the live store): the identity and
   * kinematics follow it, and a changed risk level reloads the open alerts.
   */
  update(track: Track): void {
    if (track.id !== this.#trackId) return;
    const levelChanged = this.#level !== undefined && track.level !== this.#level;
    this.#renderTrack(track);
    if (levelChanged) void this.#loadDetail(this.#generation);
  }

  destroy(): void {
    this.hide();
    this.#stopLanguage();
    this.#path.destroy();
    this.element.remove();
  }

  /** The language changed: what is not bound to a message already (track fields, alerts) is drawn again. */
  #relabel(): void {
    for (const relabel of this.#relabels) relabel();
    if (this.#track) this.#renderTrack(this.#track);
    if (this.#alertsView) this.#renderAlertsView(this.#alertsView);
  }

  #section(title: MessageKey): { root: HTMLElement; heading: HTMLElement; body: HTMLElement } {
    const root = document.createElement('section');
    root.className = 'track-panel-section';
    const heading = document.createElement('h3');
    // A text node, not the heading's whole text: a count may follow it.
    const text = document.createTextNode(t(title));
    this.#relabels.push(() => {
      text.data = t(title);
    });
    heading.append(text);
    const body = document.createElement('div');
    root.append(heading, body);
    return { root, heading, body };
  }

  async #loadDetail(generation: number): Promise<Track | null> {
    const id = this.#trackId;
    if (id === null) return null;
    try {
      const body = (await this.#fetchJson(`/api/tracks/${encodeURIComponent(id)}`)) as { track?: unknown; alerts?: unknown } | null;
      if (generation !== this.#generation) return null;
      const parsed = Track.safeParse(body?.track);
      if (!parsed.success) throw new Error('the answer has no valid track');
      this.#renderTrack(parsed.data);
      const alerts = Array.isArray(body?.alerts)
        ? body.alerts.flatMap((item: unknown) => {
            const alert = Alert.safeParse(item);
            return alert.success ? [alert.data] : [];
          })
        : [];
      this.#renderAlerts(alerts);
      return parsed.data;
    } catch (error) {
      if (generation !== this.#generation) return null;
      this.#renderAlertsView({ error: error instanceof Error ? error.message : String(error) });
      return null;
    }
  }

  #renderTrack(track: Track): void {
    this.#track = track;
    this.#level = track.level;
    this.#anchorMs = Math.max(this.#anchorMs ?? 0, track.lastSeenMs);
    this.#title.textContent = trackTitle(track);
    this.#title.title = track.id;
    this.#swatch.style.backgroundColor = cssColor(riskColor(track.level));
    this.element.dataset.level = track.level ?? 'none';
    bindText(this.#state, `trackState.${track.state}`);
    this.#state.dataset.state = track.state;
    this.#set('mmsi', formatMmsi(track.mmsi));
    this.#set('callsign', cleanSensorText(track.callsign) ?? '—');
    this.#set('shipType', formatShipType(track.shipType));
    this.#set('destination', cleanSensorText(track.destination) ?? '—');
    this.#set('kind', t(`kind.${track.kind}`));
    this.#set('ring', track.ring === null ? '—' : t(`ring.${track.ring}`));
    this.#set('level', t(`level.${track.level ?? 'none'}`));
    this.#set('sog', formatSog(track.sogKn));
    this.#set('cog', formatDegrees(track.cogDeg));
    this.#set('heading', formatDegrees(track.headingDeg));
    this.#set('position', formatPosition(track.lon, track.lat));
    this.#set('sources', track.sources.length > 0 ? track.sources.join(', ') : '—');
    this.#set('lastSeen', formatLocalDateTime(track.lastSeenMs));
  }

  #set(key: FieldKey, text: string): void {
    const el = this.#values.get(key);
    if (el) el.textContent = text;
  }

  #renderAlerts(alerts: readonly Alert[]): void {
    this.#renderAlertsView({ alerts });
  }

  #renderAlertsView(view: AlertsView): void {
    this.#alertsView = view;
    if ('error' in view) {
      this.#alertCount.textContent = '';
      const li = document.createElement('li');
      li.className = 'track-panel-error';
      li.textContent = t('track.loadFailed', { message: view.error });
      this.#alerts.replaceChildren(li);
      return;
    }
    const { alerts } = view;
    this.#alertCount.textContent = `(${alerts.length})`;
    if (alerts.length === 0) {
      const li = document.createElement('li');
      li.className = 'track-panel-empty';
      li.textContent = t('track.noOpenAlerts');
      this.#alerts.replaceChildren(li);
      return;
    }
    this.#alerts.replaceChildren(
      ...alerts.map((alert) => {
        const li = document.createElement('li');
        li.className = 'track-panel-alert';
        li.dataset.level = alert.level;
        li.dataset.alertId = alert.id;
        const swatch = document.createElement('span');
        swatch.className = 'track-panel-swatch';
        swatch.style.backgroundColor = cssColor(riskColor(alert.level));
        const rule = document.createElement('span');
        rule.className = 'track-panel-alert-rule';
        rule.textContent = t(`rule.${alert.rule}`);
        const meta = document.createElement('span');
        meta.className = 'track-panel-alert-meta';
        meta.textContent = `${t(`alertStatus.${alert.status}`)} · ${formatLocalDateTime(alert.raisedAtMs)}`;
        const summary = document.createElement('p');
        summary.className = 'track-panel-alert-summary';
        summary.textContent = alert.summary;
        li.append(swatch, rule, meta, summary);
        return li;
      }),
    );
  }

  #resetHistory(): void {
    this.#fixes = [];
    this.#chartRange = null;
    this.#slider.disabled = true;
    this.#slider.max = '0';
    this.#slider.value = '0';
    this.#play.disabled = true;
    this.#readout.textContent = '';
    bindText(this.#historyNote, noText);
    this.#renderChart([], 0, SPEED_CHART_SPAN_MS);
    bindText(this.#chartNote, noText);
    this.#path.clear();
  }

  #chooseWindow(ms: number): void {
    this.#windowMs = ms;
    for (const b of this.#windowButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.windowMs) === ms));
    const id = this.#trackId;
    if (id === null) return;
    const generation = ++this.#generation;
    this.#stop();
    void this.#loadHistory(generation, this.#anchorMs ?? Date.now());
  }

  #historyPath(fromMs: number, toMs: number): string {
    return `/api/tracks/${encodeURIComponent(this.#trackId ?? '')}/history?from=${Math.max(0, Math.floor(fromMs))}&to=${Math.ceil(toMs)}&limit=${HISTORY_LIMIT}`;
  }

  /** Loads the window ending at `toMs` (the track's last fix), draws it, and the last hour's speeds. */
  async #loadHistory(generation: number, toMs: number): Promise<void> {
    bindText(this.#historyNote, 'track.historyLoading');
    this.element.dataset.history = 'loading';
    const fromMs = toMs - this.#windowMs;
    const chartFromMs = toMs - SPEED_CHART_SPAN_MS;
    try {
      const fixes = parseHistory(await this.#fetchJson(this.#historyPath(fromMs, toMs)));
      if (generation !== this.#generation) return;
      // A truncated answer stops short of the newest fixes (oldest come first): ask for the last hour alone.
      const truncated = fixes.length >= HISTORY_LIMIT;
      const chartFixes = truncated ? parseHistory(await this.#fetchJson(this.#historyPath(chartFromMs, toMs))) : fixes;
      if (generation !== this.#generation) return;
      this.#fixes = fixes;
      this.#chartRange = { fromMs: chartFromMs, toMs };
      const series = speedSeries(chartFixes, chartFromMs, toMs);
      this.#renderChart(series, chartFromMs, toMs);
      bindText(this.#chartNote, series.length === 0 ? 'track.noSpeed' : noText);
      await this.#path.setPath(fixes);
      if (generation !== this.#generation) return;
      const first = fixes[0];
      const last = fixes.at(-1);
      if (!first || !last) {
        bindText(this.#historyNote, 'track.noHistory');
        this.element.dataset.history = 'empty';
        return;
      }
      this.#slider.max = String(Math.ceil((last.atMs - first.atMs) / 1000));
      this.#slider.value = this.#slider.max;
      this.#slider.disabled = fixes.length < 2;
      this.#play.disabled = fixes.length < 2;
      bindText(
        this.#historyNote,
        () =>
          t('track.historySummary', { count: fixes.length, from: formatLocalDateTime(first.atMs), to: formatLocalDateTime(last.atMs) }) +
          (truncated ? ` · ${t('track.historyTruncated', { limit: HISTORY_LIMIT })}` : ''),
      );
      this.element.dataset.history = 'loaded';
      this.#showReplay();
    } catch (error) {
      if (generation !== this.#generation) return;
      const message = error instanceof Error ? error.message : String(error);
      bindText(this.#historyNote, () => t('track.historyFailed', { message }));
      this.element.dataset.history = 'error';
    }
  }

  #renderChart(series: readonly { atMs: number; sogKn: number }[], fromMs: number, toMs: number): void {
    const box = CHART_BOX;
    const maxKn = speedAxisMaxKn(series);
    const plotW = box.width - box.left - box.right;
    const plotH = box.height - box.top - box.bottom;
    const children: SVGElement[] = [];
    for (const fraction of [0, 0.5, 1]) {
      const y = box.top + plotH - fraction * plotH;
      children.push(svg('line', { x1: box.left, x2: box.width - box.right, y1: y, y2: y, class: 'speed-chart-grid' }));
      const label = svg('text', { x: box.left - 4, y: y + 3, class: 'speed-chart-label', 'text-anchor': 'end' });
      label.textContent = String(Math.round(maxKn * fraction));
      children.push(label);
    }
    for (const [minutes, anchor] of [[-60, 'start'], [-30, 'middle'], [0, 'end']] as const) {
      const x = box.left + ((minutes + 60) / 60) * plotW;
      const label = svg('text', { x, y: box.height - 4, class: 'speed-chart-label', 'text-anchor': anchor });
      bindText(label, () => (minutes === 0 ? '0' : t('track.minutes', { min: minutes })));
      children.push(label);
    }
    const line = svg('path', { d: speedPath(series, fromMs, toMs, maxKn, box), class: 'speed-chart-line' });
    children.push(line);
    this.#chartCursor = svg('line', { x1: 0, x2: 0, y1: box.top, y2: box.top + plotH, class: 'speed-chart-cursor', visibility: 'hidden' });
    children.push(this.#chartCursor);
    this.#chart.replaceChildren(...children);
    this.#chart.dataset.points = String(series.length);
    const last = series.at(-1);
    const points = series.length;
    bindAttribute(this.#chart, 'aria-label', () =>
      points === 0 ? t('track.noSpeed') : t('track.speedChart', { points, latest: formatSog(last?.sogKn ?? null) }),
    );
  }

  /** Marker, readout and chart cursor at the slider's time. */
  #showReplay(): void {
    const first = this.#fixes[0];
    if (!first) return;
    const tMs = first.atMs + Number(this.#slider.value) * 1000;
    const point = replayPointAt(this.#fixes, tMs);
    if (!point) return;
    this.#path.setMarker([point.lon, point.lat]);
    this.#readout.textContent = `${formatLocalDateTime(point.atMs)} · ${formatSog(point.sogKn)} · ${formatDegrees(point.cogDeg)}`;
    this.#readout.dataset.atMs = String(Math.round(point.atMs));
    const range = this.#chartRange;
    if (this.#chartCursor && range) {
      const inChart = point.atMs >= range.fromMs && point.atMs <= range.toMs;
      const plotW = CHART_BOX.width - CHART_BOX.left - CHART_BOX.right;
      const x = CHART_BOX.left + ((point.atMs - range.fromMs) / (range.toMs - range.fromMs)) * plotW;
      this.#chartCursor.setAttribute('x1', x.toFixed(1));
      this.#chartCursor.setAttribute('x2', x.toFixed(1));
      this.#chartCursor.setAttribute('visibility', inChart ? 'visible' : 'hidden');
    }
  }

  #start(): void {
    if (this.#fixes.length < 2) return;
    // At the end, play from the start.
    if (Number(this.#slider.value) >= Number(this.#slider.max)) this.#slider.value = '0';
    this.#play.textContent = '❚❚';
    setLabel(this.#play, 'track.pause');
    this.element.dataset.playing = 'true';
    let position = Number(this.#slider.value);
    const tick = (nowMs: number): void => {
      if (!this.#playing) return;
      position += ((nowMs - this.#playing.lastMs) / 1000) * REPLAY_SPEED;
      this.#playing.lastMs = nowMs;
      const max = Number(this.#slider.max);
      this.#slider.value = String(Math.min(max, Math.floor(position)));
      this.#showReplay();
      if (position >= max) {
        this.#stop();
        return;
      }
      this.#playing.frame = requestAnimationFrame(tick);
    };
    this.#playing = { frame: requestAnimationFrame(tick), lastMs: performance.now() };
  }

  #stop(): void {
    if (!this.#playing) return;
    cancelAnimationFrame(this.#playing.frame);
    this.#playing = null;
    this.#play.textContent = '▶';
    setLabel(this.#play, playLabel);
    delete this.element.dataset.playing;
  }

  #fitPath(): void {
    const bounds = this.#path.bounds();
    if (!bounds) return;
    // Leave room for this panel on the right.
    this.#map.fitBounds(bounds, { padding: { top: 60, bottom: 60, left: 60, right: this.element.offsetWidth + 40 }, maxZoom: 13, duration: 600 });
  }
}
