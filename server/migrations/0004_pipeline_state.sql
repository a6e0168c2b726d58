-- The fusion pipeline's memory (tracks, associations, rule watches, alert book), saved when a server stops
-- and from time to time, so the next server carries on where it stopped. One row per fusion region.
CREATE TABLE pipeline_state (
  region     text PRIMARY KEY,
  version    integer NOT NULL,
  feed_clock timestamptz,
  saved_at   timestamptz NOT NULL DEFAULT now(),
  state      text NOT NULL
);
