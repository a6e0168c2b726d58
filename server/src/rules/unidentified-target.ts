import type { RiskLevel, Track } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import type { RuleConfig } from './rule-config';

export interface UnidentifiedContext {
  /** Radar updates folded in for this target. */
  radarUpdates: number;
  /** The target is fused with an AIS vessel. */
  fused: boolean;
  /** The target is inside a port or anchorage zone, where boats come and go without AIS as a matter of course. */
  inPortZone: boolean;
}

/**
 * A radar target that stays without an AIS identity ("three-no" suspicion): yellow in the near-sea ring,
 * orange in the shoreline ring, red once it reaches inland or stops at the coast outside a port zone.
 */
export function checkUnidentifiedTarget(track: Track, ctx: UnidentifiedContext, params: RuleConfig['unidentifiedTarget']): Finding | null {
  if (track.kind !== 'radar' || ctx.fused || track.state !== 'active') return null;
  if (ctx.radarUpdates < params.minRadarUpdates || track.lastSeenMs - track.firstSeenMs < params.minTrackedMs) return null;
  const landed = track.ring === 'shoreline' && (track.sogKn ?? 0) < params.landingSpeedKn && !ctx.inPortZone;
  let level: RiskLevel;
  let summary: string;
  switch (track.ring) {
    case 'near-sea':
      [level, summary] = ['yellow', 'Radar target without AIS identity in the near-sea ring'];
      break;
    case 'shoreline':
      [level, summary] = landed
        ? ['red', 'Radar target without AIS identity stopped at the coast outside a port']
        : ['orange', 'Radar target without AIS identity in the shoreline ring'];
      break;
    case 'inland':
      [level, summary] = ['red', 'Radar target without AIS identity inland'];
      break;
    default:
      return null;
  }
  return {
    rule: 'unidentified-target',
    level,
    trackIds: [track.id],
    ring: track.ring,
    lon: track.lon,
    lat: track.lat,
    atMs: track.lastSeenMs,
    summary,
    evidence: {
      position: [track.lon, track.lat],
      observedAtMs: track.lastSeenMs,
      firstSeenMs: track.firstSeenMs,
      sogKn: track.sogKn,
      cogDeg: track.cogDeg,
      radarUpdates: ctx.radarUpdates,
      sources: track.sources,
      inPortZone: ctx.inPortZone,
      landed,
      parameters: params,
    },
  };
}
