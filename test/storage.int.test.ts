import { trackIdOf, type AisPositionObservation, type AisStaticObservation, type Mmsi } from '@seawall/contracts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrackTable } from '../server/src/fusion/track-table';
import { createServerMetrics } from '../server/src/metrics';
import type { Db } from '../server/src/store/db';
import { listMigrations, migrate } from '../server/src/store/migrate';
import { loadRecentTracks } from '../server/src/store/track-reader';
import { TrackWriter } from '../server/src/store/track-writer';
import { AlertBook } from '../server/src/alerts/alert-book';
import { loadOpenAlerts, saveAlertEvent } from '../server/src/store/alert-store';
import { storageBackends } from './support/backends';

const log = pino({ level: 'silent' });

// Values from a live capture decoded by gpsd (gpsd-ais-raw-messages.gpsdecode.jsonl, first record).
const mmsi = 240205400 as Mmsi;
const t0 = Date.UTC(2023, 3, 8, 10, 0, 20);
function position(observedAtMs: number, lon: number, lat: number, obsId: string): AisPositionObservation {
  return {
    kind: 'ais.position', obsId, sensorId: 'rx-test', gatewayId: 'gw-test', observedAtMs, receivedAtMs: observedAtMs,
    mmsi, msgType: 1, aisClass: 'A', lon, lat, sogKn: 0, cogDeg: 31.4, headingDeg: null, navStatus: 0,
    rotDegPerMin: null, accuracy: false,
  };
}
const statics: AisStaticObservation = {
  kind: 'ais.static', obsId: 's1', sensorId: 'rx-test', gatewayId: 'gw-test', observedAtMs: t0, receivedAtMs: t0,
  mmsi, msgType: 5, aisClass: 'A', imo: null, callsign: 'SVA1234', shipName: "<b>O'NEIL; DROP TABLE tracks</b>",
  shipType: 70, toBowM: null, toSternM: null, toPortM: null, toStarboardM: null, destination: 'PIRAEUS', eta: null,
  draughtM: null,
};

const backends = storageBackends(log);

describe.each(backends)('storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await open());
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('migrations create PostGIS-typed tables and a second run applies nothing', async () => {
    const { rows } = await db.query<{ t: string; c: string; type: string; srid: number }>(
      `SELECT f_table_name AS t, f_geometry_column AS c, type, srid FROM geometry_columns ORDER BY 1, 2`,
    );
    expect(rows.map((r) => `${r.t}.${r.c}:${r.type}:${r.srid}`)).toEqual([
      'alerts.geom:POINT:4326',
      'dispatch_orders.target:POINT:4326',
      'rings.geom:MULTIPOLYGON:4326',
      'track_events.geom:POINT:4326',
      'track_history.geom:POINT:4326',
      'track_history_default.geom:POINT:4326',
      'tracks.geom:POINT:4326',
      'units.geom:POINT:4326',
      'zones.geom:MULTIPOLYGON:4326',
    ]);
    const versions = (await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY 1')).rows;
    expect(versions.map((v) => v.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
  });

  it('writes track history in batches that PostGIS reads back, once per observation time', async () => {
    const table = new TrackTable();
    const writer = new TrackWriter(db, { flushMs: 60_000, batchMax: 2, bufferMax: 1000 }, createServerMetrics(), log);
    const fixes = [
      position(t0, 23.635938, 37.94425, 'a'),
      position(t0 + 10_000, 23.636, 37.9443, 'b'),
      position(t0 + 20_000, 23.6361, 37.9444, 'c'),
    ];
    table.apply(statics);
    for (const obs of [...fixes, fixes[1]!]) {
      const change = table.apply(obs)!;
      writer.add(change.track, change.history);
    }
    await writer.flush();
    expect(writer.pending).toBe(0);

    const { rows } = await db.query<{ wkt: string; ms: number; obs_id: string }>(
      `SELECT ST_AsText(geom) AS wkt, (extract(epoch FROM observed_at) * 1000)::float8 AS ms, obs_id
         FROM track_history WHERE track_id = $1 ORDER BY observed_at`,
      [trackIdOf('ais', mmsi)],
    );
    expect(rows).toEqual([
      { wkt: 'POINT(23.635938 37.94425)', ms: t0, obs_id: 'a' },
      { wkt: 'POINT(23.636 37.9443)', ms: t0 + 10_000, obs_id: 'b' },
      { wkt: 'POINT(23.6361 37.9444)', ms: t0 + 20_000, obs_id: 'c' },
    ]);
  });

  it('keeps history in a partition per month, created by the writer', async () => {
    const { rows } = await db.query<{ part: string; n: number }>(
      `SELECT tableoid::regclass::text AS part, count(*)::int AS n FROM track_history GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([{ part: 'track_history_2023_04', n: 3 }]);
  });

  it('reloads the latest track state with its identity after a restart', async () => {
    const [track] = await loadRecentTracks(db, t0);
    expect(track).toMatchObject({
      id: 'ais:240205400',
      kind: 'ais',
      mmsi: 240205400,
      name: "<b>O'NEIL; DROP TABLE tracks</b>",
      callsign: 'SVA1234',
      lon: 23.6361,
      lat: 37.9444,
      firstSeenMs: t0,
      lastSeenMs: t0 + 20_000,
      updates: 3,
      sources: ['rx-test'],
    });
    expect(await loadRecentTracks(db, t0 + 60_000)).toEqual([]);
  });

  it('stores alerts with their evidence and every status change in the audit log, and reloads the open ones', async () => {
    const book = new AlertBook();
    const boat = 'radar:rdr-sanya:9' as never;
    const raised = book.raise({
      rule: 'unidentified-target', level: 'yellow', trackIds: [boat], ring: 'near-sea', lon: 109.61, lat: 18.2, atMs: t0,
      summary: 'Radar target without AIS identity', evidence: { radarUpdates: 6, name: "'; DROP TABLE alerts; --" },
    })!;
    await saveAlertEvent(db, raised);
    const escalated = book.raise({
      rule: 'unidentified-target', level: 'orange', trackIds: [boat], ring: 'shoreline', lon: 109.62, lat: 18.21, atMs: t0 + 60_000,
      summary: 'Radar target without AIS identity in the shoreline ring', evidence: { radarUpdates: 12 },
    })!;
    await saveAlertEvent(db, escalated);
    await saveAlertEvent(db, book.transition(raised.alert.id, 'acknowledged', 'op-li', t0 + 90_000, 'watching'));

    const [reloaded] = await loadOpenAlerts(db);
    expect(reloaded).toEqual(book.get(raised.alert.id));
    expect(reloaded).toMatchObject({ level: 'orange', status: 'acknowledged', ring: 'shoreline', lon: 109.62, evidence: { radarUpdates: 12, escalatedFrom: 'yellow' } });

    const audit = await db.query<{ actor: string; action: string; ms: number }>(
      `SELECT actor, action, (extract(epoch FROM at) * 1000)::float8 AS ms FROM audit_log WHERE subject_id = $1 ORDER BY id`,
      [raised.alert.id],
    );
    expect(audit.rows).toEqual([
      { actor: 'system', action: 'alert.raised', ms: t0 },
      { actor: 'system', action: 'alert.escalated', ms: t0 + 60_000 },
      { actor: 'op-li', action: 'alert.acknowledged', ms: t0 + 90_000 },
    ]);
    await saveAlertEvent(db, book.transition(raised.alert.id, 'resolved', 'op-li', t0 + 120_000));
    expect(await loadOpenAlerts(db)).toEqual([]);
  });
});
