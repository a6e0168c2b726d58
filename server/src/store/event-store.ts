import type { TrackEvent, TrackId } from '@seawall/contracts';
import type { Queryable } from './db';

const INSERT_EVENTS = `
INSERT INTO track_events (track_id, at, kind, place, ring, geom)
SELECT e.track_id, to_timestamp(e.ms / 1000.0), e.kind, e.place, e.ring, ST_SetSRID(ST_MakePoint(e.lon, e.lat), 4326)
FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[])
     AS e(track_id, ms, kind, place, ring, lon, lat)
ON CONFLICT (track_id, at, kind, place) DO NOTHING`;

/** Writes ring and zone events in one statement; a replayed event is a no-op. */
export async function saveTrackEvents(db: Queryable, events: readonly TrackEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(INSERT_EVENTS, [
    events.map((e) => e.trackId),
    events.map((e) => e.atMs),
    events.map((e) => e.kind),
    events.map((e) => e.place),
    events.map((e) => e.ring),
    events.map((e) => e.lon),
    events.map((e) => e.lat),
  ]);
}

export interface EventQuery {
  fromMs?: number | undefined;
  toMs?: number | undefined;
  trackId?: TrackId | undefined;
  limit: number;
}

/** Events in a time window, newest first. */
export async function queryTrackEvents(db: Queryable, q: EventQuery): Promise<TrackEvent[]> {
  const { rows } = await db.query<{ track_id: string; ms: number; kind: TrackEvent['kind']; place: string; ring: TrackEvent['ring']; lon: number; lat: number }>(
    `SELECT track_id, (extract(epoch FROM at) * 1000)::float8 AS ms, kind, place, ring, ST_X(geom) AS lon, ST_Y(geom) AS lat
       FROM track_events
      WHERE ($1::float8 IS NULL OR at >= to_timestamp($1 / 1000.0))
        AND ($2::float8 IS NULL OR at < to_timestamp($2 / 1000.0))
        AND ($3::text IS NULL OR track_id = $3)
      ORDER BY at DESC, id DESC LIMIT $4`,
    [q.fromMs ?? null, q.toMs ?? null, q.trackId ?? null, q.limit],
  );
  return rows.map((r) => ({ trackId: r.track_id as TrackId, atMs: Math.round(r.ms), kind: r.kind, place: r.place, ring: r.ring, lon: r.lon, lat: r.lat }));
}
