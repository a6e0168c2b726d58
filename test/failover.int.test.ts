import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics, type Alert, type DispatchOrder, type Track } from '@seawall/contracts';
import mqtt from 'mqtt';
import pino from 'pino';
import { io } from 'socket.io-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../edge-gateway/src/gateway';
import { createAisHandler } from '../edge-gateway/src/pipeline/ais-handler';
import { createJsonHandler } from '../edge-gateway/src/pipeline/json-handler';
import { ARTIFACTS_DIR, chromiumAvailable, launchChromium, signedIn } from './support/browser';
import { buildAisFeed, formatTally, gatewayListening, historyKey, historyRowsOf, HISTORY_KEYS_SQL, publishSteadily, readMetric, sleep, tally } from './support/fault-feed';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { redisAvailable, redisUrl } from './support/redis';
import { queryServerDb, startServerProcess, type ServerProcess } from './support/server-process';
import { services } from './support/services';
import { SUPERVISOR, TEST_PASSWORD, eventually, loginAs } from './support/system';
import { call, type Client } from './support/socket-call';
import { followTracks } from './support/track-feed';

// Two server instances on one PostgreSQL database, one Mosquitto and one Redis: the first leads fusion (it holds
// the region's advisory lock), the second stands by and serves an operator's console, whose live picture comes
// from the leader through Redis. The leader is SIGKILLed in the middle of a steady feed: the standby must take
// over within 10 s and the console keep moving, and every history row the feed makes must be written.

const FEED_SIZE = 6_000;
const PER_SECOND = 80;
const GATEWAY_ID = `gw-failover-${process.pid}`;
const TAKEOVER_LIMIT_MS = 10_000;
/** Where the AIS feed's observation time starts (fault-feed.ts): the radar threat comes just before it. */
const FEED_START_MS = Date.UTC(2026, 0, 15, 0, 0, 0);
const RADAR = `rdr-failover-${process.pid}`;
const UNIT = 'pb-haikou-01';



/** Radar reports (JSON sensor) of one target without AIS, `count` of them 30 s apart from `t0`, heading south. */
const radarReports = (t0: number, from: number, count: number) =>
  Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { kind: 'radar.target', observedAtMs: t0 + i * 30_000, targetNumber: 7, lon: 110.3, lat: 20.16 - i * 0.002, sogKn: 8, cogDeg: 180, status: 'tracking' };
  });

