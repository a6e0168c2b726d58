import type { Observation } from '@seawall/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, readMetric, sleep, splitFeed, tally } from './support/fault-feed';
import { ownPostgresMissing, startOwnPostgres, type OwnPostgres } from './support/own-postgres';
import { eventually, startTestSystem, type TestSystem } from './support/system';

// The server's PostgreSQL stops under a running server and comes back: a cluster of the test's own, restarted
// while the feed flows. History is buffered while the database is away and written after, each row once; past
// HISTORY_BUFFER_MAX the oldest rows are dropped, and every drop is counted.

interface Health {
  status: 'ok' | 'degraded';
  database: { ok: boolean };
  historyBuffered: number;
  ingest: { acknowledgingUncommitted: boolean };
}

const health = async (system: TestSystem): Promise<{ code: number; body: Health }> => {
  const res = await fetch(`${system.server.url}/health`);
  return { code: res.status, body: (await res.json()) as Health };
};

/** The history rows in the server's database, as keys. */
async function writtenKeys(system: TestSystem): Promise<string[]> {
  const { rows } = await system.server.db.query<{ track_id: string; ms: number }>(HISTORY_KEYS_SQL);
  return rows.map((r) => historyKey(r.track_id, Math.round(r.ms)));
}

/** Everything applied so far is written: the buffer is empty and stays so after a flush. */
async function settled(system: TestSystem, what: string): Promise<void> {
  await eventually(async () => {
    await system.server.flush();
    return (await health(system)).body.historyBuffered === 0 ? true : undefined;
  }, 60_000, what);
}

const missing = ownPostgresMissing();

