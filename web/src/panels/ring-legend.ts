import { bindAttribute, bindText, type MessageKey } from '../i18n/i18n';
import { AREA_RINGS, RING_COLORS, RING_FILL_OPACITY, ZONE_COLOR } from '../map/ring-layers';

/**
 * The ring part of the map key: a swatch per ring in its map colour (fill and outline, as drawn) and a
 * line for the zone outlines. Built once; the rings do not change while the page is open.
 */
export function buildRingLegend(): HTMLElement {
  const section = document.createElement('div');
  section.className = 'ring-legend';
  bindAttribute(section, 'aria-label', 'legend.rings');
  section.style.cssText = 'display:grid;gap:3px;margin-top:4px;padding-top:6px;border-top:1px solid var(--rule)';
  const row = (key: string, label: MessageKey, swatch: Partial<CSSStyleDeclaration>, data: Record<string, string> = {}) => {
    const el = document.createElement('div');
    el.className = 'risk-legend-row';
    el.dataset.ring = key;
    Object.assign(el.dataset, data);
    const sw = document.createElement('span');
    sw.className = 'risk-legend-swatch';
    Object.assign(sw.style, { borderRadius: '2px', boxSizing: 'border-box', ...swatch });
    const name = document.createElement('span');
    name.className = 'risk-legend-label';
    bindText(name, label);
    el.append(sw, name);
    section.append(el);
  };
  for (const ring of AREA_RINGS) {
    const alpha = Math.round(Math.min(1, RING_FILL_OPACITY[ring] * 2) * 255).toString(16).padStart(2, '0');
    row(
      ring,
      `ring.${ring}`,
      { backgroundColor: `${RING_COLORS[ring]}${alpha}`, border: `1px solid ${RING_COLORS[ring]}` },
      // The exact paint of the map layer, for anyone (a test, an operator's tool) that reads the key.
      { fill: RING_COLORS[ring], fillOpacity: String(RING_FILL_OPACITY[ring]) },
    );
  }
  row('zones', 'legend.zones', { border: `1px dashed ${ZONE_COLOR}` });
  return section;
}
