import { trackIdOf, type Mmsi, type Observation, type Track, type TrackId } from '@seawall/contracts';
import { Associator, type AssociationGate, type AssociatorState } from './association';
import { SpatialGrid } from './spatial-grid';
import { DEFAULT_TIMEOUTS, lifecycleState } from './track-lifecycle';

/** One position of one track, as written to `track_history`. */
export interface HistoryRow {
  trackId: TrackId;
  observedAtMs: number;
  obsId: string;
  sensorId: string;
  lon: number;
  lat: number;
  sogKn: number | null;
  cogDeg: number | null;
  headingDeg: number | null;
}

export interface TrackChange {
  /** The track to show and store (for a radar target fused with an AIS vessel: the fused track). */
  track: Track;
  history: HistoryRow | null;
  /** Other tracks whose picture changed with this observation (an association that started or ended). */
  alsoChanged?: Track[];
  /** Tracks that left the operators' picture (a radar target merged into a fused track). */
  removed?: TrackId[];
}

/** Everything the table knows, as plain data: saved so that a restarted server carries on where it stopped. */
export interface TrackTableState {
  clock: number;
  tracks: Track[];
  staticByMmsi: [number, StaticInfo][];
  aisGrid: [string, TrackId[]][];
  associator: AssociatorState;
  hidden: TrackId[];
}

interface StaticInfo {
  name: string | null;
  callsign: string | null;
  shipType: number | null;
  destination: string | null;
}

const MAX_SOURCES = 32;
/** A lost track stays in the picture this long (observation time) before it is dropped from memory. */
export const LOST_RETENTION_MS = 60 * 60_000;
/** An observation time further ahead of its receipt than this does not move the feed clock (a bad clock). */
const MAX_CLOCK_LEAD_MS = 5 * 60_000;

export interface SweepResult {
  changed: Track[];
  removed: TrackId[];
}

/**
 * The live tracks, keyed by source identity: AIS by MMSI, radar by radar and target number, drones by
 * system id, units by unit id. Pure: observation time only, no I/O.
 */
export class TrackTable {
  private readonly tracks = new Map<TrackId, Track>();
  // AIS static data (types 5, 19, 24) heard before the vessel's first position report.
  private readonly staticByMmsi = new Map<number, StaticInfo>();
  private clock = 0;
  private readonly aisGrid = new SpatialGrid();
  private readonly associator: Associator;
  // Radar tracks merged into a fused track: kept (their updates are evidence), not shown.
  private readonly hidden = new Set<TrackId>();

  constructor(gate?: AssociationGate) {
    this.associator = new Associator(gate);
  }

  /** The AIS track a radar track is fused with, or null. */
  fusedWith(radarId: TrackId): TrackId | null {
    return this.associator.associatedWith(radarId);
  }

  /** The AIS track this radar track was last fused with, even after the fusion ended (a vessel gone dark). */
  lastFusedWith(radarId: TrackId): TrackId | null {
    return this.associator.lastAssociatedWith(radarId);
  }

  /** Radar updates folded in for this radar track (how long it has had to find an AIS identity). */
  radarUpdates(radarId: TrackId): number {
    return this.associator.updates(radarId);
  }

  /** The feed clock: the latest plausible observation time applied. Lifecycle runs on it, never on wall time. */
  get clockMs(): number {
    return this.clock;
  }

  get size(): number {
    return this.tracks.size;
  }

  get(id: TrackId): Track | undefined {
    return this.tracks.get(id);
  }

  /** The operators' picture: every track except radar targets merged into a fused track. */
  all(): Track[] {
    const out: Track[] = [];
    for (const t of this.tracks.values()) if (!this.hidden.has(t.id)) out.push(t);
    return out;
  }

  /** Replaces what classification and alerts derive (ring, level) on a live track; null when it is gone. */
  annotate(id: TrackId, fields: Partial<Pick<Track, 'ring' | 'level'>>): Track | null {
    const track = this.tracks.get(id);
    if (!track) return null;
    const next = { ...track, ...fields };
    this.tracks.set(id, next);
    return next;
  }

  /** Whether a track is in the operators' picture (not a radar target merged into a fused track). */
  visible(id: TrackId): boolean {
    return this.tracks.has(id) && !this.hidden.has(id);
  }

