-- Ring and zone entries and exits of tracks, on observation time.
CREATE TABLE track_events (
  id        bigserial PRIMARY KEY,
  track_id  text NOT NULL,
  at        timestamptz NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('ring-enter', 'ring-leave', 'zone-enter', 'zone-leave')),
  place     text NOT NULL,
  ring      text,
  geom      geometry(Point, 4326) NOT NULL,
  UNIQUE (track_id, at, kind, place)
);
CREATE INDEX track_events_at_idx ON track_events (at);
CREATE INDEX track_events_track_idx ON track_events (track_id, at);
