import type { TrackId } from '@seawall/contracts';
import type { Queryable } from './db';

export interface HistoryPoint {
  atMs: number;
  lon: number;
  lat: number;
  sogKn: number | null;
  cogDeg: number | null;
  sensorId: string;
}

/** A track's positions between two observation times, oldest first (at most `limit`). */
export async function queryTrackHistory(db: Queryable, trackId: TrackId, fromMs: number, toMs: number, limit: number): Promise<HistoryPoint[]> {
  const { rows } = await db.query<{ ms: number; lon: number; lat: number; sog_kn: number | null; cog_deg: number | null; sensor_id: string }>(
    `SELECT (extract(epoch FROM observed_at) * 1000)::float8 AS ms, ST_X(geom) AS lon, ST_Y(geom) AS lat, sog_kn, cog_deg, sensor_id
       FROM track_history
      WHERE track_id = $1 AND observed_at >= to_timestamp($2 / 1000.0) AND observed_at < to_timestamp($3 / 1000.0)
      ORDER BY observed_at LIMIT $4`,
    [trackId, fromMs, toMs, limit],
  );
  return rows.map((r) => ({ atMs: Math.round(r.ms), lon: r.lon, lat: r.lat, sogKn: r.sog_kn, cogDeg: r.cog_deg, sensorId: r.sensor_id }));
}
