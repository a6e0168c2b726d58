import type { AlertId, DispatchOrder, OrderId, TrackId, UnitId } from '@seawall/contracts';
import type { Queryable } from './db';

/** An order with what the server tracks about its delivery. */
export interface StoredOrder extends DispatchOrder {
  deliveredAtMs: number | null;
  escalatedAtMs: number | null;
}

interface OrderRow {
  id: string;
  unit_id: string;
  alert_id: string | null;
  track_id: string | null;
  lon: number;
  lat: number;
  status: DispatchOrder['status'];
  note: string | null;
  outcome: string | null;
  created_ms: number;
  updated_ms: number;
  created_by: string;
  delivered_ms: number | null;
  escalated_ms: number | null;
}

const SELECT = `SELECT id, unit_id, alert_id, track_id, ST_X(target) AS lon, ST_Y(target) AS lat, status, note, outcome,
       (extract(epoch FROM created_at) * 1000)::float8 AS created_ms, (extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms,
       created_by, (extract(epoch FROM delivered_at) * 1000)::float8 AS delivered_ms, (extract(epoch FROM escalated_at) * 1000)::float8 AS escalated_ms
  FROM dispatch_orders`;

const ms = (v: number | null) => (v === null ? null : Math.round(v));

function toOrder(r: OrderRow): StoredOrder {
  return {
    id: r.id as OrderId,
    unitId: r.unit_id as UnitId,
    alertId: r.alert_id as AlertId | null,
    trackId: r.track_id as TrackId | null,
    target: { lon: r.lon, lat: r.lat },
    status: r.status,
    note: r.note,
    outcome: r.outcome,
    createdAtMs: Math.round(r.created_ms),
    updatedAtMs: Math.round(r.updated_ms),
    createdBy: r.created_by,
    deliveredAtMs: ms(r.delivered_ms),
    escalatedAtMs: ms(r.escalated_ms),
  };
}

/** Orders not yet final (to reload at start), and the latest final ones. */
export async function loadOrders(db: Queryable, q: { open?: boolean; unitId?: string; limit?: number } = {}): Promise<StoredOrder[]> {
  const { rows } = await db.query<OrderRow>(
    `${SELECT} WHERE ($1::boolean IS NOT TRUE OR status NOT IN ('resolved', 'rejected', 'cancelled')) AND ($2::text IS NULL OR unit_id = $2)
      ORDER BY created_at DESC, id LIMIT $3`,
    [q.open ?? null, q.unitId ?? null, q.limit ?? 10_000],
  );
  return rows.map(toOrder);
}

export async function findOrderByRequestId(db: Queryable, requestId: string): Promise<StoredOrder | null> {
  const { rows } = await db.query<OrderRow>(`${SELECT} WHERE client_request_id = $1`, [requestId]);
  return rows[0] ? toOrder(rows[0]) : null;
}

/** Inserts or updates an order (by id). */
export async function saveOrder(db: Queryable, o: StoredOrder, requestId: string | null = null): Promise<void> {
  await db.query(
    `INSERT INTO dispatch_orders (id, unit_id, alert_id, track_id, target, status, note, outcome, created_at, updated_at, created_by,
                                  delivered_at, escalated_at, client_request_id)
     VALUES ($1, $2, $3, $4, ST_SetSRID(ST_MakePoint($5, $6), 4326), $7, $8, $9, to_timestamp($10 / 1000.0), to_timestamp($11 / 1000.0), $12,
             to_timestamp($13 / 1000.0), to_timestamp($14 / 1000.0), $15)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, note = excluded.note, outcome = excluded.outcome,
       updated_at = excluded.updated_at, delivered_at = excluded.delivered_at, escalated_at = excluded.escalated_at`,
    [o.id, o.unitId, o.alertId, o.trackId, o.target.lon, o.target.lat, o.status, o.note, o.outcome, o.createdAtMs, o.updatedAtMs, o.createdBy,
      o.deliveredAtMs, o.escalatedAtMs, requestId],
  );
}
