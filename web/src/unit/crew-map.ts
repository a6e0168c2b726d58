import maplibregl, { type Map as MapLibreMap } from 'maplibre-gl';
import { createMapView } from '../map/map-view';

/** The things a crew's map marks. */
export type MarkKind = 'target' | 'target-track' | 'own' | 'drone';

export interface MarkPosition {
  lon: number;
  lat: number;
  /** Degrees true; rotates the symbol when known. */
  headingDeg?: number | null;
  /** Shown beside the symbol, as text. */
  label?: string;
}

/**
 * A crew's chart: the offline base map with a handful of HTML markers (target, the target vessel's live
 * position, the crew's own position, the drone). Markers rather than map layers: the offline style has no
 * glyphs for labels, and a few DOM elements cost nothing. Labels are set with textContent.
 */
/** Room around framed marks; more on the right, where their labels go. */
const FRAME_PADDING = { top: 40, bottom: 40, left: 40, right: 110 };

export class CrewMap {
  readonly map: MapLibreMap;
  readonly loaded: Promise<void>;
  readonly #marks = new Map<MarkKind, { marker: maplibregl.Marker; symbol: HTMLElement; label: HTMLElement }>();
  #framedKey: string | null = null;

  constructor(container: HTMLElement, token: string) {
    const view = createMapView(container, { token });
    this.map = view.map;
    this.loaded = view.loaded;
    // The map sits in a scrolling page: one finger scrolls the page, two move the chart.
    this.map.cooperativeGestures.enable();
  }

  /** Places (or with null, removes) one mark. */
  set(kind: MarkKind, position: MarkPosition | null): void {
    const held = this.#marks.get(kind);
    if (!position) {
      held?.marker.remove();
      this.#marks.delete(kind);
      return;
    }
    const mark = held ?? this.#create(kind);
    mark.marker.setLngLat([position.lon, position.lat]);
    const rotate = position.headingDeg != null && Number.isFinite(position.headingDeg) ? position.headingDeg : null;
    mark.symbol.style.transform = rotate === null ? '' : `rotate(${rotate}deg)`;
    mark.symbol.dataset.heading = rotate === null ? 'none' : 'known';
    mark.label.textContent = position.label ?? '';
    mark.label.hidden = !position.label;
  }

  has(kind: MarkKind): boolean {
    return this.#marks.has(kind);
  }

  /**
   * Brings the marks in view once per `key` (the order on the card): a new order re-frames the chart, a
   * moving mark does not, so a crew that zoomed in keeps its view.
   */
  frameOnce(key: string, kinds: readonly MarkKind[]): void {
    if (this.#framedKey === key) return;
    if (this.frame(kinds)) this.#framedKey = key;
  }

  /** Brings these marks in view (centred at harbour zoom when there is one); false when none is on the chart. */
  frame(kinds: readonly MarkKind[]): boolean {
    const points = kinds.flatMap((k) => {
      const m = this.#marks.get(k);
      return m ? [m.marker.getLngLat()] : [];
    });
    if (points.length === 0) return false;
    if (points.length === 1) {
      this.map.jumpTo({ center: points[0]!, zoom: Math.max(this.map.getZoom(), 11) });
      return true;
    }
    const bounds = new maplibregl.LngLatBounds(points[0]!, points[0]!);
    for (const p of points) bounds.extend(p);
    this.map.fitBounds(bounds, { padding: FRAME_PADDING, maxZoom: 13, duration: 0 });
    return true;
  }

  /** Centres the chart on one mark without changing the zoom. */
  centreOn(kind: MarkKind): void {
    const m = this.#marks.get(kind);
    if (m) this.map.easeTo({ center: m.marker.getLngLat(), duration: 300 });
  }

  /**
   * Follows a moving mark calmly: when it leaves the middle of the chart (`margin` is the share of width
   * and height kept free on each side), the chart is moved to show it again — centred on it, or framed with
   * the `with` marks (the mission's target) so following the drone never loses the target.
   */
  follow(kind: MarkKind, withKinds: readonly MarkKind[] = [], margin = 0.1): void {
    const m = this.#marks.get(kind);
    if (!m) return;
    const p = this.map.project(m.marker.getLngLat());
    const { clientWidth: w, clientHeight: h } = this.map.getContainer();
    if (p.x >= w * margin && p.x <= w * (1 - margin) && p.y >= h * margin && p.y <= h * (1 - margin)) return;
    const others = withKinds.flatMap((k) => {
      const o = this.#marks.get(k);
      return o ? [o.marker.getLngLat()] : [];
    });
    if (others.length === 0) return this.centreOn(kind);
    const bounds = new maplibregl.LngLatBounds(m.marker.getLngLat(), m.marker.getLngLat());
    for (const o of others) bounds.extend(o);
    this.map.fitBounds(bounds, { padding: FRAME_PADDING, maxZoom: Math.max(this.map.getZoom(), 11), duration: 300 });
  }

  #create(kind: MarkKind) {
    const root = document.createElement('div');
    root.className = `crew-mark crew-mark-${kind}`;
    root.dataset.mark = kind;
    const symbol = document.createElement('div');
    symbol.className = 'crew-mark-symbol';
    const label = document.createElement('span');
    label.className = 'crew-mark-label';
    root.append(symbol, label);
    const marker = new maplibregl.Marker({ element: root, anchor: 'center' }).setLngLat([0, 0]).addTo(this.map);
    const mark = { marker, symbol, label };
    this.#marks.set(kind, mark);
    return mark;
  }
}
