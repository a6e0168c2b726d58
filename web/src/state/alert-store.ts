import { Alert, RISK_LEVELS, riskRank, type AlertId, type AlertStatus, type RiskLevel, type Ring } from '@seawall/contracts';

/** The statuses an operator still works on; the panel lists these, closed alerts leave it. */
export const ACTIVE_ALERT_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged', 'dispatched'];

export function isActiveAlert(alert: Pick<Alert, 'status'>): boolean {
  return ACTIVE_ALERT_STATUSES.includes(alert.status);
}

/** Highest level first (red, orange, yellow, blue), then the newest raised, then by id so the order is stable. */
export function compareAlerts(a: Alert, b: Alert): number {
  return riskRank(b.level) - riskRank(a.level) || b.raisedAtMs - a.raisedAtMs || a.id.localeCompare(b.id);
}

/** The rings an alert can be in, and `none` for an alert without one. */
export type AlertRingKey = Ring | 'none';
export const ALERT_RING_KEYS: readonly AlertRingKey[] = ['near-sea', 'shoreline', 'inland', 'outside', 'none'];

export interface AlertCounts {
  total: number;
  byLevel: Record<RiskLevel, number>;
  byRing: Record<AlertRingKey, number>;
  /** Red alerts nobody has acknowledged yet. */
  openRed: number;
}

export function countAlerts(alerts: readonly Alert[]): AlertCounts {
  const byLevel = Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<RiskLevel, number>;
  const byRing = Object.fromEntries(ALERT_RING_KEYS.map((r) => [r, 0])) as Record<AlertRingKey, number>;
  let openRed = 0;
  for (const a of alerts) {
    byLevel[a.level] += 1;
    byRing[a.ring ?? 'none'] += 1;
    if (a.level === 'red' && a.status === 'open') openRed += 1;
  }
  return { total: alerts.length, byLevel, byRing, openRed };
}

/** One alert from the wire checked against the contract, or null. */
export function parseAlert(payload: unknown): Alert | null {
  const result = Alert.safeParse(payload);
  return result.success ? result.data : null;
}

/** The valid alerts of a list from the server (`GET /api/alerts`); invalid ones are left out. */
export function parseAlertList(payload: unknown): Alert[] {
  if (!Array.isArray(payload)) return [];
  return payload.flatMap((item) => {
    const alert = parseAlert(item);
    return alert ? [alert] : [];
  });
}

/** What one change did; `newRed` are the alerts that just became red and open (the alarm sounds for these). */
export interface AlertStoreChange {
  kind: 'replaced' | 'applied';
  newRed: readonly Alert[];
}

export type AlertStoreListener = (change: AlertStoreChange) => void;

/**
 * The alerts an operator works on (open, acknowledged, dispatched), kept sorted by level then time, with
 * counts per level and per ring.
 *
 * It is filled from `GET /api/alerts` on every (re)connect and from `alert:raised` / `alert:updated` between.
 * Socket and REST race each other: `mark()` before the request and `replaceAll(list, mark)` after it keep
 * whatever the socket said since the mark when it is newer than the list (an alert closed meanwhile stays
 * closed, one raised meanwhile stays). An update older than the copy held is ignored.
 */
export class AlertStore {
  readonly #alerts = new Map<AlertId, Alert>();
  /** What the socket last said of each alert (closed ones too), and when (the store's own sequence). */
  readonly #heard = new Map<AlertId, { updatedAtMs: number; seq: number }>();
  readonly #listeners = new Set<AlertStoreListener>();
  #seq = 0;
  #loaded = false;
  #list: Alert[] | null = [];
  #counts: AlertCounts | null = null;
  #dropped = 0;

  get size(): number {
    return this.#alerts.size;
  }

  /** Socket payloads that failed the contract's schema. */
  get dropped(): number {
    return this.#dropped;
  }

  get(id: AlertId): Alert | undefined {
    return this.#alerts.get(id);
  }

  /** The alerts, sorted; a new array after each change, the same one between changes. */
  list(): readonly Alert[] {
    this.#list ??= [...this.#alerts.values()].sort(compareAlerts);
    return this.#list;
  }

  counts(): AlertCounts {
    this.#counts ??= countAlerts(this.list());
    return this.#counts;
  }

  /** A point in the store's history, taken just before asking the server for the list. */
  mark(): number {
    return this.#seq;
  }

  /** The server's list, fetched after `sinceMark`. The first load never counts as new red alerts. */
  replaceAll(alerts: readonly Alert[], sinceMark = this.#seq): void {
    const heardSince = (id: AlertId) => {
      const heard = this.#heard.get(id);
      return heard && heard.seq > sinceMark ? heard : undefined;
    };
    const next = new Map<AlertId, Alert>();
    for (const alert of alerts) {
      const heard = heardSince(alert.id);
      if (heard && heard.updatedAtMs > alert.updatedAtMs) continue;
      if (isActiveAlert(alert)) next.set(alert.id, alert);
    }
    for (const [id, held] of this.#alerts) {
      if (!heardSince(id)) continue;
      const listed = next.get(id);
      if (!listed || listed.updatedAtMs < held.updatedAtMs) next.set(id, held);
    }
    for (const [id, heard] of this.#heard) if (heard.seq <= sinceMark) this.#heard.delete(id);

    const newRed = this.#loaded ? [...next.values()].filter((a) => this.#becameRed(a)) : [];
    this.#alerts.clear();
    for (const [id, alert] of next) this.#alerts.set(id, alert);
    this.#loaded = true;
    this.#changed({ kind: 'replaced', newRed });
  }

  /** An `alert:raised` or `alert:updated` payload; returns false when it was invalid or older than the copy held. */
  apply(payload: unknown): boolean {
    const alert = parseAlert(payload);
    if (!alert) {
      this.#dropped += 1;
      return false;
    }
    const heard = this.#heard.get(alert.id);
    const held = this.#alerts.get(alert.id);
    if ((heard && heard.updatedAtMs > alert.updatedAtMs) || (held && held.updatedAtMs > alert.updatedAtMs)) return false;
    this.#seq += 1;
    this.#heard.set(alert.id, { updatedAtMs: alert.updatedAtMs, seq: this.#seq });
    const newRed = this.#becameRed(alert) ? [alert] : [];
    if (isActiveAlert(alert)) this.#alerts.set(alert.id, alert);
    else this.#alerts.delete(alert.id);
    this.#changed({ kind: 'applied', newRed });
    return true;
  }

  subscribe(listener: AlertStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Red and open now, and not red-and-open before (new, or escalated to red). */
  #becameRed(alert: Alert): boolean {
    if (alert.level !== 'red' || alert.status !== 'open') return false;
    const before = this.#alerts.get(alert.id);
    return !before || before.level !== 'red';
  }

  #changed(change: AlertStoreChange): void {
    this.#list = null;
    this.#counts = null;
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        console.error('alert store listener failed', error);
      }
    }
  }
}
