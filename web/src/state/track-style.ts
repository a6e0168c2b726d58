import { RISK_LEVELS, riskRank, type RiskLevel, type Track, type TrackState } from '@seawall/contracts';
import { trackColor } from '../map/risk-colors';
import { TRACK_ICON_ORDER, trackBearingDeg, trackIconIndexFor } from '../map/track-icons';

/** Risk ranks 0 (no open alert) to 4 (red), as `riskRank` gives them. */
export const RANKS = RISK_LEVELS.length + 1;
const STATES: readonly TrackState[] = ['active', 'stale', 'lost'];
const STATE_INDEX: Readonly<Record<TrackState, number>> = { active: 0, stale: 1, lost: 2 };
/** `riskRank` as a table, for the update loops. */
const LEVEL_RANK: Readonly<Record<RiskLevel, number>> = { red: riskRank('red'), orange: riskRank('orange'), yellow: riskRank('yellow'), blue: riskRank('blue') };
const ICONS = TRACK_ICON_ORDER.length;

/**
 * Everything about a track's look but its angle in one byte: risk rank, state and symbol. The store
 * compares one byte per track and rewrites colour and symbol only when it moved.
 */
export function styleOf(rank: number, state: number, icon: number): number {
  return (rank * STATES.length + state) * ICONS + icon;
}

/** 5 ranks × 3 states × 8 symbols: a style fits a byte. */
const STYLES = RANKS * STATES.length * ICONS;
/** By style: its risk rank, its symbol, and its RGBA (risk colour, alpha by state). */
export const STYLE_RANK = new Uint8Array(STYLES);
export const STYLE_ICON = new Uint8Array(STYLES);
export const STYLE_COLOR = new Uint8Array(STYLES * 4);
for (const level of [null, ...RISK_LEVELS] as (RiskLevel | null)[]) {
  for (const state of STATES) {
    for (let icon = 0; icon < ICONS; icon++) {
      const style = styleOf(riskRank(level), STATE_INDEX[state], icon);
      STYLE_RANK[style] = riskRank(level);
      STYLE_ICON[style] = icon;
      STYLE_COLOR.set(trackColor(level, state), 4 * style);
    }
  }
}

/** The risk rank of a level (0 for none), without `riskRank`'s lookups. */
export function rankOf(level: RiskLevel | null): number {
  return level === null ? 0 : LEVEL_RANK[level];
}

/** A track's style byte. */
export function trackStyleOf(track: Track, bearingDeg: number | null): number {
  return styleOf(rankOf(track.level), STATE_INDEX[track.state], trackIconIndexFor(track.kind, bearingDeg));
}

/** deck.gl's icon angle for a bearing: counter-clockwise on a north-up map, 0 without a direction. */
export function iconAngleOf(bearingDeg: number | null): number {
  return bearingDeg === null ? 0 : -bearingDeg;
}
