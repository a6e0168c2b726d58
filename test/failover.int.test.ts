import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../edge-gateway/src/gateway';
import { createAisHandler } from '../edge-gateway/src/pipeline/ais-handler';
import { ARTIFACTS_DIR, chromiumAvailable, launchChromium, signedIn } from './support/browser';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, readMetric, sleep, tally } from './support/fault-feed';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { redisAvailable, redisUrl } from './support/redis';
import { queryServerDb, startServerProcess, type ServerProcess } from './support/server-process';
import { services } from './support/services';
import { SUPERVISOR, TEST_PASSWORD, eventually, loginAs } from './support/system';

// Two server instances on one PostgreSQL database, one Mosquitto and one Redis: the first leads fusion (it holds
// the region's advisory lock), the second stands by and serves an operator's console, whose live picture comes
// from the leader through Redis. The leader is SIGKILLed in the middle of a steady feed: the standby must take
// over within 10 s and the console keep moving, and every history row the feed makes must be written.

const FEED_SIZE = 6_000;
const PER_SECOND = 80;
const GATEWAY_ID = `gw-failover-${process.pid}`;
const TAKEOVER_LIMIT_MS = 10_000;

type Health = { status: string; fusion?: { role: string; region: string; instanceId: string; redis: string }; ingest?: unknown };

async function health(url: string): Promise<Health | undefined> {
  try {
    return (await (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })).json()) as Health;
  } catch {
    return undefined;
  }
}

/** Positions the page holds for these tracks now. */
const positionsOn = (page: Page, ids: readonly string[]) =>
  page.evaluate((list) => Object.fromEntries(list.map((id) => [id, window.seawall!.trackPosition(id)])), ids as string[]);

/** Resolves once at least `atLeast` of the tracks the page held at `before` are somewhere else on it. */
async function moved(page: Page, before: Record<string, [number, number] | null>, atLeast: number, timeoutMs: number, what: string): Promise<number> {
  const ids = Object.keys(before);
  return eventually(async () => {
    const now = await positionsOn(page, ids);
    const n = ids.filter((id) => before[id] && now[id] && (now[id]![0] !== before[id]![0] || now[id]![1] !== before[id]![1])).length;
    return n >= atLeast ? n : undefined;
  }, timeoutMs, what);
}

const redisUp = await redisAvailable();

