import { riskRank, type Alert, type AlertId, type AlertRule, type AlertStatus, type RiskLevel, type Ring, type TrackId } from '@seawall/contracts';

/** What a rule found: the book turns it into a new alert or an update of the open one. */
export interface Finding {
  rule: AlertRule;
  level: RiskLevel;
  trackIds: TrackId[];
  ring: Ring | null;
  lon: number;
  lat: number;
  atMs: number;
  summary: string;
  evidence: Record<string, unknown>;
}

export type AlertEvent =
  | { type: 'raised'; alert: Alert }
  | { type: 'updated'; alert: Alert; escalated: boolean }
  | { type: 'status'; alert: Alert; from: AlertStatus; actor: string; atMs: number; note?: string };

const OPEN_STATUSES: ReadonlySet<AlertStatus> = new Set(['open', 'acknowledged', 'dispatched']);

/** Which status changes an operator (or the system) may make. */
const TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  open: ['acknowledged', 'dispatched', 'resolved', 'false-alarm'],
  acknowledged: ['dispatched', 'resolved', 'false-alarm'],
  dispatched: ['resolved', 'false-alarm'],
  resolved: [],
  'false-alarm': [],
};

export class AlertTransitionError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'bad-transition',
  ) {
    super(message);
  }
}

/**
 * The alerts: one open alert per rule and subject (track or pair of tracks), updated rather than
 * duplicated, escalated when the level rises. Ids derive from rule, subject and first observation time, so
 * replaying a feed gives the same alerts. Pure: times come from observations or the caller.
 */
export class AlertBook {
  private readonly alerts = new Map<AlertId, Alert>();
  private readonly openBySubject = new Map<string, AlertId>();

  static subjectKey(rule: AlertRule, trackIds: readonly TrackId[]): string {
    // Most alerts concern one track, asked about on every one of its reports: no copy and sort for those.
    if (trackIds.length === 1) return `${rule}|${trackIds[0]}`;
    return `${rule}|${[...trackIds].sort().join('|')}`;
  }

  get(id: AlertId): Alert | undefined {
    return this.alerts.get(id);
  }

  all(): Alert[] {
    return [...this.alerts.values()];
  }

  /** The open (open, acknowledged or dispatched) alert of this rule on these tracks, if any. */
  openFor(rule: AlertRule, trackIds: readonly TrackId[]): Alert | undefined {
    const id = this.openBySubject.get(AlertBook.subjectKey(rule, trackIds));
    return id ? this.alerts.get(id) : undefined;
  }

  /** The highest level among the open alerts on a track, or null: the track's own level. */
  levelOf(trackId: TrackId): RiskLevel | null {
    let level: RiskLevel | null = null;
    for (const id of this.openBySubject.values()) {
      const a = this.alerts.get(id)!;
      if (a.trackIds.includes(trackId) && riskRank(a.level) > riskRank(level)) level = a.level;
    }
    return level;
  }

  /** Restores an alert loaded from storage, replacing what the book held under its id. */
  restore(alert: Alert): void {
    const subject = AlertBook.subjectKey(alert.rule, alert.trackIds);
    this.alerts.set(alert.id, alert);
    if (OPEN_STATUSES.has(alert.status)) this.openBySubject.set(subject, alert.id);
    else if (this.openBySubject.get(subject) === alert.id) this.openBySubject.delete(subject);
  }

  /** Ids of the alerts still open (open, acknowledged or dispatched). */
  openIds(): AlertId[] {
    return [...this.openBySubject.values()];
  }

  /** Forgets closed alerts last changed before `beforeMs`: they live on in storage, not in memory. */
  prune(beforeMs: number): void {
    for (const [id, a] of this.alerts) if (!OPEN_STATUSES.has(a.status) && a.updatedAtMs < beforeMs) this.alerts.delete(id);
  }

  /** Raises a finding: a new alert, or an update of the open one (level never goes down while it is open). */
  raise(f: Finding): AlertEvent | null {
    const subject = AlertBook.subjectKey(f.rule, f.trackIds);
    const openId = this.openBySubject.get(subject);
    const open = openId ? this.alerts.get(openId) : undefined;
    if (open) {
      const escalated = riskRank(f.level) > riskRank(open.level);
      const next: Alert = {
        ...open,
        level: escalated ? f.level : open.level,
        ring: f.ring,
        lon: f.lon,
        lat: f.lat,
        updatedAtMs: Math.max(open.updatedAtMs, f.atMs),
        summary: escalated ? f.summary : open.summary,
        evidence: { ...open.evidence, ...f.evidence, ...(escalated ? { escalatedAtMs: f.atMs, escalatedFrom: open.level } : {}) },
      };
      this.alerts.set(next.id, next);
      return { type: 'updated', alert: next, escalated };
    }
    const alert: Alert = {
      id: `${subject}|${f.atMs}` as AlertId,
      rule: f.rule,
      level: f.level,
      status: 'open',
      trackIds: [...f.trackIds],
      ring: f.ring,
      lon: f.lon,
      lat: f.lat,
      raisedAtMs: f.atMs,
      updatedAtMs: f.atMs,
      summary: f.summary,
      evidence: f.evidence,
    };
    this.alerts.set(alert.id, alert);
    this.openBySubject.set(subject, alert.id);
    return { type: 'raised', alert };
  }

  /** Moves an alert to a new status, checked against the lifecycle; the event goes to the audit log. */
  transition(id: AlertId, to: AlertStatus, actor: string, atMs: number, note?: string): AlertEvent {
    const alert = this.alerts.get(id);
    if (!alert) throw new AlertTransitionError(`no alert ${id}`, 'not-found');
    if (!TRANSITIONS[alert.status].includes(to)) {
      throw new AlertTransitionError(`an alert that is ${alert.status} cannot become ${to}`, 'bad-transition');
    }
    const next: Alert = { ...alert, status: to, updatedAtMs: Math.max(alert.updatedAtMs, atMs) };
    this.alerts.set(id, next);
    if (!OPEN_STATUSES.has(to)) this.openBySubject.delete(AlertBook.subjectKey(alert.rule, alert.trackIds));
    return { type: 'status', alert: next, from: alert.status, actor, atMs, ...(note ? { note } : {}) };
  }
}
