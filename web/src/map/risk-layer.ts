import { Alert, RISK_LEVELS, riskRank, type RiskLevel } from '@seawall/contracts';
import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { bindAttribute, bindText, onLanguageChange, t } from '../i18n/i18n';
import type { LonLat } from './gcj02';
import { IDENTITY_DISPLAY, whenStyleReady, type DisplayTransform } from './basemap';
import { RISK_COLORS, cssColor } from './risk-colors';
import '../styles/panels-extra.css';

/** The fetcher main.ts passes in: GET a same-origin path with the session, resolve to parsed JSON, reject on failure. */
export type FetchJson = (path: string) => Promise<unknown>;

/** What binning needs of an alert. */
export type BinnableAlert = Pick<Alert, 'lon' | 'lat' | 'level'>;

/** One hexagon of the risk map and the alerts that fell in it. */
export interface RiskBin {
  /** `q,r`: the hexagon's axial coordinates, stable for a given radius and reference latitude. */
  id: string;
  q: number;
  r: number;
  /** Centre and outline (seven positions, the first repeated last), WGS-84. */
  center: LonLat;
  polygon: LonLat[];
  count: number;
  counts: Record<RiskLevel, number>;
  /** The highest level among its alerts: the hexagon's colour. */
  level: RiskLevel;
}

export interface BinOptions {
  /**
   * The latitude at which a hexagon's radius is exactly `radiusM` on the ground.
   * Hexagons are laid out in Web Mercator so they look regular on the chart;
   * their ground size drifts with 1/cos(latitude) away from this one (±2 % across Hainan).
   */
  referenceLatDeg?: number;
}

/** Hainan, the reference deployment (map-view.ts centres the chart there). */
export const DEFAULT_REFERENCE_LAT_DEG = 19.2;
/** Hexagon radius (centre to corner) of the risk map. */
export const RISK_HEX_RADIUS_M = 5000;

const EARTH_RADIUS_M = 6_378_137;
const MAX_MERCATOR_LAT = 85.05;
const SQRT3 = Math.sqrt(3);
const DEG = Math.PI / 180;

const mercatorX = (lon: number): number => EARTH_RADIUS_M * lon * DEG;
const mercatorY = (lat: number): number => EARTH_RADIUS_M * Math.log(Math.tan(Math.PI / 4 + (lat * DEG) / 2));
const lonOf = (x: number): number => x / EARTH_RADIUS_M / DEG;
const latOf = (y: number): number => (2 * Math.atan(Math.exp(y / EARTH_RADIUS_M)) - Math.PI / 2) / DEG;

/** The pointy-top hexagon (axial q, r) of size `size` that holds the plane point (x, y): cube rounding. */
function hexOf(x: number, y: number, size: number): [number, number] {
  const fq = ((SQRT3 / 3) * x - y / 3) / size;
  const fr = ((2 / 3) * y) / size;
  const fs = -fq - fr;
  let q = Math.round(fq);
  let r = Math.round(fr);
  const s = Math.round(fs);
  const dq = Math.abs(q - fq);
  const dr = Math.abs(r - fr);
  const ds = Math.abs(s - fs);
  if (dq > dr && dq > ds) q = -r - s;
  else if (dr > ds) r = -q - s;
  // `+ 0` turns a -0 from rounding into 0, so ids read "0,0" and not "-0,0".
  return [q + 0, r + 0];
}

function hexCenter(q: number, r: number, size: number): [number, number] {
  return [size * SQRT3 * (q + r / 2), size * 1.5 * r];
}

/**
 * Gathers alerts into hexagons of `radiusM` (centre to corner) and colours each
 * by the highest level among its alerts (red > orange > yellow > blue).
 * Alerts without a usable position are left out. Bins come highest level
 * first, then most alerts first, then by id.
 */