  snapshot(): TrackTableState {
    return {
      clock: this.clock,
      tracks: [...this.tracks.values()],
      staticByMmsi: [...this.staticByMmsi],
      aisGrid: this.aisGrid.snapshot(),
      associator: this.associator.snapshot(),
      hidden: [...this.hidden],
    };
  }

  restoreFrom(s: TrackTableState): void {
    this.clock = s.clock;
    this.tracks.clear();
    for (const t of s.tracks) this.tracks.set(t.id, t);
    this.staticByMmsi.clear();
    for (const [mmsi, info] of s.staticByMmsi) this.staticByMmsi.set(mmsi, info);
    this.aisGrid.restoreFrom(s.aisGrid);
    this.associator.restoreFrom(s.associator);
    this.hidden.clear();
    for (const id of s.hidden) this.hidden.add(id);
  }

  /** Restores a track loaded from storage (restart). */
  restore(track: Track): void {
    this.tracks.set(track.id, track);
  }

  /** Applies one observation; returns the changed track, or null when nothing visible changed. */
  apply(obs: Observation): TrackChange | null {
    if (obs.observedAtMs > this.clock && obs.observedAtMs <= obs.receivedAtMs + MAX_CLOCK_LEAD_MS) this.clock = obs.observedAtMs;
    switch (obs.kind) {
      case 'ais.static':
        return this.applyAisStatic(obs);
      case 'ais.position': {
        const change = this.applyPosition(obs, 'ais', aisTrackId(obs.mmsi), obs.mmsi, obs.sogKn, obs.cogDeg, obs.headingDeg);
        this.aisGrid.set(change.track.id, change.track.lon, change.track.lat);
        return change;
      }
      case 'radar.target':
        return this.applyRadar(obs);
      case 'drone.telemetry': {
        const sog = obs.groundSpeedMs === null ? null : obs.groundSpeedMs / 0.514444;
        // MAVLink system ids default to 1 on most autopilots: only sensor and system id together name a drone.
        return this.applyPosition(obs, 'drone', trackIdOf('drone', obs.sensorId, obs.systemId), null, sog, obs.headingDeg, obs.headingDeg);
      }
      case 'unit.position':
        return this.applyPosition(obs, 'unit', trackIdOf('unit', obs.unitId), null, obs.sogKn, obs.cogDeg, null);
    }
  }

  /** Moves silent tracks to stale or lost at the feed clock; drops those lost for longer than the retention. */
  sweep(nowMs = this.clock): SweepResult {
    const result: SweepResult = { changed: [], removed: [] };
    for (const track of this.tracks.values()) {
      if (track.state === 'lost' && nowMs - track.lastSeenMs >= DEFAULT_TIMEOUTS[track.kind].lostAfterMs + LOST_RETENTION_MS) {
        this.tracks.delete(track.id);
        this.aisGrid.delete(track.id);
        this.associator.forget(track.id);
        if (!this.hidden.delete(track.id)) result.removed.push(track.id);
        continue;
      }
      const state = lifecycleState(track, nowMs);
      if (state === track.state) continue;
      const next = { ...track, state };
      this.tracks.set(track.id, next);
      if (!this.hidden.has(track.id)) result.changed.push(next);
    }
    return result;
  }

