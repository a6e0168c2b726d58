import type { RiskLevel, TrackState } from '@seawall/contracts';

/** An RGB colour as deck.gl takes it. */
export type Rgb = readonly [number, number, number];
export type Rgba = readonly [number, number, number, number];

/** The four risk levels (红 橙 黄 蓝) and the grey-teal of a track with no open alert. */
export const RISK_COLORS: Readonly<Record<RiskLevel, Rgb>> = {
  red: [255, 59, 48],
  orange: [255, 149, 0],
  yellow: [255, 214, 10],
  blue: [10, 132, 255],
};
export const NO_RISK_COLOR: Rgb = [104, 168, 166];

/** Older tracks fade: stale is still worth a look, lost is history. */
const STATE_ALPHA: Readonly<Record<TrackState, number>> = { active: 255, stale: 160, lost: 90 };

export function riskColor(level: RiskLevel | null): Rgb {
  return level === null ? NO_RISK_COLOR : RISK_COLORS[level];
}

/** The fill of one track symbol. */
export function trackColor(level: RiskLevel | null, state: TrackState): Rgba {
  const [r, g, b] = riskColor(level);
  return [r, g, b, STATE_ALPHA[state]];
}

/** The same colour as CSS, for panels that must match the map. */
export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${r} ${g} ${b})`;
}