export function binAlerts(alerts: readonly BinnableAlert[], radiusM: number, options: BinOptions = {}): RiskBin[] {
  if (!(radiusM > 0)) throw new RangeError(`hexagon radius must be positive, got ${radiusM}`);
  const refLat = options.referenceLatDeg ?? DEFAULT_REFERENCE_LAT_DEG;
  // Mercator stretches lengths by 1/cos(lat): this size is radiusM on the ground at the reference latitude.
  const size = radiusM / Math.cos(refLat * DEG);
  const bins = new Map<string, RiskBin>();
  for (const alert of alerts) {
    const { lon, lat, level } = alert;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > MAX_MERCATOR_LAT || Math.abs(lon) > 180) continue;
    if (!RISK_LEVELS.includes(level)) continue;
    const [q, r] = hexOf(mercatorX(lon), mercatorY(lat), size);
    const id = `${q},${r}`;
    let bin = bins.get(id);
    if (!bin) {
      const [cx, cy] = hexCenter(q, r, size);
      const polygon: LonLat[] = [];
      for (let i = 0; i <= 6; i += 1) {
        const angle = (60 * (i % 6) - 30) * DEG;
        polygon.push([lonOf(cx + size * Math.cos(angle)), latOf(cy + size * Math.sin(angle))]);
      }
      bin = { id, q, r, center: [lonOf(cx), latOf(cy)], polygon, count: 0, counts: { red: 0, orange: 0, yellow: 0, blue: 0 }, level };
      bins.set(id, bin);
    }
    bin.count += 1;
    bin.counts[level] += 1;
    if (riskRank(level) > riskRank(bin.level)) bin.level = level;
  }
  return [...bins.values()].sort(
    (a, b) => riskRank(b.level) - riskRank(a.level) || b.count - a.count || a.id.localeCompare(b.id),
  );
}

/** The bins as GeoJSON polygons for maplibre, positions through `toDisplay`, colour from risk-colors.ts. */
export function riskBinsToGeoJSON(bins: readonly RiskBin[], toDisplay: DisplayTransform = IDENTITY_DISPLAY): GeoJSON.FeatureCollection<GeoJSON.Polygon> {
  return {
    type: 'FeatureCollection',
    features: bins.map((bin) => ({
      type: 'Feature',
      properties: {
        binId: bin.id,
        level: bin.level,
        count: bin.count,
        color: cssColor(RISK_COLORS[bin.level]),
        ...Object.fromEntries(RISK_LEVELS.map((level) => [`n_${level}`, bin.counts[level]])),
      },
      geometry: { type: 'Polygon', coordinates: [bin.polygon.map(([lon, lat]) => toDisplay(lon, lat))] },
    })),
  };
}

/** The periods an operator can choose; `label` gives the name in the console's language. */
export const RISK_PERIODS: readonly { label: () => string; ms: number }[] = [
  { label: () => t('period.hours', { n: 24 }), ms: 24 * 3_600_000 },
  { label: () => t('period.days', { n: 7 }), ms: 7 * 24 * 3_600_000 },
  { label: () => t('period.days', { n: 30 }), ms: 30 * 24 * 3_600_000 },
];

/** The server's cap on one alerts query; a full answer means older or lower alerts were left out. */
export const ALERTS_QUERY_LIMIT = 5000;

export const RISK_SOURCE_ID = 'risk-hexes';
export const RISK_FILL_LAYER_ID = 'risk-hex-fill';
export const RISK_OUTLINE_LAYER_ID = 'risk-hex-outline';

export interface RiskLayerOptions {
  radiusM?: number;
  /** Applied to every drawn position (a GCJ-02 basemap, see basemap.ts). */
  toDisplay?: DisplayTransform;
  /** Wall clock for the period's end; the default is `Date.now`. */
  now?: () => number;
  /** While visible, alerts are fetched again this often (ms); 0 never. */
  refreshMs?: number;
  /** The map layer the hexagons go under; the default keeps the coastline on top. */
  beforeLayerId?: string;
}

/** What the risk map shows now, for a control or a test. */
export interface RiskLayerStatus {
  visible: boolean;
  periodMs: number;
  loading: boolean;
  /** Alerts binned (after validation). */
  alertCount: number;
  /** The server returned its maximum: the map may miss the oldest, lowest alerts. */
  truncated: boolean;
  binCount: number;
  error: string | null;
}

