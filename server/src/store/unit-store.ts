import type { Unit, UnitId } from '@seawall/contracts';
import type { Queryable } from './db';

interface UnitRow {
  id: string;
  name: string;
  kind: Unit['kind'];
  capabilities: Unit['capabilities'];
  status: Unit['status'];
  home_base: string | null;
  speed_kn: number;
  lon: number | null;
  lat: number | null;
  position_ms: number | null;
}

export async function loadUnits(db: Queryable): Promise<Unit[]> {
  const { rows } = await db.query<UnitRow>(
    `SELECT id, name, kind, capabilities, status, home_base, speed_kn, ST_X(geom) AS lon, ST_Y(geom) AS lat,
            (extract(epoch FROM position_at) * 1000)::float8 AS position_ms
       FROM units ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id as UnitId,
    name: r.name,
    kind: r.kind,
    capabilities: r.capabilities,
    status: r.status,
    homeBase: r.home_base,
    speedKn: r.speed_kn,
    lon: r.lon,
    lat: r.lat,
    positionAtMs: r.position_ms === null ? null : Math.round(r.position_ms),
  }));
}

/** Inserts or replaces a unit (all fields). */
export async function saveUnit(db: Queryable, u: Unit): Promise<void> {
  await db.query(
    `INSERT INTO units (id, name, kind, capabilities, status, home_base, speed_kn, geom, position_at)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7,
             CASE WHEN $8::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($8, $9), 4326) END,
             CASE WHEN $10::float8 IS NULL THEN NULL ELSE to_timestamp($10 / 1000.0) END)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, capabilities = excluded.capabilities,
       status = excluded.status, home_base = excluded.home_base, speed_kn = excluded.speed_kn, geom = excluded.geom,
       position_at = excluded.position_at`,
    [u.id, u.name, u.kind, u.capabilities, u.status, u.homeBase, u.speedKn, u.lon, u.lat, u.positionAtMs],
  );
}

/** Units from the deployment's file that are not in the database yet (first start). */
export async function seedUnits(db: Queryable, units: readonly Unit[]): Promise<number> {
  const existing = new Set((await loadUnits(db)).map((u) => u.id));
  const fresh = units.filter((u) => !existing.has(u.id));
  for (const u of fresh) await saveUnit(db, u);
  return fresh.length;
}

/** Geodesic distances in metres (PostGIS geography, WGS 84 spheroid) from each unit position to its point. */
export async function geodesicDistancesM(db: Queryable, pairs: readonly { from: [number, number]; to: [number, number] }[]): Promise<number[]> {
  if (pairs.length === 0) return [];
  const { rows } = await db.query<{ i: number; d: number }>(
    `SELECT i::int AS i, ST_Distance(ST_SetSRID(ST_MakePoint(fx, fy), 4326)::geography, ST_SetSRID(ST_MakePoint(tx, ty), 4326)::geography)::float8 AS d
       FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::float8[]) WITH ORDINALITY AS p(fx, fy, tx, ty, i)
      ORDER BY i`,
    [pairs.map((p) => p.from[0]), pairs.map((p) => p.from[1]), pairs.map((p) => p.to[0]), pairs.map((p) => p.to[1])],
  );
  return rows.map((r) => r.d);
}
