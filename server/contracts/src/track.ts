import { z } from 'zod';
import { EpochMs, Latitude, Longitude, TrackId } from './ids';

/** The three rings around the coast, plus `outside` for everything beyond them. */
export const RINGS = ['near-sea', 'shoreline', 'inland', 'outside'] as const;
export const Ring = z.enum(RINGS);
export type Ring = z.infer<typeof Ring>;

/** Risk levels, highest first: red 红, orange 橙, yellow 黄, blue 蓝. */
export const RISK_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export const RiskLevel = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** Higher number = higher risk; `null` (no open alert) ranks below blue. */
export function riskRank(level: RiskLevel | null): number {
  return level === null ? 0 : RISK_LEVELS.length - RISK_LEVELS.indexOf(level);
}

export const TRACK_KINDS = ['ais', 'radar', 'fused', 'drone', 'unit'] as const;
export const TrackKind = z.enum(TRACK_KINDS);
export type TrackKind = z.infer<typeof TrackKind>;

export const TrackState = z.enum(['active', 'stale', 'lost']);
export type TrackState = z.infer<typeof TrackState>;

/** The fused picture of one thing at sea, in the air or ashore. */
export const Track = z.object({
  id: TrackId,
  kind: TrackKind,
  state: TrackState,
  lon: Longitude,
  lat: Latitude,
  sogKn: z.number().nullable(),
  cogDeg: z.number().nullable(),
  headingDeg: z.number().nullable(),
  mmsi: z.number().int().nullable(),
  name: z.string().max(256).nullable(),
  callsign: z.string().max(64).nullable(),
  shipType: z.number().int().nullable(),
  destination: z.string().max(256).nullable(),
  ring: Ring.nullable(),
  level: RiskLevel.nullable(),
  /** Sensor ids that contributed to this track. */
  sources: z.array(z.string()).max(32),
  firstSeenMs: EpochMs,
  lastSeenMs: EpochMs,
  updates: z.number().int().min(0),
});
export type Track = z.infer<typeof Track>;
