import type { Track, TrackKind, TrackState } from '@seawall/contracts';

/** When a silent track turns stale, then lost, by the kind of sensor that keeps it (observation time). */
export interface LifecycleTimeouts {
  staleAfterMs: number;
  lostAfterMs: number;
}

/**
 * Defaults. AIS: a class A vessel under way reports every 2-10 s and at anchor every 3 min, class B every
 * 30 s to 3 min (ITU-R M.1371-5, table 1), so 6 min of silence is twice the slowest regular interval. Radar
 * trackers update every antenna turn (2-5 s). Drones stream telemetry at 1 Hz or more. Patrol units report
 * every 10-30 s.
 */
export const DEFAULT_TIMEOUTS: Readonly<Record<TrackKind, LifecycleTimeouts>> = {
  ais: { staleAfterMs: 6 * 60_000, lostAfterMs: 20 * 60_000 },
  fused: { staleAfterMs: 6 * 60_000, lostAfterMs: 20 * 60_000 },
  radar: { staleAfterMs: 30_000, lostAfterMs: 2 * 60_000 },
  drone: { staleAfterMs: 10_000, lostAfterMs: 60_000 },
  unit: { staleAfterMs: 2 * 60_000, lostAfterMs: 10 * 60_000 },
};

/** The state a track should be in at `nowMs` (observation time), given when it was last seen. */
export function lifecycleState(track: Pick<Track, 'kind' | 'lastSeenMs'>, nowMs: number, timeouts = DEFAULT_TIMEOUTS): TrackState {
  const silentMs = nowMs - track.lastSeenMs;
  const t = timeouts[track.kind];
  if (silentMs >= t.lostAfterMs) return 'lost';
  if (silentMs >= t.staleAfterMs) return 'stale';
  return 'active';
}
