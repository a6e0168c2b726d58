import type { Alert, AlertId, TrackId } from '@seawall/contracts';
import type { AlertEvent } from '../alerts/alert-book';
import type { Queryable } from './db';

const UPSERT_ALERT = `
INSERT INTO alerts (id, rule, level, status, track_ids, ring, geom, raised_at, updated_at, summary, evidence)
VALUES ($1, $2, $3, $4, $5::text[], $6, ST_SetSRID(ST_MakePoint($7, $8), 4326), to_timestamp($9 / 1000.0),
        to_timestamp($10 / 1000.0), $11, $12::jsonb)
ON CONFLICT (id) DO UPDATE SET
  level = excluded.level, status = excluded.status, ring = excluded.ring, geom = excluded.geom,
  updated_at = excluded.updated_at, summary = excluded.summary, evidence = excluded.evidence`;

const INSERT_AUDIT = `
INSERT INTO audit_log (at, actor, action, subject_type, subject_id, detail)
VALUES (to_timestamp($1 / 1000.0), $2, $3, 'alert', $4, $5::jsonb)`;

/**
 * Writes an alert event: the alert's new state, and for raises, escalations and status changes an audit row.
 * Give it a transaction (or call it inside one): the two rows belong together.
 */
export async function saveAlertEvent(db: Queryable, event: AlertEvent): Promise<void> {
  const a = event.alert;
  await db.query(UPSERT_ALERT, [
    a.id, a.rule, a.level, a.status, a.trackIds, a.ring, a.lon, a.lat, a.raisedAtMs, a.updatedAtMs, a.summary, JSON.stringify(a.evidence),
  ]);
  const audit = auditRow(event);
  if (audit) await db.query(INSERT_AUDIT, [audit.atMs, audit.actor, audit.action, a.id, JSON.stringify(audit.detail)]);
}

function auditRow(event: AlertEvent): { atMs: number; actor: string; action: string; detail: Record<string, unknown> } | null {
  switch (event.type) {
    case 'raised':
      return { atMs: event.alert.raisedAtMs, actor: 'system', action: 'alert.raised', detail: { level: event.alert.level, rule: event.alert.rule } };
    case 'updated':
      return event.escalated
        ? { atMs: event.alert.updatedAtMs, actor: 'system', action: 'alert.escalated', detail: { level: event.alert.level } }
        : null;
    case 'status':
      return { atMs: event.atMs, actor: event.actor, action: `alert.${event.alert.status}`, detail: { from: event.from, ...(event.note ? { note: event.note } : {}) } };
  }
}

interface AlertRow {
  id: string;
  rule: Alert['rule'];
  level: Alert['level'];
  status: Alert['status'];
  track_ids: string[];
  ring: Alert['ring'];
  lon: number;
  lat: number;
  raised_ms: number;
  updated_ms: number;
  summary: string;
  evidence: Record<string, unknown>;
}

export interface AlertQuery {
  status?: readonly string[];
  level?: readonly string[];
  rule?: readonly string[];
  ring?: readonly string[];
  /** Raised at or after (ms). */
  fromMs?: number;
  /** Raised at or before (ms). */
  toMs?: number;
  limit: number;
}

const SELECT_ALERT = `SELECT id, rule, level, status, track_ids, ring, ST_X(geom) AS lon, ST_Y(geom) AS lat,
            (extract(epoch FROM raised_at) * 1000)::float8 AS raised_ms,
            (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms, summary, evidence
       FROM alerts`;

/** Stored alerts matching the filters, highest level first, then the most recently changed. */
export async function queryAlerts(db: Queryable, q: AlertQuery): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `${SELECT_ALERT}
      WHERE ($1::text[] IS NULL OR status = ANY($1)) AND ($2::text[] IS NULL OR level = ANY($2))
        AND ($3::text[] IS NULL OR rule = ANY($3)) AND ($4::text[] IS NULL OR ring = ANY($4))
        AND ($5::float8 IS NULL OR raised_at >= to_timestamp($5 / 1000.0))
        AND ($6::float8 IS NULL OR raised_at <= to_timestamp($6 / 1000.0))
      ORDER BY array_position(ARRAY['blue', 'yellow', 'orange', 'red'], level) DESC, updated_at DESC, id
      LIMIT $7`,
    [q.status ?? null, q.level ?? null, q.rule ?? null, q.ring ?? null, q.fromMs ?? null, q.toMs ?? null, q.limit],
  );
  return rows.map(toAlert);
}

/** Alerts still open (open, acknowledged, dispatched) and those named in `ids`, to reload after a restart. */
export async function loadOpenAlerts(db: Queryable, ids: readonly string[] = []): Promise<Alert[]> {
  const { rows } = await db.query<AlertRow>(
    `${SELECT_ALERT} WHERE status IN ('open', 'acknowledged', 'dispatched') OR id = ANY($1::text[]) ORDER BY raised_at, id`,
    [ids],
  );
  return rows.map(toAlert);
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id as AlertId,
    rule: r.rule,
    level: r.level,
    status: r.status,
    trackIds: r.track_ids as TrackId[],
    ring: r.ring,
    lon: r.lon,
    lat: r.lat,
    raisedAtMs: Math.round(r.raised_ms),
    updatedAtMs: Math.round(r.updated_ms),
    summary: r.summary,
    evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence,
  };
}
