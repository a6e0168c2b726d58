import type { Queryable } from './db';

export interface FusionLeader {
  instanceId: string;
  url: string;
  sinceMs: number;
}

/** Records this instance as the region's leader from now; returns the time recorded (its term's id). */
export async function recordFusionLeader(db: Queryable, region: string, instanceId: string, url: string): Promise<number> {
  const { rows } = await db.query<{ since_ms: number }>(
    `INSERT INTO fusion_leaders (region, instance_id, url, since) VALUES ($1, $2, $3, clock_timestamp())
     ON CONFLICT (region) DO UPDATE SET instance_id = EXCLUDED.instance_id, url = EXCLUDED.url, since = EXCLUDED.since
     RETURNING (extract(epoch FROM since) * 1000)::float8 AS since_ms`,
    [region, instanceId, url],
  );
  return rows[0]!.since_ms;
}

/** Updates the URL of the current term only (a leader learns its own address once it listens). */
export async function updateFusionLeaderUrl(db: Queryable, region: string, instanceId: string, sinceMs: number, url: string): Promise<void> {
  await db.query(
    `UPDATE fusion_leaders SET url = $4 WHERE region = $1 AND instance_id = $2 AND (extract(epoch FROM since) * 1000)::float8 = $3`,
    [region, instanceId, sinceMs, url],
  );
}

/** The region's leader as last recorded (it may have died since: the lock, not this row, decides). */
export async function readFusionLeader(db: Queryable, region: string): Promise<FusionLeader | null> {
  const { rows } = await db.query<{ instance_id: string; url: string; since_ms: number }>(
    `SELECT instance_id, url, (extract(epoch FROM since) * 1000)::float8 AS since_ms FROM fusion_leaders WHERE region = $1`,
    [region],
  );
  const r = rows[0];
  return r ? { instanceId: r.instance_id, url: r.url, sinceMs: r.since_ms } : null;
}
