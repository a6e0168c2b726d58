import type { Alert, AlertId, AlertStatus, Observation, Ring, Track, TrackEvent, TrackId } from '@seawall/contracts';
import { placeEvents } from './fusion/place-events';
import { AlertBook, type AlertEvent, type Finding } from './alerts/alert-book';
import type { HistoryRow, TrackChange, TrackTable, TrackTableState } from './fusion/track-table';
import type { RuleConfig } from './rules/rule-config';
import { checkAisDark, longestSilenceMs, type AisReporting } from './rules/ais-dark';
import { IdentityChecks, type RegistryEntry } from './rules/identity';
import { checkSpoofing, type Fix } from './rules/spoofing';
import { EncounterWatch, type Meeting } from './rules/encounter';
import { LoiteringWatch, type SlowSpell } from './rules/loitering';
import { SpatialGrid } from './fusion/spatial-grid';
import { checkUnidentifiedTarget } from './rules/unidentified-target';

/** Where a point lies: its ring and the zones (ports, anchorages) it is in. */
export interface PlaceLookup {
  classify(lon: number, lat: number): { ring: Ring; zones: readonly string[]; inPortZone: boolean };
}

/** Where the pipeline's results go (storage, socket.io); the pipeline itself does no I/O. */
export interface PipelineSinks {
  trackChanged(track: Track, history: HistoryRow | null): void;
  event(event: TrackEvent): void;
  tracksRemoved(ids: TrackId[]): void;
  /** An alert event; `persisted` when the caller has already written it (with the change that caused it). */
  alert(event: AlertEvent, persisted?: boolean): void;
}

/** How often (feed time) silent tracks are checked for stale and lost. */
const SWEEP_INTERVAL_MS = 1_000;
/** Closed alerts stay in memory this long (feed time) after their last change; storage keeps them for good. */
const CLOSED_ALERT_RETENTION_MS = 24 * 3600_000;

interface DarkGap {
  alertId: AlertId;
  gapStartMs: number;
  /** The silence that made the vessel dark (its class and speed at the last report). */
  thresholdMs: number;
  late: number[];
}

/**
 * The pipeline's whole memory as plain data. A server saves it when it stops (and from time to time) and
 * the next one carries on from it, so a restart changes no alert and no track. `version` guards the shape.
 */
export interface PipelineState {
  version: typeof PIPELINE_STATE_VERSION;
  nextSweepMs: number;
  table: TrackTableState;
  alerts: Alert[];
  inPort: [TrackId, boolean][];
  placeOf: [TrackId, { ring: Ring; zones: readonly string[] }][];
  dark: [TrackId, DarkGap][];
  lastFix: [TrackId, Fix][];
  aisReporting: [TrackId, AisReporting][];
  droneArmed: [TrackId, boolean | null][];
  vessels: [string, TrackId[]][];
  encounters: [string, Meeting][];
  loitering: [TrackId, SlowSpell][];
}

export const PIPELINE_STATE_VERSION = 1;

/**
 * The stages from one observation to tracks and alerts: fusion, ring classification, rules, alert book. Runs
 * on observation time only, so the same feed gives the same tracks and alerts.
 */
export class Pipeline {
  private nextSweepMs = 0;
  private readonly inPort = new Map<TrackId, boolean>();
  private readonly placeOf = new Map<TrackId, { ring: Ring; zones: readonly string[] }>();
  // Open AIS-dark alerts by AIS track: when the silence began, and AIS reports that arrived late from inside it.
  private readonly dark = new Map<TrackId, DarkGap>();

  // The latest AIS fix of each vessel in observation time, to judge the next one.
  private readonly lastFix = new Map<TrackId, Fix>();
  // What each AIS vessel's last position report said about its class, status and speed: how often it must report.
  private readonly aisReporting = new Map<TrackId, AisReporting>();
  // Whether each drone was armed at its last report: a disarmed drone switched off on its pad has not lost its link.
  private readonly droneArmed = new Map<TrackId, boolean | null>();
  private readonly vessels = new SpatialGrid();
  private readonly encounters: EncounterWatch;
  private readonly loitering: LoiteringWatch;
  private readonly identity: IdentityChecks;

