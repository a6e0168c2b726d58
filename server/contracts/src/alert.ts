import { z } from 'zod';
import { AlertId, EpochMs, Latitude, Longitude, TrackId } from './ids';
import { RiskLevel, Ring } from './track';

export const ALERT_RULES = [
  'unidentified-target',
  'ais-dark',
  'encounter',
  'loitering',
  'spoofing',
  'identity',
  'drone-battery',
  'drone-link',
] as const;
export const AlertRule = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof AlertRule>;

export const AlertStatus = z.enum(['open', 'acknowledged', 'dispatched', 'resolved', 'false-alarm']);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const Alert = z.object({
  id: AlertId,
  rule: AlertRule,
  level: RiskLevel,
  status: AlertStatus,
  trackIds: z.array(TrackId).min(1).max(16),
  ring: Ring.nullable(),
  lon: Longitude,
  lat: Latitude,
  raisedAtMs: EpochMs,
  updatedAtMs: EpochMs,
  summary: z.string().max(512),
  /** Tracks, positions, times and the rule parameters that justified the alert. */
  evidence: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof Alert>;
