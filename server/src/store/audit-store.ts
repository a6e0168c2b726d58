import type { Queryable } from './db';

export interface AuditEntry {
  id: number;
  atMs: number;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail: Record<string, unknown>;
}

/** One step from warning to disposal: who did what to which subject, and when. */
export async function appendAudit(db: Queryable, e: Omit<AuditEntry, 'id'>): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (at, actor, action, subject_type, subject_id, detail) VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6::jsonb)`,
    [e.atMs, e.actor, e.action, e.subjectType, e.subjectId, JSON.stringify(e.detail)],
  );
}

export async function queryAudit(
  db: Queryable,
  q: { subjectType?: string; subjectId?: string; fromMs?: number; toMs?: number; limit: number },
): Promise<AuditEntry[]> {
  const { rows } = await db.query<{ id: string; at_ms: number; actor: string; action: string; subject_type: string; subject_id: string; detail: unknown }>(
    `SELECT id, (extract(epoch FROM at) * 1000)::float8 AS at_ms, actor, action, subject_type, subject_id, detail
       FROM audit_log
      WHERE ($1::text IS NULL OR subject_type = $1) AND ($2::text IS NULL OR subject_id = $2)
        AND ($3::float8 IS NULL OR at >= to_timestamp($3 / 1000.0)) AND ($4::float8 IS NULL OR at < to_timestamp($4 / 1000.0))
      ORDER BY at, id LIMIT $5`,
    [q.subjectType ?? null, q.subjectId ?? null, q.fromMs ?? null, q.toMs ?? null, q.limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    atMs: Math.round(r.at_ms),
    actor: r.actor,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    detail: (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as Record<string, unknown>,
  }));
}