  constructor(
    readonly table: TrackTable,
    readonly alerts: AlertBook,
    private readonly rules: RuleConfig,
    private readonly places: PlaceLookup | null,
    private readonly sinks: PipelineSinks,
    registry: ReadonlyMap<number, RegistryEntry> | null = null,
  ) {
    this.encounters = new EncounterWatch(rules.encounter);
    this.loitering = new LoiteringWatch(rules.loitering);
    this.identity = new IdentityChecks(registry, rules.identity);
  }

  handle(obs: Observation): void {
    const change = this.table.apply(obs);
    if (obs.kind === 'ais.position' && change && change.track.lastSeenMs === obs.observedAtMs) {
      this.aisReporting.set(change.track.id, { aisClass: obs.aisClass, navStatus: obs.navStatus, sogKn: obs.sogKn });
    }
    if (change) this.applyChange(change);
    if (obs.kind === 'drone.telemetry' && change) {
      if (change.track.lastSeenMs === obs.observedAtMs) this.droneArmed.set(change.track.id, obs.armed);
      this.checkDroneBattery(change.track, obs.batteryPct);
    }
    if (this.table.clockMs >= this.nextSweepMs) {
      this.nextSweepMs = this.table.clockMs + SWEEP_INTERVAL_MS;
      const swept = this.table.sweep();
      for (const t of swept.changed) {
        this.sinks.trackChanged(t, null);
        if (t.kind === 'drone' && t.state === 'stale' && this.droneArmed.get(t.id) !== false) this.raiseOnce({
          rule: 'drone-link', level: 'yellow', trackIds: [t.id], ring: t.ring, lon: t.lon, lat: t.lat, atMs: this.table.clockMs,
          summary: `No telemetry from drone ${t.id} since ${new Date(t.lastSeenMs).toISOString()}`,
          evidence: { lastSeenMs: t.lastSeenMs, lastPosition: [t.lon, t.lat], armed: this.droneArmed.get(t.id) ?? null },
        });
      }
      for (const id of swept.removed) {
        this.lastFix.delete(id);
        this.aisReporting.delete(id);
        this.droneArmed.delete(id);
        this.vessels.delete(id);
        this.loitering.forget(id);
        this.identity.forget(id);
        this.inPort.delete(id);
        this.placeOf.delete(id);
      }
      if (swept.removed.length > 0) this.sinks.tracksRemoved(swept.removed);
      this.alerts.prune(this.table.clockMs - CLOSED_ALERT_RETENTION_MS);
    }
  }

  snapshot(): PipelineState {
    return {
      version: PIPELINE_STATE_VERSION,
      nextSweepMs: this.nextSweepMs,
      table: this.table.snapshot(),
      alerts: this.alerts.all(),
      inPort: [...this.inPort],
      placeOf: [...this.placeOf],
      dark: [...this.dark].map(([id, d]) => [id, { ...d, late: [...d.late] }]),
      lastFix: [...this.lastFix],
      aisReporting: [...this.aisReporting],
      droneArmed: [...this.droneArmed],
      vessels: this.vessels.snapshot(),
      encounters: this.encounters.snapshot(),
      loitering: this.loitering.snapshot(),
    };
  }

  /** Carries on from a saved state (on a fresh pipeline, before the first observation). */
  restoreFrom(s: PipelineState): void {
    if (s.version !== PIPELINE_STATE_VERSION) throw new Error(`pipeline state version ${String(s.version)} is not ${PIPELINE_STATE_VERSION}`);
    this.nextSweepMs = s.nextSweepMs;
    this.table.restoreFrom(s.table);
    for (const a of s.alerts) this.alerts.restore(a);
    const refill = <K, V>(map: Map<K, V>, entries: readonly [K, V][]) => {
      map.clear();
      for (const [k, v] of entries) map.set(k, v);
    };
    refill(this.inPort, s.inPort);
    refill(this.placeOf, s.placeOf);
    refill(this.dark, s.dark);
    refill(this.lastFix, s.lastFix);
    refill(this.aisReporting, s.aisReporting);
    refill(this.droneArmed, s.droneArmed);
    this.vessels.restoreFrom(s.vessels);
    this.encounters.restoreFrom(s.encounters);
    this.loitering.restoreFrom(s.loitering);
  }


