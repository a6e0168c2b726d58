import type { Track, TrackId } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import type { RuleConfig } from './rule-config';

export interface SlowSpell {
  sinceMs: number;
  ring: string;
  from: [number, number];
}

const VESSEL_KINDS: ReadonlySet<Track['kind']> = new Set(['ais', 'fused', 'radar']);

/** Follows how long each vessel has been slow in a watched ring outside port zones; pure, on observation time. */
export class LoiteringWatch {
  private readonly slowSince = new Map<TrackId, SlowSpell>();

  constructor(private readonly params: RuleConfig['loitering']) {}

  snapshot(): [TrackId, SlowSpell][] {
    return [...this.slowSince].map(([id, s]) => [id, { ...s }]);
  }

  restoreFrom(spells: readonly [TrackId, SlowSpell][]): void {
    this.slowSince.clear();
    for (const [id, s] of spells) this.slowSince.set(id, { ...s });
  }

  forget(id: TrackId): void {
    this.slowSince.delete(id);
  }

  /** Folds in a position update; returns a finding once the vessel has loitered long enough. */
  update(track: Track, inPortZone: boolean): Finding | null {
    const p = track.ring ? this.params.byRing[track.ring] : undefined;
    if (!VESSEL_KINDS.has(track.kind) || !p || inPortZone || track.sogKn === null || track.sogKn >= p.maxSpeedKn) {
      this.slowSince.delete(track.id);
      return null;
    }
    let s = this.slowSince.get(track.id);
    if (!s || s.ring !== track.ring) this.slowSince.set(track.id, (s = { sinceMs: track.lastSeenMs, ring: track.ring!, from: [track.lon, track.lat] }));
    const durationMs = track.lastSeenMs - s.sinceMs;
    if (durationMs < p.minDurationMs) return null;
    return {
      rule: 'loitering',
      level: 'yellow',
      trackIds: [track.id],
      ring: track.ring,
      lon: track.lon,
      lat: track.lat,
      atMs: track.lastSeenMs,
      summary: `${track.name ?? track.id} slow (${track.sogKn.toFixed(1)} kn) in the ${track.ring} ring for ${Math.round(durationMs / 60_000)} min`,
      evidence: { sinceMs: s.sinceMs, firstPosition: s.from, position: [track.lon, track.lat], durationMs, sogKn: track.sogKn, parameters: p },
    };
  }
}
