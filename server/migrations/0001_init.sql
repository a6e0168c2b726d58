-- Seawall schema, version 1: tracks and their history, rings and zones, alerts, units, dispatch
-- orders and the audit log. Geometries are WGS 84 (SRID 4326), positions [lon, lat].
CREATE EXTENSION IF NOT EXISTS postgis;

-- The latest state of every track (one row per track, upserted).
CREATE TABLE tracks (
  id            text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('ais', 'radar', 'fused', 'drone', 'unit')),
  state         text NOT NULL CHECK (state IN ('active', 'stale', 'lost')),
  mmsi          bigint,
  name          text,
  callsign      text,
  ship_type     integer,
  destination   text,
  ring          text,
  level         text,
  sources       text[] NOT NULL DEFAULT '{}',
  geom          geometry(Point, 4326) NOT NULL,
  sog_kn        double precision,
  cog_deg       double precision,
  heading_deg   double precision,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  updates       integer NOT NULL DEFAULT 0
);
CREATE INDEX tracks_geom_idx ON tracks USING gist (geom);
CREATE INDEX tracks_last_seen_idx ON tracks (last_seen_at);

-- Every position of every track, on observation time, partitioned by month (the writer creates each
-- month's partition before its first rows; rows of a month whose partition could not be made land in the
-- default partition). (track_id, observed_at) makes a re-sent observation a no-op: writes are idempotent.
CREATE TABLE track_history (
  track_id     text NOT NULL,
  observed_at  timestamptz NOT NULL,
  obs_id       text NOT NULL,
  sensor_id    text NOT NULL,
  geom         geometry(Point, 4326) NOT NULL,
  sog_kn       double precision,
  cog_deg      double precision,
  heading_deg  double precision,
  PRIMARY KEY (track_id, observed_at)
) PARTITION BY RANGE (observed_at);
CREATE TABLE track_history_default PARTITION OF track_history DEFAULT;
CREATE INDEX track_history_observed_at_idx ON track_history (observed_at);
CREATE INDEX track_history_geom_idx ON track_history USING gist (geom);

-- The three rings (near-sea, shoreline, inland) and the zones inside them (ports, anchorages).
CREATE TABLE rings (
  name       text PRIMARY KEY CHECK (name IN ('near-sea', 'shoreline', 'inland')),
  geom       geometry(MultiPolygon, 4326) NOT NULL,
  properties jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX rings_geom_idx ON rings USING gist (geom);

CREATE TABLE zones (
  id         text PRIMARY KEY,
  kind       text NOT NULL,
  name       text NOT NULL,
  geom       geometry(MultiPolygon, 4326) NOT NULL,
  properties jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);

CREATE TABLE alerts (
  id          text PRIMARY KEY,
  rule        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'blue')),
  status      text NOT NULL CHECK (status IN ('open', 'acknowledged', 'dispatched', 'resolved', 'false-alarm')),
  track_ids   text[] NOT NULL,
  ring        text,
  geom        geometry(Point, 4326) NOT NULL,
  raised_at   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  summary     text NOT NULL,
  evidence    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX alerts_status_idx ON alerts (status, level);
CREATE INDEX alerts_geom_idx ON alerts USING gist (geom);

CREATE TABLE units (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('patrol-boat', 'shore-vehicle', 'drone-team')),
  capabilities text[] NOT NULL,
  status       text NOT NULL,
  home_base    text,
  speed_kn     double precision NOT NULL,
  geom         geometry(Point, 4326),
  position_at  timestamptz
);

CREATE TABLE dispatch_orders (
  id          text PRIMARY KEY,
  unit_id     text NOT NULL REFERENCES units (id),
  alert_id    text REFERENCES alerts (id),
  track_id    text,
  target      geometry(Point, 4326) NOT NULL,
  status      text NOT NULL,
  note        text,
  outcome     text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  created_by  text NOT NULL
);
CREATE INDEX dispatch_orders_unit_idx ON dispatch_orders (unit_id, status);

-- Every step from warning to disposal: who did what to which subject, and when.
CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  at           timestamptz NOT NULL,
  actor        text NOT NULL,
  action       text NOT NULL,
  subject_type text NOT NULL,
  subject_id   text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, at);
