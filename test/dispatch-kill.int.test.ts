import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { topics, type Alert, type DispatchOrder } from '@seawall/contracts';
import mqtt from 'mqtt';
import pino from 'pino';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../edge-gateway/src/gateway';
import { createJsonHandler } from '../edge-gateway/src/pipeline/json-handler';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { queryServerDb, startServerProcess, type ServerProcess } from './support/server-process';
import { SUPERVISOR, TEST_PASSWORD, eventually, loginAs } from './support/system';
import { call, type Client } from './support/socket-call';

// The dispatch loop of test/dispatch.int.test.ts, with the server as a process of its own that is SIGKILLed
// (no shutdown code runs, nothing is saved on the way out) between two steps, twice, and started again on the
// same port, database and broker: the order must come through with every step recorded once.

type AuditEntry = { action: string; actor: string; atMs: number };

const UNIT = 'pb-haikou-01';
const RADAR = `rdr-dispatch-kill-${process.pid}`;
const START = { lon: 110.3, lat: 20.16 };
const ORDER_STEPS = ['order.created', 'order.sent', 'order.delivered', 'order.accepted', 'order.en-route', 'order.on-scene', 'order.resolved'];
const ALERT_STEPS = ['alert.raised', 'alert.dispatched', 'alert.resolved'];
const OUTCOME = 'Fishing skiff without AIS, crew warned, escorted to Xiuying port';

/** A socket.io client that reconnects by itself, quickly, and counts its (re)connections. */
function connect(url: string, token: string): Client & { connects: number } {
  const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: true, reconnectionDelay: 200, reconnectionDelayMax: 500, autoConnect: false }) as Client & { connects: number };
  s.connects = 0;
  s.on('connect', () => void s.connects++);
  return s;
}


const respond = (socket: Client, orderId: string, action: 'accept' | 'en-route' | 'on-scene' | 'resolve', outcome?: string) =>
  call<DispatchOrder>((ack) => socket.emit('order:respond', { orderId: orderId as DispatchOrder['id'], action, ...(outcome ? { outcome } : {}) }, ack), action);

