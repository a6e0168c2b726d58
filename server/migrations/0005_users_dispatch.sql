-- People who log in, each with one role; patrol and drone crews are bound to a unit.
CREATE TABLE users (
  id             text PRIMARY KEY,
  username       text NOT NULL UNIQUE,
  display_name   text NOT NULL,
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('operator', 'supervisor', 'unit', 'drone-crew')),
  unit_id        text REFERENCES units (id),
  drone_track_id text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Secrets the servers share (the session token key), created once by the first server.
CREATE TABLE server_secrets (
  name       text PRIMARY KEY,
  value      bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Delivery and escalation of orders; a client's request id makes a repeated create harmless.
ALTER TABLE dispatch_orders
  ADD COLUMN delivered_at      timestamptz,
  ADD COLUMN escalated_at      timestamptz,
  ADD COLUMN client_request_id text UNIQUE;
CREATE INDEX dispatch_orders_open_idx ON dispatch_orders (status) WHERE status NOT IN ('resolved', 'rejected', 'cancelled');
CREATE INDEX audit_log_at_idx ON audit_log (at);