  /**
   * Moves an alert to a new status in memory only, for a caller that writes the event (in its own
   * transaction) before anyone is told: then `publishAlertEvent`, or `undo` if the write failed. Throws
   * AlertTransitionError.
   */
  stageAlertTransition(id: AlertId, to: AlertStatus, actor: string, atMs: number, note?: string): { event: AlertEvent; undo(): void } {
    const before = this.alerts.get(id);
    const event = this.alerts.transition(id, to, actor, atMs, note);
    return { event, undo: () => before && this.alerts.restore(before) };
  }

  /** Tells the sinks about a staged alert event once it is written. */
  publishAlertEvent(event: AlertEvent): void {
    this.emit(event, true);
  }

  private applyChange(change: TrackChange): void {
    let track = this.classify(change.track, change.history);
    this.sinks.trackChanged(track, change.history);
    for (const also of change.alsoChanged ?? []) this.sinks.trackChanged(this.classify(also, null), null);
    if (change.removed) {
      this.sinks.tracksRemoved(change.removed);
      for (const id of change.removed) this.vessels.delete(id);
    }
    if (change.history?.trackId === track.id && track.kind !== 'drone' && track.kind !== 'unit' && this.table.visible(track.id)) this.checkBehaviour(track);

    if (change.history?.trackId.startsWith('ais:')) {
      this.checkLateAis(change.history);
      this.checkFix(track, change.history);
    }
    if (track.kind === 'ais' || track.kind === 'fused') {
      // The finding is only built when it would change the open alert: the verdict rarely changes, reports come often.
      const summary = this.identity.summaryOf(track);
      if (summary !== null && this.alerts.openFor('identity', [track.id])?.summary !== summary) this.raise(this.identity.check(track)!);
    }
    if (track.kind === 'drone' && change.history) {
      const lost = this.alerts.openFor('drone-link', [track.id]);
      if (lost) this.emit(this.alerts.transition(lost.id, 'resolved', 'system', track.lastSeenMs, 'telemetry resumed'));
    }

    // A radar update is evaluated on the radar track itself, fused or not.
    const radarId = change.history?.trackId;
    if (radarId && radarId.startsWith('radar:')) {
      const radar = this.table.get(radarId);
      if (radar) track = radar;
    }
    if (track.kind === 'radar') this.checkRadar(track);
  }

  /** Sets the ring of a track whose position changed. */
  private classify(track: Track, history: HistoryRow | null): Track {
    if (!this.places) return track;
    const lon = history?.trackId === track.id ? history.lon : track.lon;
    const lat = history?.trackId === track.id ? history.lat : track.lat;
    const place = this.places.classify(lon, lat);
    this.inPort.set(track.id, place.inPortZone);
    if (history?.trackId === track.id) {
      const atMs = history.observedAtMs;
      for (const e of placeEvents(track.id, atMs, lon, lat, this.placeOf.get(track.id), place)) this.sinks.event(e);
      this.placeOf.set(track.id, { ring: place.ring, zones: place.zones });
    }
    if (place.ring === track.ring) return track;
    return this.table.annotate(track.id, { ring: place.ring }) ?? track;
  }

  private checkRadar(radar: Track): void {
    const fusedWith = this.table.fusedWith(radar.id);
    const lastFused = this.table.lastFusedWith(radar.id);
    if (!fusedWith && lastFused) {
      // This target was a known vessel: its silence is the question, not its identity.
      const ais = this.table.get(lastFused);
      const finding = ais && checkAisDark(ais, radar, this.rules.aisDark, this.aisReporting.get(ais.id));
      if (finding) {
        const event = this.alerts.raise(finding);
        if (event) {
          this.emit(event);
          if (event.type === 'raised') this.dark.set(ais.id, { alertId: event.alert.id, gapStartMs: ais.lastSeenMs, thresholdMs: finding.evidence.thresholdMs as number, late: [] });
        }
      }
      return;
    }
    const open = this.alerts.openFor('unidentified-target', [radar.id]);
    if (fusedWith && open) {
      // An AIS identity now explains the target: the suspicion is cleared, on the record.
      this.emit(this.alerts.transition(open.id, 'resolved', 'system', radar.lastSeenMs, `identified as ${fusedWith}`));
      return;
    }
    const finding = checkUnidentifiedTarget(
      radar,
      { radarUpdates: this.table.radarUpdates(radar.id), fused: fusedWith !== null, inPortZone: this.inPort.get(radar.id) ?? false },
      this.rules.unidentifiedTarget,
    );
    if (finding) this.raise(finding);
  }

