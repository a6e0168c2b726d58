import type { Track, TrackId } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import { distanceM } from '../fusion/geo-math';
import type { RuleConfig } from './rule-config';

export interface Meeting {
  sinceMs: number;
  lastMetMs: number;
  closestM: number;
  where: [number, number];
}

const VESSEL_KINDS: ReadonlySet<Track['kind']> = new Set(['ais', 'fused', 'radar']);

/**
 * Follows pairs of slow vessels close together outside port zones (a ship-to-ship transfer); pure, on
 * observation time. The caller supplies the vessels near the one that moved.
 */
export class EncounterWatch {
  private readonly meetings = new Map<string, Meeting>();

  constructor(private readonly params: RuleConfig['encounter']) {}

  private static key(a: TrackId, b: TrackId): string {
    return a < b ? `${a}|${b}` : `${b}|${a}`;
  }

  snapshot(): [string, Meeting][] {
    return [...this.meetings].map(([k, m]) => [k, { ...m }]);
  }

  restoreFrom(meetings: readonly [string, Meeting][]): void {
    this.meetings.clear();
    for (const [k, m] of meetings) this.meetings.set(k, { ...m });
  }

  /** Whether `track` could be in a meeting at all: a slow vessel in a watched ring outside port zones. */
  watches(track: Track, inPortZone: boolean): boolean {
    const p = track.ring ? this.params.byRing[track.ring] : undefined;
    return VESSEL_KINDS.has(track.kind) && p !== undefined && !inPortZone && (track.sogKn ?? Infinity) < p.maxSpeedKn;
  }

  /** Folds in a position update of `track`; returns findings for the meetings that have lasted long enough. */
  update(track: Track, inPortZone: boolean, nearby: Iterable<{ track: Track; inPortZone: boolean }>): Finding[] {
    if (!this.watches(track, inPortZone)) return [];
    const p = this.params.byRing[track.ring!]!;
    const findings: Finding[] = [];
    for (const other of nearby) {
      const u = other.track;
      if (u.id === track.id || !VESSEL_KINDS.has(u.kind) || other.inPortZone || u.state !== 'active') continue;
      if ((u.sogKn ?? Infinity) >= p.maxSpeedKn) continue;
      const d = distanceM(track.lon, track.lat, u.lon, u.lat);
      if (d > p.distanceM) continue;
      const key = EncounterWatch.key(track.id, u.id);
      let m = this.meetings.get(key);
      if (!m || track.lastSeenMs - m.lastMetMs > this.params.gapToleranceMs) {
        this.meetings.set(key, (m = { sinceMs: track.lastSeenMs, lastMetMs: track.lastSeenMs, closestM: d, where: [track.lon, track.lat] }));
      }
      m.lastMetMs = track.lastSeenMs;
      m.closestM = Math.min(m.closestM, d);
      const durationMs = m.lastMetMs - m.sinceMs;
      if (durationMs < p.minDurationMs) continue;
      const ids = [track.id, u.id].sort() as TrackId[];
      findings.push({
        rule: 'encounter',
        level: track.ring === 'shoreline' ? 'red' : 'orange',
        trackIds: ids,
        ring: track.ring,
        lon: (track.lon + u.lon) / 2,
        lat: (track.lat + u.lat) / 2,
        atMs: track.lastSeenMs,
        summary: `${track.name ?? track.id} and ${u.name ?? u.id} together at sea for ${Math.round(durationMs / 60_000)} min`,
        evidence: {
          tracks: ids,
          sinceMs: m.sinceMs,
          durationMs,
          distanceM: Math.round(d),
          closestM: Math.round(m.closestM),
          firstPosition: m.where,
          speedsKn: { [track.id]: track.sogKn, [u.id]: u.sogKn },
          radarOnly: [track, u].filter((t) => t.kind === 'radar').map((t) => t.id),
          parameters: p,
        },
      });
    }
    return findings;
  }
}
