import { RISK_LEVELS, type RiskLevel } from '@seawall/contracts';
import { bindAttribute, bindText, type MessageKey } from '../i18n/i18n';
import { cssColor, riskColor } from '../map/risk-colors';
import { buildRingLegend } from './ring-legend';

type LegendKey = RiskLevel | 'none';

/** The colour key of the map: how many tracks are at each level right now, and the rings' colours. */
export class RiskLegend {
  readonly element: HTMLElement;
  readonly #counts = new Map<LegendKey, HTMLElement>();

  constructor(container: HTMLElement) {
    this.element = document.createElement('div');
    this.element.className = 'risk-legend';
    bindAttribute(this.element, 'aria-label', 'legend.levels');
    const rows: readonly (readonly [LegendKey, MessageKey])[] = [
      ...RISK_LEVELS.map((level) => [level, `level.${level}`] as const),
      ['none', 'level.none'],
    ];
    for (const [key, label] of rows) {
      const row = document.createElement('div');
      row.className = 'risk-legend-row';
      row.dataset.level = key;
      const swatch = document.createElement('span');
      swatch.className = 'risk-legend-swatch';
      swatch.style.backgroundColor = cssColor(riskColor(key === 'none' ? null : key));
      const name = document.createElement('span');
      name.className = 'risk-legend-label';
      bindText(name, label);
      const count = document.createElement('span');
      count.className = 'risk-legend-count';
      count.dataset.testid = `level-count-${key}`;
      count.textContent = '0';
      this.#counts.set(key, count);
      row.append(swatch, name, count);
      this.element.append(row);
    }
    this.element.append(buildRingLegend());
    container.append(this.element);
  }

  /** Show how many tracks are at each level (the store's `levelCounts`). */
  update(counts: Readonly<Record<LegendKey, number>>): void {
    for (const [key, el] of this.#counts) el.textContent = String(counts[key]);
  }
}
