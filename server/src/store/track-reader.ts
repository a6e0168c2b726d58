import type { Track, TrackId } from '@seawall/contracts';
import type { Queryable } from './db';

const TRACK_COLUMNS = `
  id, kind, state, mmsi::int AS mmsi, name, callsign, ship_type, destination, ring, level, sources,
  ST_X(geom) AS lon, ST_Y(geom) AS lat, sog_kn, cog_deg, heading_deg,
  (extract(epoch FROM first_seen_at) * 1000)::float8 AS first_ms,
  (extract(epoch FROM last_seen_at) * 1000)::float8 AS last_ms, updates`;

interface TrackRow {
  id: string;
  kind: Track['kind'];
  state: Track['state'];
  mmsi: number | null;
  name: string | null;
  callsign: string | null;
  ship_type: number | null;
  destination: string | null;
  ring: Track['ring'];
  level: Track['level'];
  sources: string[];
  lon: number;
  lat: number;
  sog_kn: number | null;
  cog_deg: number | null;
  heading_deg: number | null;
  first_ms: number;
  last_ms: number;
  updates: number;
}

/** Tracks last seen at or after `sinceMs` (observation time), to warm the live table after a restart. */
export async function loadRecentTracks(db: Queryable, sinceMs: number): Promise<Track[]> {
  const { rows } = await db.query<TrackRow>(
    `SELECT ${TRACK_COLUMNS} FROM tracks WHERE last_seen_at >= to_timestamp($1 / 1000.0) ORDER BY id`,
    [sinceMs],
  );
  return rows.map((r) => ({
    id: r.id as TrackId,
    kind: r.kind,
    state: r.state,
    lon: r.lon,
    lat: r.lat,
    sogKn: r.sog_kn,
    cogDeg: r.cog_deg,
    headingDeg: r.heading_deg,
    mmsi: r.mmsi,
    name: r.name,
    callsign: r.callsign,
    shipType: r.ship_type,
    destination: r.destination,
    ring: r.ring,
    level: r.level,
    sources: r.sources,
    firstSeenMs: Math.round(r.first_ms),
    lastSeenMs: Math.round(r.last_ms),
    updates: r.updates,
  }));
}

/** The newest observation time stored, or null for an empty database. */
export async function latestObservationMs(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    'SELECT (extract(epoch FROM max(last_seen_at)) * 1000)::float8 AS ms FROM tracks',
  );
  return rows[0]?.ms ?? null;
}
