import type { Geodata } from '@seawall/geodata';
import type { Logger } from 'pino';
import type { Db, Queryable } from './db';

// Any constant: server instances starting together load the geodata once.
const GEODATA_LOCK = 7_411_002;

/** What {@link syncGeodata} did. */
export type GeodataSync = 'loaded' | 'unchanged';

/**
 * Makes the `rings` and `zones` tables hold exactly the given geodata. Every row carries the geodata's
 * content hash in `properties.geodata_hash`; when all rows already carry the current hash nothing is
 * written, otherwise both tables are replaced in one transaction (readers never see a mix).
 * Geometries go in from the same GeoJSON text the classifier reads, so PostGIS holds the same doubles.
 */
export async function syncGeodata(db: Db, geodata: Geodata, log: Logger): Promise<GeodataSync> {
  const expected = geodata.rings.features.length + geodata.zones.features.length;
  const result = await db.transaction(async (tx): Promise<GeodataSync> => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [GEODATA_LOCK]);
    const { rows } = await tx.query<{ total: number; current: number }>(
      `SELECT (SELECT count(*) FROM rings)::int + (SELECT count(*) FROM zones)::int AS total,
              (SELECT count(*) FROM rings WHERE properties->>'geodata_hash' = $1)::int
            + (SELECT count(*) FROM zones WHERE properties->>'geodata_hash' = $1)::int AS current`,
      [geodata.hash],
    );
    if (rows[0]!.total === expected && rows[0]!.current === expected) return 'unchanged';
    await tx.query('DELETE FROM rings');
    await tx.query('DELETE FROM zones');
    await tx.query(
      `INSERT INTO rings (name, geom, properties)
       SELECT f->'properties'->>'name', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON((f->'geometry')::text), 4326)),
              (f->'properties') || jsonb_build_object('geodata_hash', $2::text)
         FROM jsonb_array_elements($1::jsonb->'features') AS f`,
      [JSON.stringify(geodata.rings), geodata.hash],
    );
    await tx.query(
      `INSERT INTO zones (id, kind, name, geom, properties)
       SELECT f->'properties'->>'id', f->'properties'->>'kind', f->'properties'->>'name',
              ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON((f->'geometry')::text), 4326)),
              (f->'properties') || jsonb_build_object('geodata_hash', $2::text)
         FROM jsonb_array_elements($1::jsonb->'features') AS f`,
      [JSON.stringify(geodata.zones), geodata.hash],
    );
    return 'loaded';
  });
  log.info({ result, hash: geodata.hash.slice(0, 12), rings: geodata.rings.features.length, zones: geodata.zones.features.length }, 'geodata');
  return result;
}

/** The rings as stored, as GeoJSON FeatureCollection text (9 decimals: the stored doubles, unrounded). */
export async function readRingsGeoJson(db: Queryable): Promise<string> {
  return readCollection(db, `SELECT name AS id, properties, geom FROM rings ORDER BY name`);
}

/** The zones as stored, as GeoJSON FeatureCollection text. */
export async function readZonesGeoJson(db: Queryable): Promise<string> {
  return readCollection(db, `SELECT id, properties, geom FROM zones ORDER BY id`);
}

async function readCollection(db: Queryable, select: string): Promise<string> {
  const { rows } = await db.query<{ json: string }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', t.id, 'properties', t.properties - 'geodata_hash',
              'geometry', ST_AsGeoJSON(t.geom, 9)::json)), '[]'::json))::text AS json
       FROM (${select}) AS t`,
  );
  return rows[0]!.json;
}