describe.runIf(services.databaseUrl && mosquittoAvailable() && chromiumAvailable() && redisUp)('fusion failover: two server instances, the leader SIGKILLed', () => {
  let mosquitto: OwnMosquitto;
  let leader: ServerProcess;
  let standby: ServerProcess;
  let gateway: RunningGateway;
  let queueDir: string;
  let browser: Browser;
  let console_: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mosquitto = await startOwnMosquitto();
    const env = {
      REDIS_URL: redisUrl,
      // Channels of this test's own on the machine's shared Redis.
      REDIS_KEY_PREFIX: `seawall-failover-${randomBytes(4).toString('hex')}`,
      STATE_SAVE_MS: '1000',
      LEADER_POLL_MS: '500',
    };
    leader = await startServerProcess({ mqttUrl: mosquitto.url, env, startTimeoutMs: 150_000 });
    standby = await startServerProcess({ mqttUrl: mosquitto.url, env, databaseUrl: leader.databaseUrl, startTimeoutMs: 150_000 });

    queueDir = mkdtempSync(join(tmpdir(), 'seawall-queue-'));
    gateway = await startGateway({
      mqttUrl: mosquitto.url,
      gatewayId: GATEWAY_ID,
      handlers: { ais: createAisHandler(GATEWAY_ID) },
      queue: { dir: queueDir, maxBytes: 64 * 1024 * 1024, overflow: 'drop-oldest' },
      log: pino({ level: 'silent' }),
    });
    await gatewayListening(mosquitto.url, mosquitto.url, GATEWAY_ID);

    // The operator is created on the standby and signs in there: users reach the leader through Redis too.
    const supervisor = await loginAs(standby.url, SUPERVISOR);
    const operator = `operator-failover-${randomBytes(3).toString('hex')}`;
    const res = await fetch(`${standby.url}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: operator, password: TEST_PASSWORD, role: 'operator' }),
    });
    expect(res.status).toBe(201);
    await eventually(async () => ((await fetch(`${leader.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: operator, password: TEST_PASSWORD }) })).ok ? true : undefined), 10_000, 'the leader to know the new operator');

    browser = await launchChromium();
    console_ = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    console_.on('pageerror', (e) => pageErrors.push(e.message));
    await signedIn(console_, standby.url, operator, TEST_PASSWORD);
    await console_.goto(standby.url);
    await console_.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await standby?.dispose();
    await leader?.dispose();
    await mosquitto?.dispose();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  it('the standby takes over within 10 s, the console on it keeps moving, and every history row is written once', async () => {
    const withOutput = async <T>(what: string, p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (err) {
        throw new Error(`${what}: ${(err as Error).message}\n--- leader output ---\n${leader.output()}\n--- standby output ---\n${standby.output()}`);
      }
    };
    expect((await health(leader.url))?.fusion).toMatchObject({ role: 'leader', region: 'hainan', redis: 'connected' });
    expect((await health(standby.url))?.fusion).toMatchObject({ role: 'standby', region: 'hainan', redis: 'connected' });

    const feed = buildAisFeed(FEED_SIZE, GATEWAY_ID);
    const sensor = await publishSteadily(mosquitto.url, `sensor-failover-${process.pid}`, feed.messages, PER_SECOND);

    // Before the kill: the standby's console moves with what the leader fuses (socket.io through Redis), and the
    // standby answers the live picture from the leader's memory (REST passed on to the leader).
    const drawn = await withOutput('tracks on the standby\'s console', eventually(async () => {
      const ids = await console_.evaluate(() => window.seawall!.renderedTrackIds());
      return ids.length >= 10 ? ids : undefined;
    }, 60_000, 'tracks drawn on the standby\'s console'));
    const watched = drawn.slice(0, 60);
    await withOutput('movement before the kill', moved(console_, await positionsOn(console_, watched), 3, 60_000, 'tracks moving on the standby\'s console'));
    const token = await loginAs(standby.url, SUPERVISOR);
    const viaStandby = (await (await fetch(`${standby.url}/api/tracks`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tracks: unknown[] };
    expect(viaStandby.tracks.length).toBeGreaterThanOrEqual(10);
    await eventually(() => (sensor.published() >= feed.messages.length / 3 ? true : undefined), 120_000, 'a third of the feed published');

    // A server that acknowledges observations only once they are written (it reports `ingest` in /health) loses
    // no history when killed; one that acknowledged on receipt lost the rows it held unwritten (a flush's worth).
    const acksAfterCommit = (await health(leader.url))?.ingest !== undefined;
    // SIGKILL: no shutdown code runs; the leader's lock session ends with its process.
    const publishedAtKill = sensor.published();
    await leader.kill();
    const killedAt = Date.now();
    const tookOver = await withOutput('the takeover', eventually(async () => ((await health(standby.url))?.fusion?.role === 'leader' ? Date.now() : undefined), 30_000, 'the standby to lead'));
    const takeoverMs = tookOver - killedAt;
    const atTakeover = await positionsOn(console_, watched);
    const movedAfter = await withOutput('movement after the takeover', moved(console_, atTakeover, 3, 30_000, 'tracks moving on the console after the takeover'));
    const firstMoveMs = Date.now() - killedAt;
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/failover-console.png` });

    await sensor.done;
    // Settled: the gateway has delivered everything and the history stopped growing.
    let lastCount = -1;
    await withOutput('the feed to settle', eventually(async () => {
      const n = (await queryServerDb<{ n: number }>(standby, 'SELECT count(*)::int AS n FROM track_history'))[0]?.n ?? 0;
      const still = n === lastCount && gateway.backlog() === 0;
      lastCount = n;
      await sleep(1_500);
      return still ? true : undefined;
    }, 180_000, 'history to stop growing'));

    const expectedKeys = historyRowsOf(feed.observations).map((r) => historyKey(r.trackId, r.observedAtMs));
    const rows = await queryServerDb<{ track_id: string; ms: number }>(standby, HISTORY_KEYS_SQL);
    const history = tally([...new Set(expectedKeys)], rows.map((r) => historyKey(r.track_id, Math.round(r.ms))));
    const atNewLeader = await readMetric(standby.url, 'seawall_server_observations_received_total');
    const repeats = await readMetric(standby.url, 'seawall_server_observations_duplicate_total');
    console.log(
      `failover: leader SIGKILLed after ${publishedAtKill} of ${feed.messages.length} sensor messages (${FEED_SIZE} observations); ` +
        `standby led ${takeoverMs} ms after the kill (limit ${TAKEOVER_LIMIT_MS} ms), its console showed tracks moving again ${firstMoveMs} ms after ` +
        `(${movedAfter} of ${watched.length} watched tracks); new leader consumed ${atNewLeader} observations, ${repeats} of them repeats dropped by id; ` +
        `history rows ${formatTally(history, ['expected', 'written'])}${acksAfterCommit ? '' : ' (acknowledged on receipt: the rows the leader held unwritten are lost)'}`,
    );

    expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS);
    expect((await health(standby.url))?.status).toBe('ok');
    expect(pageErrors).toEqual([]);
    if (acksAfterCommit) expect(history.lost, 'history rows lost').toBe(0);
    else expect(history.lost, 'history rows lost: at most what the leader held unwritten').toBeLessThanOrEqual(PER_SECOND);
    expect(history.duplicated, 'history rows written twice').toBe(0);
  }, 600_000);
});