type Health = { status: string; fusion?: { role: string; region: string; instanceId: string; redis: string } };

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
  let operatorToken: string;
  let unitToken: string;
  let threat: Alert;
  let dispatched: DispatchOrder;
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
      handlers: { ais: createAisHandler(GATEWAY_ID), json: createJsonHandler(GATEWAY_ID) },
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
    operatorToken = await loginAs(standby.url, operator);
    const crew = `unit-failover-${randomBytes(3).toString('hex')}`;
    const made = await fetch(`${standby.url}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: crew, password: TEST_PASSWORD, role: 'unit', unitId: UNIT }),
    });
    expect(made.status).toBe(201);
    unitToken = await loginAs(standby.url, crew);
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

  it('an operator and a patrol unit on the standby: the leader\'s alerts live, an acknowledgement, an order sent, received, accepted and its target followed', async () => {
    const socket: Client = io(standby.url, { transports: ['websocket'], auth: { token: operatorToken } });
    const unit: Client = io(standby.url, { transports: ['websocket'], auth: { token: unitToken } });
    const orders: DispatchOrder[] = [];
    const unitFeed = followTracks(unit);
    const opsFeed = followTracks(socket, () => socket.emit('tracks:resync'));
    unit.on('order:updated', (o) => orders.push(o));
    const raised: Alert[] = [];
    const updated: Alert[] = [];
    socket.on('alert:raised', (a) => raised.push(a));
    socket.on('alert:updated', (a) => updated.push(a));
    try {
      // Its snapshot in, it takes the leader's batches from then on.
      await eventually(() => (opsFeed.frames.length > 0 ? true : undefined), 10_000, 'the operator socket\'s snapshot on the standby');
      // A boat without AIS, seen by a radar reporting as a JSON sensor: the leader raises an unidentified-target alert.
      const sensor = await mqtt.connectAsync(mosquitto.url, { clientId: `${RADAR}-sensor` });
      const t0 = FEED_START_MS - 10 * 60_000;
      await sensor.publishAsync(topics.sensor('json', RADAR), JSON.stringify(radarReports(t0, 0, 12)), { qos: 1 });
      const trackId = `radar:${RADAR}:7`;
      threat = await eventually(() => raised.find((a) => a.trackIds[0] === trackId), 30_000, 'alert:raised on the standby\'s socket');
      // The leader's track frames, through Redis: the operator on the standby reads the target with its identity.
      const seen = await eventually(() => opsFeed.tracks.get(trackId as Track['id']), 10_000, 'the target on the standby\'s operator socket');
      expect(seen.sources).toContain(RADAR);

      const api = (path: string, init: RequestInit = {}) => fetch(`${standby.url}${path}`, { ...init, headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' } });
      const listed = (await (await api('/api/alerts?rule=unidentified-target')).json()) as { alerts: Alert[] };
      expect(listed.alerts.map((a) => a.id)).toContain(threat.id);
      const ack = await api(`/api/alerts/${encodeURIComponent(threat.id)}/ack`, { method: 'POST', body: JSON.stringify({ note: 'seen from the standby' }) });
      expect(ack.status).toBe(200);
      expect(((await ack.json()) as { alert: Alert }).alert.status).toBe('acknowledged');
      await eventually(() => updated.find((a) => a.id === threat.id && a.status === 'acknowledged'), 10_000, 'alert:updated on the standby\'s socket');

      // The operator dispatches the boat (REST, passed to the leader); the crew's phone is on the standby too.
      await eventually(() => (unit.connected ? true : undefined), 10_000, 'the unit socket on the standby');
      const created = await api('/api/orders', { method: 'POST', body: JSON.stringify({ unitId: UNIT, alertId: threat.id, note: 'identify', requestId: `req-failover-${process.pid}` }) });
      expect(created.status).toBe(201);
      const { order } = (await created.json()) as { order: DispatchOrder };
      await eventually(() => orders.find((o) => o.id === order.id), 10_000, 'order:updated on the unit\'s socket');
      // Its commands run on the leader, which holds the dispatch loop.
      const received = await call<DispatchOrder>((ack) => unit.emit('order:received', order.id, ack), 'order:received');
      expect(received.deliveredAtMs).toEqual(expect.any(Number));
      const accepted = await call<DispatchOrder>((ack) => unit.emit('order:respond', { orderId: order.id, action: 'accept' }, ack), 'order:respond accept');
      expect(accepted.status).toBe('accepted');
      dispatched = accepted;
      // The target moves on: the crew on the standby follows it.
      const before = unitFeed.updates().length;
      await sensor.publishAsync(topics.sensor('json', RADAR), JSON.stringify(radarReports(t0, 12, 2)), { qos: 1 });
      const followed = await eventually(() => unitFeed.updates().slice(before).find((t) => t.id === trackId && t.lastSeenMs === t0 + 13 * 30_000), 10_000, 'the target\'s move on the unit\'s socket');
      expect(followed.lat).toBeCloseTo(20.16 - 13 * 0.002, 6);
      await sensor.endAsync();
    } finally {
      socket.close();
      unit.close();
    }
  }, 120_000);

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
    // The feed's rows (the radar threat's are not counted).
    const feedRows = rows.filter((r) => !r.track_id.startsWith('radar:'));
    const history = tally([...new Set(expectedKeys)], feedRows.map((r) => historyKey(r.track_id, Math.round(r.ms))));
    const atNewLeader = await readMetric(standby.url, 'seawall_server_observations_received_total');
    const repeats = await readMetric(standby.url, 'seawall_server_observations_duplicate_total');
    console.log(
      `failover: leader SIGKILLed after ${publishedAtKill} of ${feed.messages.length} sensor messages (${FEED_SIZE} observations); ` +
        `standby led ${takeoverMs} ms after the kill (limit ${TAKEOVER_LIMIT_MS} ms), its console showed tracks moving again ${firstMoveMs} ms after ` +
        `(${movedAfter} of ${watched.length} watched tracks); new leader consumed ${atNewLeader} observations, ${repeats} of them repeats dropped by id; ` +
        `history rows ${formatTally(history, ['expected', 'written'])}`,
    );

    // What the operator and the crew did on the standby, written by the old leader, holds on the new one.
    const asOperator = { headers: { authorization: `Bearer ${operatorToken}` } };
    const afterwards = (await (await fetch(`${standby.url}/api/alerts?rule=unidentified-target`, asOperator)).json()) as { alerts: Alert[] };
    expect(afterwards.alerts.find((a) => a.id === threat.id)?.status).toBe('dispatched');
    const order = (await (await fetch(`${standby.url}/api/orders/${dispatched.id}`, asOperator)).json()) as { order: DispatchOrder };
    expect(order.order).toMatchObject({ id: dispatched.id, status: 'accepted', deliveredAtMs: expect.any(Number) });

    expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS);
    expect((await health(standby.url))?.status).toBe('ok');
    expect(pageErrors).toEqual([]);
    // The leader acknowledged only what it had written: what it held unwritten came again to the new leader.
    expect(history.lost, 'history rows lost').toBe(0);
    expect(history.duplicated, 'history rows written twice').toBe(0);
  }, 600_000);
});
