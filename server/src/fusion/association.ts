import type { Track, TrackId } from '@seawall/contracts';
import { angleDiffDeg, deadReckon, distanceM } from './geo-math';

/**
 * When a radar target and an AIS vessel are taken to be the same ship: their positions (the AIS one dead-
 * reckoned to the radar time) within `distanceM`, and, when both move faster than `movingKn`, speeds within
 * `sogKn` and courses within `cogDeg` — on `minUpdates` radar updates in a row. `missesToRelease` updates
 * outside the gate end an association. ARPA targets are accurate to some 50-100 m and AIS positions to 10 m;
 * the gate allows for radar range/bearing error at 10-20 nm and for AIS report latency.
 */
export interface AssociationGate {
  distanceM: number;
  sogKn: number;
  cogDeg: number;
  movingKn: number;
  minUpdates: number;
  missesToRelease: number;
  /** An AIS position older than this is not extrapolated to meet a radar update. */
  maxAisAgeMs: number;
}

export const DEFAULT_GATE: AssociationGate = {
  distanceM: 500,
  sogKn: 5,
  cogDeg: 35,
  movingKn: 2,
  minUpdates: 3,
  missesToRelease: 3,
  maxAisAgeMs: 3 * 60_000,
};

export interface RadarAssociation {
  /** The AIS track this radar track was last associated with, kept after the association ends. */
  last: TrackId | null;
  candidate: TrackId | null;
  hits: number;
  misses: number;
  associated: TrackId | null;
  updates: number;
}

export interface AssociatorState {
  state: [TrackId, RadarAssociation][];
  radarsByAis: [TrackId, TrackId[]][];
}

export interface AssociationChange {
  radarId: TrackId;
  /** The AIS track now associated, or null when an association ended. */
  aisId: TrackId | null;
  previous: TrackId | null;
}

/** Whether the radar track and the AIS track agree within the gate at the radar's time. */
export function withinGate(radar: Track, ais: Track, gate: AssociationGate = DEFAULT_GATE): boolean {
  const ageMs = radar.lastSeenMs - ais.lastSeenMs;
  if (Math.abs(ageMs) > gate.maxAisAgeMs) return false;
  const [lon, lat] = deadReckon(ais.lon, ais.lat, ais.sogKn, ais.cogDeg, ageMs);
  if (distanceM(radar.lon, radar.lat, lon, lat) > gate.distanceM) return false;
  const radarMoving = (radar.sogKn ?? 0) > gate.movingKn;
  const aisMoving = (ais.sogKn ?? 0) > gate.movingKn;
  if (radarMoving !== aisMoving) return Math.abs((radar.sogKn ?? 0) - (ais.sogKn ?? 0)) <= gate.sogKn;
  if (!radarMoving) return true;
  if (Math.abs(radar.sogKn! - ais.sogKn!) > gate.sogKn) return false;
  return radar.cogDeg === null || ais.cogDeg === null || angleDiffDeg(radar.cogDeg, ais.cogDeg) <= gate.cogDeg;
}

/**
 * Radar-to-AIS association, one radar update at a time. Pure: the caller supplies the AIS tracks near the
 * radar target. A radar target whose association is null after many updates is unidentified.
 */
export class Associator {
  private readonly state = new Map<TrackId, RadarAssociation>();
  private readonly radarsByAis = new Map<TrackId, Set<TrackId>>();

  constructor(private readonly gate: AssociationGate = DEFAULT_GATE) {}

  /** The AIS track this radar track is associated with, if any. */
  associatedWith(radarId: TrackId): TrackId | null {
    return this.state.get(radarId)?.associated ?? null;
  }

  /** The AIS track this radar track was last associated with, even if that association has ended. */
  lastAssociatedWith(radarId: TrackId): TrackId | null {
    return this.state.get(radarId)?.last ?? null;
  }

  /** Radar updates seen for this track. */
  updates(radarId: TrackId): number {
    return this.state.get(radarId)?.updates ?? 0;
  }

  /** The radar tracks now associated with an AIS track. */
  radarsOf(aisId: TrackId): ReadonlySet<TrackId> {
    return this.radarsByAis.get(aisId) ?? new Set();
  }

  snapshot(): AssociatorState {
    return { state: [...this.state].map(([id, s]) => [id, { ...s }]), radarsByAis: [...this.radarsByAis].map(([id, r]) => [id, [...r]]) };
  }

  restoreFrom(s: AssociatorState): void {
    this.state.clear();
    this.radarsByAis.clear();
    for (const [id, a] of s.state) this.state.set(id, { ...a });
    for (const [id, radars] of s.radarsByAis) this.radarsByAis.set(id, new Set(radars));
  }

  forget(radarId: TrackId): void {
    const associated = this.state.get(radarId)?.associated;
    if (associated) this.radarsByAis.get(associated)?.delete(radarId);
    this.state.delete(radarId);
  }

  /** Folds one radar update in; returns a change when an association starts or ends. */
  update(radar: Track, nearbyAis: Iterable<Track>): AssociationChange | null {
    let s = this.state.get(radar.id);
    if (!s) this.state.set(radar.id, (s = { last: null, candidate: null, hits: 0, misses: 0, associated: null, updates: 0 }));
    s.updates++;
    let best: Track | null = null;
    let bestM = Infinity;
    for (const ais of nearbyAis) {
      if (!withinGate(radar, ais, this.gate)) continue;
      const [lon, lat] = deadReckon(ais.lon, ais.lat, ais.sogKn, ais.cogDeg, radar.lastSeenMs - ais.lastSeenMs);
      const d = distanceM(radar.lon, radar.lat, lon, lat);
      if (d < bestM) [best, bestM] = [ais, d];
    }

    if (s.associated) {
      if (best && best.id === s.associated) {
        s.misses = 0;
        return null;
      }
      if (++s.misses < this.gate.missesToRelease) return null;
      const previous = s.associated;
      this.radarsByAis.get(previous)?.delete(radar.id);
      s.associated = null;
      s.candidate = best?.id ?? null;
      s.hits = best ? 1 : 0;
      s.misses = 0;
      return { radarId: radar.id, aisId: null, previous };
    }

    if (!best) {
      s.candidate = null;
      s.hits = 0;
      return null;
    }
    s.hits = best.id === s.candidate ? s.hits + 1 : 1;
    s.candidate = best.id;
    if (s.hits < this.gate.minUpdates) return null;
    s.associated = best.id;
    s.last = best.id;
    let radars = this.radarsByAis.get(best.id);
    if (!radars) this.radarsByAis.set(best.id, (radars = new Set()));
    radars.add(radar.id);
    s.misses = 0;
    return { radarId: radar.id, aisId: best.id, previous: null };
  }
}