  private applyRadar(obs: Extract<Observation, { kind: 'radar.target' }>): TrackChange {
    const change = this.applyPosition(obs, 'radar', trackIdOf('radar', obs.sensorId, obs.targetNumber), null, obs.sogKn, obs.cogDeg, null);
    const radar = change.track;
    const nearby: Track[] = [];
    const sensorPrefix = `radar:${obs.sensorId}:`;
    for (const id of this.aisGrid.near(radar.lon, radar.lat)) {
      const t = this.tracks.get(id);
      if (!t || t.state === 'lost') continue;
      // One echo per vessel per radar: an AIS vessel already held by another target of this radar is not a candidate.
      if ([...this.associator.radarsOf(id)].some((r) => r !== radar.id && r.startsWith(sensorPrefix))) continue;
      nearby.push(t);
    }
    const assoc = this.associator.update(radar, nearby);
    if (assoc?.aisId) {
      // Association starts: the AIS track becomes the fused one, carrying both sources; the radar target leaves the picture.
      const ais = this.tracks.get(assoc.aisId)!;
      const fused: Track = { ...ais, kind: 'fused', sources: addSource(ais.sources, obs.sensorId) };
      this.tracks.set(fused.id, fused);
      this.hidden.add(radar.id);
      return { track: radar, history: change.history, alsoChanged: [fused], removed: [radar.id] };
    }
    if (assoc && assoc.previous) {
      // Association ends: the radar target is shown on its own again; the AIS track is fused only while another radar holds it.
      this.hidden.delete(radar.id);
      const ais = this.tracks.get(assoc.previous);
      const stillFused = [...this.hidden].some((id) => this.associator.associatedWith(id) === assoc.previous);
      const also = ais && !stillFused ? [{ ...ais, kind: 'ais' as const }] : [];
      for (const t of also) this.tracks.set(t.id, t);
      return { track: radar, history: change.history, alsoChanged: also };
    }
    if (this.hidden.has(radar.id)) {
      // A fused radar update refreshes nothing visible; its history is still evidence.
      const fusedId = this.associator.associatedWith(radar.id)!;
      return { track: this.tracks.get(fusedId) ?? radar, history: change.history };
    }
    return change;
  }

  private applyAisStatic(obs: Extract<Observation, { kind: 'ais.static' }>): TrackChange | null {
    const prev = this.staticByMmsi.get(obs.mmsi);
    // Class B sends name (24A) and type/callsign (24B) separately: keep what each part does not carry.
    const info: StaticInfo = {
      name: obs.shipName ?? prev?.name ?? null,
      callsign: obs.callsign ?? prev?.callsign ?? null,
      shipType: obs.shipType ?? prev?.shipType ?? null,
      destination: obs.destination ?? prev?.destination ?? null,
    };
    this.staticByMmsi.set(obs.mmsi, info);
    const id = aisTrackId(obs.mmsi);
    const track = this.tracks.get(id);
    if (!track) return null;
    const next: Track = { ...track, ...info, sources: addSource(track.sources, obs.sensorId) };
    this.tracks.set(id, next);
    return { track: next, history: null };
  }

  private applyPosition(
    obs: Observation & { lon: number; lat: number },
    kind: Track['kind'],
    id: TrackId,
    mmsi: number | null,
    sogKn: number | null,
    cogDeg: number | null,
    headingDeg: number | null,
  ): TrackChange {
    const history: HistoryRow = {
      trackId: id,
      observedAtMs: obs.observedAtMs,
      obsId: obs.obsId,
      sensorId: obs.sensorId,
      lon: obs.lon,
      lat: obs.lat,
      sogKn,
      cogDeg,
      headingDeg,
    };
    const prev = this.tracks.get(id);
    // A late observation still belongs in history, but must not move the live track back in time.
    if (prev && obs.observedAtMs < prev.lastSeenMs) return { track: prev, history };
    const info = mmsi === null ? undefined : this.staticByMmsi.get(mmsi);
    const track: Track = {
      id,
      kind: prev?.kind ?? kind,
      state: 'active',
      lon: obs.lon,
      lat: obs.lat,
      sogKn,
      cogDeg,
      headingDeg,
      mmsi,
      name: info?.name ?? prev?.name ?? null,
      callsign: info?.callsign ?? prev?.callsign ?? null,
      shipType: info?.shipType ?? prev?.shipType ?? null,
      destination: info?.destination ?? prev?.destination ?? null,
      ring: prev?.ring ?? null,
      level: prev?.level ?? null,
      sources: addSource(prev?.sources ?? [], obs.sensorId),
      firstSeenMs: prev?.firstSeenMs ?? obs.observedAtMs,
      lastSeenMs: obs.observedAtMs,
      updates: (prev?.updates ?? 0) + 1,
    };
    this.tracks.set(id, track);
    return { track, history };
  }
}

/** `trackIdOf('ais', mmsi)`, without its argument array and join: it names the track of every AIS report. */
function aisTrackId(mmsi: Mmsi): TrackId {
  return `ais:${mmsi}` as TrackId;
}

function addSource(sources: string[], sensorId: string): string[] {
  if (sources.includes(sensorId) || sources.length >= MAX_SOURCES) return sources;
  return [...sources, sensorId];
}
