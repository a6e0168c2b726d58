-- Which instance fuses each region now, and where the other instances reach it: a standby sends the requests
-- that need the leader's memory (live tracks, alerts, dispatch) there. Written by the instance that holds the
-- region's advisory lock (server/src/cluster/leader-election.ts); the lock, not this row, decides who leads.
CREATE TABLE fusion_leaders (
  region      text PRIMARY KEY,
  instance_id text NOT NULL,
  url         text NOT NULL,
  since       timestamptz NOT NULL DEFAULT now()
);
