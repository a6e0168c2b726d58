import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../edge-gateway/src/gateway';
import { createAisHandler } from '../edge-gateway/src/pipeline/ais-handler';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, sleep, tally } from './support/fault-feed';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { queryServerDb, startServerProcess, type ServerProcess } from './support/server-process';
import { eventually } from './support/system';

// The server process SIGKILLed twice in the middle of a steady feed (no shutdown code runs: nothing buffered is
// written on the way out) and started again on the same database and broker session. The server acknowledges an
// observation only once its history row is committed, so whatever it held unwritten the broker delivers again:
// every history row is written, once.

// Long enough that, after a restart (the server reloading its state takes seconds), the feed still runs for the
// second kill to find observations held.
const FEED_SIZE = 6_000;
const PER_SECOND = 250;
const GATEWAY_ID = 'gw-fault-server-kill';

interface Health {
  historyBuffered: number;
  ingest: { acksHeld: number; acknowledgingUncommitted: boolean };
}

describe.runIf(mosquittoAvailable())('the server SIGKILLed and restarted in the middle of a steady feed', () => {
  let mosquitto: OwnMosquitto;
  let server: ServerProcess;
  let gateway: RunningGateway;
  let queueDir: string;

  const health = async (): Promise<Health | undefined> => {
    try {
      const res = await fetch(`${server.url}/health`);
      return (await res.json()) as Health;
    } catch {
      return undefined;
    }
  };

  beforeAll(async () => {
    // A broker of the test's own: the server's persistent session must outlive the server process.
    mosquitto = await startOwnMosquitto();
    // State saved often, so the kills land between saves with and without tracks saved since.
    server = await startServerProcess({ mqttUrl: mosquitto.url, env: { STATE_SAVE_MS: '2000' }, startTimeoutMs: 150_000 });
    queueDir = mkdtempSync(join(tmpdir(), 'seawall-queue-'));
    // The gateway stays up in this process: only the server dies.
    gateway = await startGateway({
      mqttUrl: mosquitto.url,
      gatewayId: GATEWAY_ID,
      handlers: { ais: createAisHandler(GATEWAY_ID) },
      queue: { dir: queueDir, maxBytes: 16 * 1024 * 1024, overflow: 'drop-oldest' },
      log: pino({ level: 'silent' }),
    });
    await gatewayListening(mosquitto.url, mosquitto.url, GATEWAY_ID);
  }, 180_000);

  afterAll(async () => {
    await gateway?.close();
    await server?.dispose();
    await mosquitto?.dispose();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  it('loses no history row and writes none twice', async () => {
    const feed = buildAisFeed(FEED_SIZE, GATEWAY_ID);
    expect(feed.observations).toHaveLength(FEED_SIZE);
    const expectedKeys = new Set(historyRowsOf(feed.observations).map((r) => historyKey(r.trackId, r.observedAtMs)));
    const sensor = await publishSteadily(mosquitto.url, `sensor-fault-kill-${process.pid}`, feed.messages, PER_SECOND);
    const kills: { published: number; acksHeld: number; buffered: number }[] = [];

    for (const share of [1 / 5, 1 / 2]) {
      await eventually(() => (sensor.published() >= feed.messages.length * share ? true : undefined), 60_000, `${Math.round(share * 100)} % of the feed published`);
      // Killed while it holds observations it has applied and not yet written: those a crash used to lose.
      let at: Health | undefined;
      for (const until = Date.now() + 30_000; Date.now() < until; await sleep(10)) {
        at = await health();
        if (at?.ingest && at.ingest.acksHeld > 0) break;
      }
      await server.kill();
      kills.push({ published: sensor.published(), acksHeld: at?.ingest?.acksHeld ?? -1, buffered: at?.historyBuffered ?? -1 });
      await sleep(1_500);
      await server.start();
    }

    await sensor.done;
    // Settled: the gateway has sent everything and the server holds nothing unwritten, for a few seconds on end.
    let quietSince = 0;
    await eventually(
      async () => {
        const h = await health();
        const quiet = h !== undefined && h.ingest.acksHeld === 0 && h.historyBuffered === 0 && gateway.backlog() === 0;
        quietSince = quiet ? quietSince || Date.now() : 0;
        return quiet && Date.now() - quietSince > 3_000 ? true : undefined;
      },
      120_000,
      'the feed written out',
    );
    // Stopped cleanly to read the database (PGlite allows one process at a time).
    await server.stop();
    const rows = await queryServerDb<{ track_id: string; ms: number }>(server, HISTORY_KEYS_SQL);
    const written = rows.map((r) => historyKey(r.track_id, Math.round(r.ms)));
    const obsIds = (await queryServerDb<{ n: number }>(server, 'SELECT count(DISTINCT obs_id)::int AS n FROM track_history'))[0]?.n;
    const history = tally([...expectedKeys], written);
    console.log(
      `server kill (${kills.length} SIGKILLs at ${kills.map((k) => `${k.published} messages published, ${k.acksHeld} unacknowledged, ${k.buffered} rows unwritten`).join('; ')}): ` +
        `observations sent ${feed.observations.length}; history rows ${formatTally(history, ['expected', 'written'])}; distinct observation ids written ${obsIds}`,
    );
    expect(kills.every((k) => k.acksHeld > 0)).toBe(true);
    expect(history).toEqual({ sent: expectedKeys.size, received: expectedKeys.size, lost: 0, duplicated: 0 });
    expect(obsIds).toBe(expectedKeys.size);
  }, 300_000);
});