describe.runIf(mosquittoAvailable())('dispatch across SIGKILLs: the server process killed between two steps, twice', () => {
  let mosquitto: OwnMosquitto;
  let server: ServerProcess;
  let gateway: RunningGateway;
  let queueDir: string;
  let supervisor: string;
  let operatorName: string;
  let unitName: string;
  let operator: string;
  let unitToken: string;
  const sockets: Client[] = [];

  const api = (path: string, init: RequestInit & { as?: string; json?: unknown } = {}) => {
    const { as, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('authorization', `Bearer ${as ?? supervisor}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${server.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}) });
  };
  const createUser = async (username: string, role: 'operator' | 'unit', unitId?: string) => {
    const res = await api('/api/users', { json: { username, password: TEST_PASSWORD, role, ...(unitId ? { unitId } : {}) } });
    if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${await res.text()}`);
    return loginAs(server.url, username);
  };
  /** Fails with the server's own output, so a failure after a kill says what the server said. */
  const withServerOutput = async <T>(what: string, p: Promise<T>): Promise<T> => {
    try {
      return await p;
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}\n--- server output ---\n${server.output()}`);
    }
  };

  beforeAll(async () => {
    // A broker of the test's own: the server's MQTT session (INSTANCE_ID) must outlive the server process.
    mosquitto = await startOwnMosquitto();
    // STATE_SAVE_MS: the pipeline state is saved now and then; a SIGKILL skips the save at a clean stop.
    server = await startServerProcess({ mqttUrl: mosquitto.url, env: { STATE_SAVE_MS: '1000' }, startTimeoutMs: 150_000 });
    const gatewayId = `gw-kill-${randomBytes(3).toString('hex')}`;
    queueDir = mkdtempSync(join(tmpdir(), 'seawall-queue-'));
    // The gateway stays up in this process: only the server is killed.
    gateway = await startGateway({
      mqttUrl: mosquitto.url,
      gatewayId,
      handlers: { json: createJsonHandler(gatewayId) },
      queue: { dir: queueDir, maxBytes: 16 * 1024 * 1024, overflow: 'drop-oldest' },
      log: pino({ level: 'silent' }),
    });
    supervisor = await loginAs(server.url, SUPERVISOR);
    const id = randomBytes(3).toString('hex');
    operatorName = `operator-kill-${id}`;
    unitName = `unit-kill-${id}`;
    operator = await createUser(operatorName, 'operator');
    unitToken = await createUser(unitName, 'unit', UNIT);
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await gateway?.close();
    await server?.dispose();
    await mosquitto?.dispose();
    if (queueDir) rmSync(queueDir, { recursive: true, force: true });
  });

  /** Publishes a radar-only target long enough to raise the unidentified-target alert, and returns that alert. */
  async function unidentifiedAlert(targetNumber: number): Promise<Alert> {
    const sensor = await mqtt.connectAsync(mosquitto.url, { clientId: `${RADAR}-${targetNumber}` });
    const t0 = Date.now() - 10 * 60_000;
    const reports = Array.from({ length: 12 }, (_, i) => ({
      kind: 'radar.target', observedAtMs: t0 + i * 30_000, targetNumber, lon: START.lon, lat: START.lat - i * 0.002, sogKn: 8, cogDeg: 180, status: 'tracking',
    }));
    await sensor.publishAsync(topics.sensor('json', RADAR), JSON.stringify(reports), { qos: 1 });
    await sensor.endAsync();
    const trackId = `radar:${RADAR}:${targetNumber}`;
    return eventually(async () => {
      const { alerts } = (await (await api('/api/alerts?rule=unidentified-target')).json()) as { alerts: Alert[] };
      return alerts.find((a) => a.trackIds[0] === trackId);
    }, 20_000, 'the unidentified-target alert');
  }

  it('delivers an order to a unit that was offline, and carries every step across two SIGKILLs: nothing lost, nothing applied twice', async () => {
    const alert = await unidentifiedAlert(61);
    expect(alert).toMatchObject({ level: 'yellow', ring: 'near-sea', status: 'open' });

    // The operator watches live, from before the order until after it is resolved.
    const ops = connect(server.url, operator);
    sockets.push(ops);
    const opsUpdates: DispatchOrder[] = [];
    ops.on('order:updated', (o) => opsUpdates.push(o));
    ops.connect();
    await eventually(() => (ops.connected ? true : undefined), 10_000, 'the operator socket');

    // The order goes out while the unit's phone is offline.
    const create = await api('/api/orders', { as: operator, json: { unitId: UNIT, alertId: alert.id, note: 'intercept and identify', requestId: `req-kill-${randomBytes(3).toString('hex')}` } });
    expect(create.status).toBe(201);
    const { order } = (await create.json()) as { order: DispatchOrder };
    expect(order).toMatchObject({ status: 'sent', unitId: UNIT, alertId: alert.id, deliveredAtMs: null });
    const seenByOps = () => opsUpdates.filter((o) => o.id === order.id).map((o) => `${o.status}${o.deliveredAtMs ? '+delivered' : ''}`);

    // The phone comes online: its pending orders come with each connection.
    const unit = connect(server.url, unitToken);
    sockets.push(unit);
    const pendings: DispatchOrder[][] = [];
    unit.on('orders:pending', (list) => pendings.push(list));
    const nextPending = (after: number, what: string) =>
      withServerOutput(what, eventually(() => pendings[after], 30_000, what)).then((list) => list.find((o) => o.id === order.id));
    unit.connect();
    const first = await nextPending(0, 'orders:pending on the first connection');
    expect(first).toMatchObject({ id: order.id, status: 'sent' });
    expect((await call<DispatchOrder>((ack) => unit.emit('order:received', order.id, ack), 'order:received')).deliveredAtMs).toEqual(expect.any(Number));
    expect((await respond(unit, order.id, 'accept')).status).toBe('accepted');

    let kills = 0;
    /** SIGKILL right now, start again on the same port, and wait until both clients are back. */
    const killAndRestart = async () => {
      const pid = server.pid();
      const [pendingsBefore, opsBefore] = [pendings.length, ops.connects];
      await server.kill();
      kills++;
      await server.start();
      expect(server.pid()).not.toBe(pid);
      // Neither client is told to reconnect: each does it by itself, to the address it knows.
      const back = await nextPending(pendingsBefore, `the unit's reconnection after SIGKILL #${kills}`);
      await withServerOutput(`the operator's reconnection after SIGKILL #${kills}`, eventually(() => (ops.connected && ops.connects > opsBefore ? true : undefined), 30_000, 'the operator socket'));
      return back;
    };

    // Killed right after the accept was answered: the acceptance was written before the answer.
    const afterFirstKill = await killAndRestart();
    expect(afterFirstKill).toMatchObject({ id: order.id, status: 'accepted', deliveredAtMs: expect.any(Number) });
    // The phone's retry of its accept (as if the answer had been lost): no second acceptance.
    const retried = await respond(unit, order.id, 'accept');
    expect(retried).toMatchObject({ status: 'accepted', updatedAtMs: afterFirstKill!.updatedAtMs });
    expect((await respond(unit, order.id, 'en-route')).status).toBe('en-route');

    // Killed between en route and on scene.
    const afterSecondKill = await killAndRestart();
    expect(afterSecondKill).toMatchObject({ id: order.id, status: 'en-route' });
    expect((await respond(unit, order.id, 'on-scene')).status).toBe('on-scene');
    const done = await respond(unit, order.id, 'resolve', OUTCOME);
    expect(done).toMatchObject({ status: 'resolved', outcome: OUTCOME });

    // The operator saw every step live, through both kills.
    await eventually(() => (seenByOps().includes('resolved+delivered') ? true : undefined), 10_000, 'the operator to see the resolution').catch(() => undefined);

    const { entries } = (await (await api(`/api/audit?subjectType=order&subjectId=${order.id}`, { as: operator })).json()) as { entries: AuditEntry[] };
    const actions = entries.map((e) => e.action);
    const lost = ORDER_STEPS.filter((a) => !actions.includes(a));
    const twice = ORDER_STEPS.filter((a) => actions.filter((x) => x === a).length > 1);
    // The alert's rows are written by the pipeline's alert writer, after the order's transaction: wait for them.
    let alertAudit: AuditEntry[] = [];
    await eventually(async () => {
      alertAudit = ((await (await api(`/api/audit?subjectType=alert&subjectId=${encodeURIComponent(alert.id)}`, { as: operator })).json()) as { entries: AuditEntry[] }).entries;
      return alertAudit.length >= ALERT_STEPS.length ? true : undefined;
    }, 10_000, 'the alert audit rows').catch(() => undefined);

    // Exactly one order, settled: read from the database itself after a clean stop (PGlite: one process at a time).
    expect(await server.stop()).toBe(0);
    const rows = await queryServerDb<{ id: string; status: string; outcome: string | null; delivered: boolean }>(
      server, `SELECT id, status, outcome, delivered_at IS NOT NULL AS delivered FROM dispatch_orders`,
    );
    console.log(`dispatch-kill: ${kills} SIGKILLs, ${ORDER_STEPS.length} order steps, ${lost.length} lost, ${twice.length} applied twice (${server.backend}; operator saw ${seenByOps().length} updates live)`);

    expect(seenByOps()).toEqual(['sent', 'sent+delivered', 'accepted+delivered', 'en-route+delivered', 'on-scene+delivered', 'resolved+delivered']);
    expect(actions).toEqual(ORDER_STEPS);
    expect(entries.map((e) => e.actor)).toEqual([operatorName, 'system', `unit:${UNIT}`, unitName, unitName, unitName, unitName]);
    expect(entries.every((e, i) => i === 0 || e.atMs >= entries[i - 1]!.atMs)).toBe(true);
    expect(alertAudit.map((e) => e.action), 'the alert follows its order: raised, dispatched, resolved').toEqual(ALERT_STEPS);
    expect(rows).toEqual([{ id: order.id, status: 'resolved', outcome: OUTCOME, delivered: true }]);
    expect(kills).toBe(2);
  });
});