describe.skipIf(missing !== undefined)(`PostgreSQL stopped and started again under a running server${missing ? ` — skipped: ${missing}` : ''}`, () => {
  let postgres: OwnPostgres;

  beforeAll(async () => {
    postgres = await startOwnPostgres();
  }, 60_000);

  afterAll(async () => {
    await postgres?.dispose();
  });

  describe('in the middle of a steady feed', () => {
    const FEED_SIZE = 3_000;
    const PER_SECOND = 100;
    const DOWN_MS = 10_000;
    const GATEWAY_ID = 'gw-fault-postgres';
    let system: TestSystem;
    const applied: Observation[] = [];

    beforeAll(async () => {
      const databaseUrl = await postgres.createDatabase('seawall_restart');
      system = await startTestSystem({ gatewayId: GATEWAY_ID, env: { DATABASE_URL: databaseUrl }, onObservation: (o) => applied.push(o) });
      await gatewayListening(system.mqttUrl, system.mqttUrl, GATEWAY_ID);
    }, 120_000);

    afterAll(async () => {
      await system?.stop();
    });

    it('says degraded while the database is down, buffers history meanwhile and writes every row once after', async () => {
      expect(system.backend).toBe('pg');
      const feed = buildAisFeed(FEED_SIZE, GATEWAY_ID);
      const sensor = await publishSteadily(system.mqttUrl, `sensor-fault-pg-${process.pid}`, feed.messages, PER_SECOND);

      await eventually(async () => (sensor.published() >= feed.messages.length / 4 && (await readMetric(system.server.url, 'seawall_server_history_rows_written_total')) > 0 ? true : undefined), 30_000, 'history written before the restart');
      // PostgreSQL stops under the running feed, writes in flight: a write transaction it cuts fails, and its
      // rows stay buffered with the rest.
      await postgres.stop();
      const appliedAtStop = applied.length;
      const downUntil = Date.now() + DOWN_MS;
      let degraded: Health | undefined;
      let bufferedMax = 0;
      // The live picture must not wait for the database: observations are acknowledged on receipt meanwhile.
      let acknowledgingUncommitted = false;
      while (Date.now() < downUntil) {
        const h = await health(system);
        if (h.code === 503) degraded = h.body;
        if (h.body.ingest.acknowledgingUncommitted) acknowledgingUncommitted = true;
        bufferedMax = Math.max(bufferedMax, h.body.historyBuffered);
        await sleep(500);
      }
      const appliedWhileDown = applied.length - appliedAtStop;
      await postgres.start();
      await eventually(async () => ((await health(system)).code === 200 ? true : undefined), 20_000, '/health ok once the database is back');
      await eventually(async () => ((await health(system)).body.ingest.acknowledgingUncommitted ? undefined : true), 20_000, 'acknowledging once written again');

      await sensor.done;
      await eventually(() => (applied.length >= FEED_SIZE && system.gateway.backlog() === 0 ? true : undefined), 60_000, `${FEED_SIZE} observations applied`);
      await sleep(500);
      await settled(system, 'the history buffer written out');

      const observations = tally(feed.observations.map((o) => o.obsId), applied.map((o) => o.obsId));
      const expected = historyRowsOf(applied);
      const expectedKeys = new Set(expected.map((r) => historyKey(r.trackId, r.observedAtMs)));
      const history = tally([...expectedKeys], await writtenKeys(system));
      const writeErrors = await readMetric(system.server.url, 'seawall_server_db_write_errors_total');
      const dropped = await readMetric(system.server.url, 'seawall_server_history_rows_dropped_total');
      console.log(
        `postgres restart (${DOWN_MS / 1000} s down, PostgreSQL ${postgres.version}): observations ${formatTally(observations)}; ` +
          `history rows ${formatTally(history, ['expected', 'written'])}; applied while down: ${appliedWhileDown}, ` +
          `most rows buffered: ${bufferedMax}, failed writes retried: ${writeErrors}, rows dropped: ${dropped}`,
      );

      expect(degraded).toMatchObject({ status: 'degraded', database: { ok: false } });
      expect(appliedWhileDown).toBeGreaterThan(0);
      expect(acknowledgingUncommitted).toBe(true);
      expect(bufferedMax).toBeGreaterThan(0);
      expect(writeErrors).toBeGreaterThan(0);
      expect(dropped).toBe(0);
      expect(observations).toEqual({ sent: FEED_SIZE, received: FEED_SIZE, lost: 0, duplicated: 0 });
      expect(expectedKeys.size).toBeGreaterThan(FEED_SIZE / 2);
      expect(history).toEqual({ sent: expectedKeys.size, received: expectedKeys.size, lost: 0, duplicated: 0 });
    }, 150_000);
  });

  describe('past HISTORY_BUFFER_MAX while the database is down', () => {
    const BUFFER_MAX = 100;
    const BEFORE = 400;
    const WHILE_DOWN = 1_000;
    const GATEWAY_ID = 'gw-fault-overflow';
    let system: TestSystem;
    const applied: Observation[] = [];

    beforeAll(async () => {
      const databaseUrl = await postgres.createDatabase('seawall_overflow');
      system = await startTestSystem({ gatewayId: GATEWAY_ID, env: { DATABASE_URL: databaseUrl, HISTORY_BUFFER_MAX: String(BUFFER_MAX) }, onObservation: (o) => applied.push(o) });
      await gatewayListening(system.mqttUrl, system.mqttUrl, GATEWAY_ID);
    }, 120_000);

    afterAll(async () => {
      await system?.stop();
    });

    it('drops the oldest buffered rows, keeps the newest and counts every drop', async () => {
      const [before, whileDown] = splitFeed(buildAisFeed(BEFORE + WHILE_DOWN, GATEWAY_ID), BEFORE);
      const sensor = `sensor-fault-overflow-${process.pid}`;

      // Slowly enough that the writer keeps up: nothing is dropped while the database is there.
      await (await publishSteadily(system.mqttUrl, `${sensor}-a`, before.messages, 100)).done;
      await eventually(() => (applied.length >= before.observations.length ? true : undefined), 20_000, 'the first part applied');
      await settled(system, 'the first part written');
      const rowsBefore = historyRowsOf(applied);
      expect(await readMetric(system.server.url, 'seawall_server_history_rows_dropped_total')).toBe(0);

      await postgres.stop();
      try {
        await (await publishSteadily(system.mqttUrl, `${sensor}-b`, whileDown.messages, 1_000)).done;
        await eventually(() => (applied.length >= before.observations.length + whileDown.observations.length ? true : undefined), 20_000, 'the second part applied');
        await sleep(500); // a flush attempt or more with everything added
        const down = await health(system);
        expect(down.code).toBe(503);
        expect(down.body).toMatchObject({ status: 'degraded', database: { ok: false }, historyBuffered: BUFFER_MAX });
      } finally {
        await postgres.start();
      }
      await settled(system, 'the buffer written once the database is back');

      const rows = historyRowsOf(applied);
      const rowsWhileDown = rows.slice(rowsBefore.length);
      const produced = rows.length;
      const written = await readMetric(system.server.url, 'seawall_server_history_rows_written_total');
      const dropped = await readMetric(system.server.url, 'seawall_server_history_rows_dropped_total');
      const inDatabase = await writtenKeys(system);
      console.log(`history buffer bound ${BUFFER_MAX}: rows produced ${produced} (${rowsWhileDown.length} while the database was down), written ${written}, in the database ${inDatabase.length}, dropped ${dropped}`);

      expect(rowsWhileDown.length).toBeGreaterThan(BUFFER_MAX);
      expect(dropped).toBe(produced - written);
      expect(dropped).toBe(rowsWhileDown.length - BUFFER_MAX);
      const keep = [...rowsBefore, ...rowsWhileDown.slice(-BUFFER_MAX)].map((r) => historyKey(r.trackId, r.observedAtMs));
      expect(inDatabase.length).toBe(written);
      expect(new Set(inDatabase)).toEqual(new Set(keep));
    }, 90_000);
  });
});