  /** AIS data from inside a dark gap, arriving late (another receiver, a store-and-forward backlog): withdraw the alert if it closes the gap. */
  private checkLateAis(history: HistoryRow): void {
    const dark = this.dark.get(history.trackId);
    if (!dark) return;
    const alert = this.alerts.get(dark.alertId);
    if (!alert || (alert.status !== 'open' && alert.status !== 'acknowledged')) {
      this.dark.delete(history.trackId);
      return;
    }
    if (history.observedAtMs <= dark.gapStartMs || history.observedAtMs > alert.raisedAtMs) return;
    dark.late.push(history.observedAtMs);
    if (longestSilenceMs(dark.gapStartMs, alert.raisedAtMs, dark.late) < dark.thresholdMs) {
      this.dark.delete(history.trackId);
      this.emit(this.alerts.transition(alert.id, 'resolved', 'system', this.table.clockMs, 'withdrawn: late AIS data filled the gap'));
    }
  }

  /** Loitering and meetings at sea, judged on every position update of a vessel in the picture. */
  private checkBehaviour(track: Track): void {
    this.vessels.set(track.id, track.lon, track.lat);
    const inPort = this.inPort.get(track.id) ?? false;
    const loiter = this.loitering.update(track, inPort);
    if (loiter) this.raise(loiter);
    // Most updates are of vessels under way: the neighbours are looked up only for one that could be meeting another.
    if (!this.encounters.watches(track, inPort)) return;
    const nearby: { track: Track; inPortZone: boolean }[] = [];
    for (const id of this.vessels.near(track.lon, track.lat)) {
      const other = id === track.id ? undefined : this.table.get(id);
      if (other && this.table.visible(id)) nearby.push({ track: other, inPortZone: this.inPort.get(id) ?? false });
    }
    for (const finding of this.encounters.update(track, inPort, nearby)) this.raise(finding);
  }

  /** Consecutive AIS fixes (in observation time) that no vessel of this type could connect. */
  private checkFix(track: Track, history: HistoryRow): void {
    const previous = this.lastFix.get(track.id);
    const current: Fix = { atMs: history.observedAtMs, lon: history.lon, lat: history.lat, sensorId: history.sensorId };
    if (previous && current.atMs < previous.atMs) return; // late data: judged against its own neighbours, not the newest
    this.lastFix.set(track.id, current);
    const finding = previous && checkSpoofing(track, previous, current, this.rules.spoofing);
    if (finding) this.raise(finding);
  }

  private checkDroneBattery(track: Track, batteryPct: number | null): void {
    if (batteryPct === null || batteryPct > this.rules.drone.batteryLowPct) return;
    this.raiseOnce({
      rule: 'drone-battery', level: 'blue', trackIds: [track.id], ring: track.ring, lon: track.lon, lat: track.lat, atMs: track.lastSeenMs,
      summary: `Drone ${track.id} battery at ${batteryPct} %`,
      evidence: { batteryPct, threshold: this.rules.drone.batteryLowPct },
    });
  }

  /** Raises a finding only when no alert of its rule is open on its tracks (for state-like findings). */
  private raiseOnce(finding: Finding): void {
    if (!this.alerts.openFor(finding.rule, finding.trackIds)) this.raise(finding);
  }

  private raise(finding: Finding): void {
    const event = this.alerts.raise(finding);
    if (event) this.emit(event);
  }

  /** Passes an alert event on and refreshes the level of the tracks it concerns. */
  private emit(event: AlertEvent, persisted = false): void {
    this.sinks.alert(event, persisted);
    for (const id of event.alert.trackIds) {
      const level = this.alerts.levelOf(id);
      const track = this.table.get(id);
      if (track && track.level !== level) {
        const next = this.table.annotate(id, { level })!;
        if (this.table.visible(id)) this.sinks.trackChanged(next, null);
      }
    }
  }
}