/**
 * The risk map: alerts raised in the chosen period, gathered into ~5 km
 * hexagons coloured by their highest level. Drawn as maplibre fill and line
 * layers under the coastline rather than on a deck.gl overlay: an overlaid
 * (non-interleaved) MapboxOverlay is a canvas stacked above the map, and a
 * second one added after the tracks' would cover the track symbols; map
 * layers sit under every deck canvas, so the tracks stay on top.
 */
export class RiskLayer {
  readonly #map: MapLibreMap;
  readonly #fetchJson: FetchJson;
  readonly #radiusM: number;
  readonly #toDisplay: DisplayTransform;
  readonly #now: () => number;
  readonly #refreshMs: number;
  readonly #beforeLayerId: string;
  readonly #listeners = new Set<(status: RiskLayerStatus) => void>();
  readonly #card: HTMLElement;
  /** The hexagon under the pointer (its feature's properties), for the card. */
  #cardProps: Record<string, unknown> | null = null;
  readonly #stopLanguage: () => void;
  #visible = false;
  #periodMs = RISK_PERIODS[0]!.ms;
  #bins: RiskBin[] = [];
  #status: Omit<RiskLayerStatus, 'visible' | 'periodMs' | 'binCount'> = { loading: false, alertCount: 0, truncated: false, error: null };
  #generation = 0;
  #layersAdded = false;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #onHover = (event: MapLayerMouseEvent): void => this.#hover(event);
  readonly #onLeave = (): void => {
    this.#card.hidden = true;
  };

  constructor(map: MapLibreMap, fetchJson: FetchJson, options: RiskLayerOptions = {}) {
    this.#map = map;
    this.#fetchJson = fetchJson;
    this.#radiusM = options.radiusM ?? RISK_HEX_RADIUS_M;
    this.#toDisplay = options.toDisplay ?? IDENTITY_DISPLAY;
    this.#now = options.now ?? Date.now;
    this.#refreshMs = options.refreshMs ?? 60_000;
    this.#beforeLayerId = options.beforeLayerId ?? 'coastline';
    this.#card = document.createElement('div');
    this.#card.className = 'risk-hex-card';
    this.#card.hidden = true;
    this.#card.dataset.role = 'risk-hex-card';
    map.getContainer().append(this.#card);
    this.#stopLanguage = onLanguageChange(() => {
      if (!this.#card.hidden && this.#cardProps) this.#renderCard(this.#cardProps);
    });
  }

  get visible(): boolean {
    return this.#visible;
  }

  get periodMs(): number {
    return this.#periodMs;
  }

  /** The hexagons drawn now. */
  get bins(): readonly RiskBin[] {
    return this.#bins;
  }

  get status(): RiskLayerStatus {
    return { ...this.#status, visible: this.#visible, periodMs: this.#periodMs, binCount: this.#bins.length };
  }

  /** Show the alerts raised in the last `ms` milliseconds (fetched now if the layer is visible). */
  setPeriod(ms: number): void {
    if (!(ms > 0)) throw new RangeError(`period must be positive, got ${ms}`);
    if (ms === this.#periodMs) return;
    this.#periodMs = ms;
    if (this.#visible) void this.refresh();
    else this.#emit();
  }

  /** Show or hide the risk map; showing it fetches the period's alerts. */
  setVisible(visible: boolean): void {
    if (visible === this.#visible) return;
    this.#visible = visible;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    if (visible) {
      if (this.#refreshMs > 0) this.#timer = setInterval(() => void this.refresh(), this.#refreshMs);
      void this.refresh();
    } else {
      this.#generation += 1;
      this.#status.loading = false;
      this.#card.hidden = true;
    }
    void this.#applyVisibility();
    this.#emit();
  }

  /** Fetch the period's alerts again and redraw. Failures are shown in the status, never thrown. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    const to = Math.round(this.#now());
    const from = Math.max(0, to - this.#periodMs);
    this.#status.loading = true;
    this.#emit();
    try {
      const body = await this.#fetchJson(`/api/alerts?from=${from}&to=${to}&limit=${ALERTS_QUERY_LIMIT}`);
      if (generation !== this.#generation) return;
      const raw = (body as { alerts?: unknown } | null)?.alerts;
      if (!Array.isArray(raw)) throw new Error('the answer has no alerts list');
      const alerts: Alert[] = [];
      let dropped = 0;
      for (const item of raw) {
        const parsed = Alert.safeParse(item);
        if (parsed.success) alerts.push(parsed.data);
        else dropped += 1;
      }
      if (dropped > 0) console.warn('risk map: alerts dropped as invalid', { dropped });
      this.#bins = binAlerts(alerts, this.#radiusM);
      this.#status = { loading: false, alertCount: alerts.length, truncated: raw.length >= ALERTS_QUERY_LIMIT, error: null };
      await this.#draw();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#status = { ...this.#status, loading: false, error: error instanceof Error ? error.message : String(error) };
    }
    this.#emit();
  }

  /** Listen to status changes (loading, counts, errors); returns the function that stops listening. */
  onStatus(listener: (status: RiskLayerStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  destroy(): void {
    this.setVisible(false);
    this.#listeners.clear();
    this.#stopLanguage();
    this.#card.remove();
    if (!this.#layersAdded) return;
    this.#map.off('mousemove', RISK_FILL_LAYER_ID, this.#onHover);
    this.#map.off('mouseleave', RISK_FILL_LAYER_ID, this.#onLeave);
    for (const id of [RISK_OUTLINE_LAYER_ID, RISK_FILL_LAYER_ID]) if (this.#map.getLayer(id)) this.#map.removeLayer(id);
    if (this.#map.getSource(RISK_SOURCE_ID)) this.#map.removeSource(RISK_SOURCE_ID);
  }

  async #draw(): Promise<void> {
    await this.#ensureLayers();
    const source = this.#map.getSource<GeoJSONSource>(RISK_SOURCE_ID);
    source?.setData(riskBinsToGeoJSON(this.#bins, this.#toDisplay));
  }

  async #applyVisibility(): Promise<void> {
    if (!this.#layersAdded && !this.#visible) return;
    await this.#ensureLayers();
    const value = this.#visible ? 'visible' : 'none';
    for (const id of [RISK_FILL_LAYER_ID, RISK_OUTLINE_LAYER_ID]) {
      if (this.#map.getLayer(id)) this.#map.setLayoutProperty(id, 'visibility', value);
    }
  }

  async #ensureLayers(): Promise<void> {
    if (this.#layersAdded) return;
    await whenStyleReady(this.#map);
    if (this.#layersAdded) return;
    this.#layersAdded = true;
    const map = this.#map;
    const before = map.getLayer(this.#beforeLayerId) ? this.#beforeLayerId : undefined;
    map.addSource(RISK_SOURCE_ID, { type: 'geojson', data: riskBinsToGeoJSON(this.#bins, this.#toDisplay) });
    const visibility = this.#visible ? 'visible' : 'none';
    map.addLayer(
      {
        id: RISK_FILL_LAYER_ID,
        type: 'fill',
        source: RISK_SOURCE_ID,
        layout: { visibility },
        paint: {
          'fill-color': ['get', 'color'],
          // More alerts, more solid: one alert still shows, a cluster stands out.
          'fill-opacity': ['interpolate', ['linear'], ['get', 'count'], 1, 0.3, 10, 0.55, 50, 0.7],
        },
      },
      before,
    );
    map.addLayer(
      {
        id: RISK_OUTLINE_LAYER_ID,
        type: 'line',
        source: RISK_SOURCE_ID,
        layout: { visibility },
        paint: { 'line-color': ['get', 'color'], 'line-width': 1, 'line-opacity': 0.9 },
      },
      before,
    );
    map.on('mousemove', RISK_FILL_LAYER_ID, this.#onHover);
    map.on('mouseleave', RISK_FILL_LAYER_ID, this.#onLeave);
  }

  #hover(event: MapLayerMouseEvent): void {
    const props = event.features?.[0]?.properties as Record<string, unknown> | undefined;
    if (!props || !this.#visible) {
      this.#card.hidden = true;
      return;
    }
    this.#cardProps = props;
    this.#renderCard(props);
    this.#card.dataset.level = String(props.level);
    this.#card.hidden = false;
    // Up and left of the pointer: the track card opens down and right, so the two do not cover each other.
    const { x, y } = event.point;
    this.#card.style.transform = `translate(${Math.round(x - 12)}px, ${Math.round(y - 12)}px) translate(-100%, -100%)`;
  }

  /** The hover card's text: the hexagon's alerts in all, then per level. */
  #renderCard(props: Record<string, unknown>): void {
    const lines = [t('risk.cardTotal', { count: String(props.count) })];
    for (const level of RISK_LEVELS) {
      const n = Number(props[`n_${level}`] ?? 0);
      if (n > 0) lines.push(`${t(`level.${level}`)}  ${n}`);
    }
    this.#card.textContent = lines.join('\n');
  }

  #emit(): void {
    const status = this.status;
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch (error) {
        console.error('risk layer listener failed', error);
      }
    }
  }
}

/**
 * The risk map's switch and period chooser, with the number of alerts shown.
 * Mount it in the filter bar (`filterBar.element`) or any toolbar.
 */
export class RiskControl {
  readonly element: HTMLElement;
  readonly #unsubscribe: () => void;
  readonly #stopLanguage: () => void;

  constructor(container: HTMLElement, layer: RiskLayer) {
    this.element = document.createElement('div');
    this.element.className = 'risk-control';
    this.element.dataset.role = 'risk-control';
    this.element.setAttribute('role', 'group');
    bindAttribute(this.element, 'aria-label', 'risk.label');

    const toggleLabel = document.createElement('label');
    toggleLabel.className = 'risk-control-toggle';
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.dataset.role = 'risk-toggle';
    toggle.checked = layer.visible;
    toggle.addEventListener('change', () => layer.setVisible(toggle.checked));
    // A text node after the checkbox: the label's whole text would take the checkbox with it.
    const toggleText = document.createTextNode('');
    toggleLabel.append(toggle, toggleText);

    const period = document.createElement('select');
    period.className = 'risk-control-period';
    period.dataset.role = 'risk-period';
    bindAttribute(period, 'aria-label', 'risk.period');
    for (const { label, ms } of RISK_PERIODS) {
      const option = document.createElement('option');
      option.value = String(ms);
      bindText(option, label);
      option.selected = ms === layer.periodMs;
      period.append(option);
    }
    period.addEventListener('change', () => layer.setPeriod(Number(period.value)));

    const info = document.createElement('span');
    info.className = 'risk-control-info';
    info.dataset.role = 'risk-info';

    this.element.append(toggleLabel, period, info);
    container.append(this.element);

    const render = (status: RiskLayerStatus): void => {
      toggleText.data = t('risk.label');
      toggle.checked = status.visible;
      period.value = String(status.periodMs);
      this.element.dataset.state = status.error ? 'error' : status.loading ? 'loading' : 'idle';
      if (!status.visible) info.textContent = '';
      else if (status.error) info.textContent = t('risk.failed');
      else if (status.loading && status.alertCount === 0) info.textContent = '…';
      else info.textContent = `${status.truncated ? '≥' : ''}${status.alertCount}`;
      info.title = status.error ?? (status.truncated ? t('risk.truncated', { limit: ALERTS_QUERY_LIMIT }) : t('risk.count'));
    };
    render(layer.status);
    this.#unsubscribe = layer.onStatus(render);
    this.#stopLanguage = onLanguageChange(() => render(layer.status));
  }

  destroy(): void {
    this.#unsubscribe();
    this.#stopLanguage();
    this.element.remove();
  }
}
