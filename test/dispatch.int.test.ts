import { topics, type Alert, type DispatchOrder, type ServerToClientEvents, type ClientToServerEvents } from '@seawall/contracts';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoAvailable, startOwnMosquitto, type OwnMosquitto } from './support/mosquitto';
import { eventually, startTestSystem, type TestSystem } from './support/system';
import { followTracks } from './support/track-feed';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Ack<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

// A boat without AIS crossing the Qiongzhou Strait towards Haikou, seen by a radar that reports as a JSON sensor.
const RADAR = `rdr-dispatch-${process.pid}`;
const START = { lon: 110.3, lat: 20.16 };

function connect(url: string, token: string): Client {
  return io(url, { transports: ['websocket'], auth: { token }, reconnectionDelay: 200, reconnectionDelayMax: 500 });
}

function call<T>(socket: Client, emit: (ack: (r: Ack<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
    emit((r) => {
      clearTimeout(timer);
      if (r.ok) resolve(r.value);
      else reject(new Error(`${r.error}: ${r.message}`));
    });
  });
}

const respond = (socket: Client, orderId: string, action: 'accept' | 'reject' | 'en-route' | 'on-scene' | 'resolve', outcome?: string) =>
  call<DispatchOrder>(socket, (ack) => socket.emit('order:respond', { orderId: orderId as DispatchOrder['id'], action, ...(outcome ? { outcome } : {}) }, ack));

/** Publishes a radar-only target long enough to raise the unidentified-target alert, and returns that alert. */
async function unidentifiedAlert(system: TestSystem, mqttUrl: string, targetNumber: number): Promise<Alert> {
  const sensor = await mqtt.connectAsync(mqttUrl, { clientId: `${RADAR}-${targetNumber}` });
  const t0 = Date.now() - 10 * 60_000;
  const reports = Array.from({ length: 12 }, (_, i) => ({
    kind: 'radar.target', observedAtMs: t0 + i * 30_000, targetNumber, lon: START.lon, lat: START.lat - i * 0.002, sogKn: 8, cogDeg: 180, status: 'tracking',
  }));
  await sensor.publishAsync(topics.sensor('json', RADAR), JSON.stringify(reports), { qos: 1 });
  await sensor.endAsync();
  const trackId = `radar:${RADAR}:${targetNumber}`;
  return eventually(async () => {
    const { alerts } = (await (await system.api('/api/alerts?rule=unidentified-target')).json()) as { alerts: Alert[] };
    return alerts.find((a) => a.trackIds[0] === trackId);
  }, 20_000, 'the unidentified-target alert');
}

describe.runIf(mosquittoAvailable())('dispatch: from an alert to a resolved order, with real socket.io clients and PostGIS', () => {
  let mosquitto: OwnMosquitto;
  let system: TestSystem;
  let operator: string;
  let unitToken: string;
  const sockets: Client[] = [];

  beforeAll(async () => {
    // A broker of the test's own, so the server can be restarted (the embedded one would go with it).
    mosquitto = await startOwnMosquitto();
    system = await startTestSystem({ centralMqttUrl: mosquitto.url, persistentData: true });
    operator = await system.login('operator');
    unitToken = await system.login('unit', 'pb-haikou-01');
  }, 180_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await system?.stop();
    await mosquitto?.dispose();
  });

  const open = (token: string) => {
    const s = connect(system.server.url, token);
    sockets.push(s);
    return s;
  };

  it('suggests the nearest capable unit, delivers the order, and the operator sees every step; the audit log holds them all', async () => {
    const alert = await unidentifiedAlert(system, mosquitto.url, 41);
    expect(alert).toMatchObject({ level: 'yellow', ring: 'near-sea', status: 'open' });

    const { suggestions } = (await (await system.api(`/api/orders/suggestions?alertId=${encodeURIComponent(alert.id)}`, { as: operator })).json()) as {
      suggestions: { unit: { id: string; capabilities: string[] }; distanceM: number; etaMs: number }[];
    };
    // Near-sea: boats only; the Haikou boat is nearest (the Haikou shore patrol is nearer still, but on land).
    expect(suggestions.every((s) => s.unit.capabilities.includes('sea'))).toBe(true);
    expect(suggestions[0]!.unit.id).toBe('pb-haikou-01');
    expect(suggestions.map((s) => s.etaMs)).toEqual([...suggestions.map((s) => s.etaMs)].sort((a, b) => a - b));
    expect(suggestions[0]!.distanceM).toBeGreaterThan(1_000);
    expect(suggestions[0]!.distanceM).toBeLessThan(30_000);

    const ops = open(operator);
    const seenByOps: string[] = [];
    ops.on('order:updated', (o) => seenByOps.push(`${o.status}${o.deliveredAtMs ? '+delivered' : ''}`));
    const unit = open(unitToken);
    const received = new Promise<DispatchOrder>((resolve) => unit.on('order:updated', resolve));
    // The crew sees its target as soon as it has the order, and no longer once the order is done.
    const unitFeed = followTracks(unit);
    const target = alert.trackIds[0]!;
    const targetShown = () => eventually(() => (unitFeed.frames.some((f) => f.event === 'updated' && f.tracks.some((t) => t.id === target)) ? true : undefined), 10_000, 'the target on the unit\'s socket');
    const targetDropped = () => eventually(() => (unitFeed.removed.some((ids) => ids.includes(target)) ? true : undefined), 10_000, 'the target dropped from the unit\'s socket');
    await eventually(() => (ops.connected && unit.connected ? true : undefined), 10_000, 'both sockets');

    const create = await system.api('/api/orders', { as: operator, json: { unitId: 'pb-haikou-01', alertId: alert.id, note: 'intercept and identify', requestId: 'req-dispatch-1' } });
    expect(create.status).toBe(201);
    const { order } = (await create.json()) as { order: DispatchOrder };
    expect(order).toMatchObject({ status: 'sent', unitId: 'pb-haikou-01', alertId: alert.id, trackId: alert.trackIds[0] });
    // A retried request creates nothing new.
    const again = (await (await system.api('/api/orders', { as: operator, json: { unitId: 'pb-haikou-01', alertId: alert.id, requestId: 'req-dispatch-1' } })).json()) as { order: DispatchOrder };
    expect(again.order.id).toBe(order.id);

    expect((await received).id).toBe(order.id);
    await targetShown();
    await call<DispatchOrder>(unit, (ack) => unit.emit('order:received', order.id, ack));
    await respond(unit, order.id, 'accept');
    await respond(unit, order.id, 'en-route');
    await respond(unit, order.id, 'on-scene');
    await expect(respond(unit, order.id, 'resolve')).rejects.toThrow(/missing-outcome/);
    const done = await respond(unit, order.id, 'resolve', 'Fishing skiff without AIS, crew warned, escorted to Xiuying port');
    expect(done).toMatchObject({ status: 'resolved', outcome: expect.stringContaining('escorted') });
    await targetDropped();
    expect(unitFeed.frames.flatMap((f) => f.unknown), 'records the crew could not place').toEqual([]);

    await eventually(() => (seenByOps.includes('resolved+delivered') ? true : undefined), 5_000, 'the operator to see the resolution');
    expect(seenByOps).toEqual(['sent', 'sent+delivered', 'accepted+delivered', 'en-route+delivered', 'on-scene+delivered', 'resolved+delivered']);

    const { entries } = (await (await system.api(`/api/audit?subjectType=order&subjectId=${order.id}`, { as: operator })).json()) as {
      entries: { action: string; actor: string; atMs: number }[];
    };
    expect(entries.map((e) => e.action)).toEqual(['order.created', 'order.sent', 'order.delivered', 'order.accepted', 'order.en-route', 'order.on-scene', 'order.resolved']);
    const unitUser = entries.find((e) => e.action === 'order.accepted')!.actor;
    expect(unitUser).toMatch(/^unit-/);
    expect(entries[0]!.actor).toMatch(/^operator-/);
    expect(entries.every((e, i) => i === 0 || e.atMs >= entries[i - 1]!.atMs)).toBe(true);

    // The alert went with the order: dispatched when it was sent, resolved with its outcome.
    const alertAudit = (await (await system.api(`/api/audit?subjectType=alert&subjectId=${encodeURIComponent(alert.id)}`, { as: operator })).json()) as { entries: { action: string }[] };
    expect(alertAudit.entries.map((e) => e.action)).toEqual(['alert.raised', 'alert.dispatched', 'alert.resolved']);
    const units = (await (await system.api('/api/units', { as: unitToken })).json()) as { units: { id: string; status: string }[] };
    expect(units.units).toEqual([expect.objectContaining({ id: 'pb-haikou-01', status: 'returning' })]);
  });

  it('reaches a unit that was offline when it was sent, and survives a server restart between two steps: nothing lost, nothing applied twice', async () => {
    await system.api('/api/units/pb-haikou-01/report', { as: unitToken, json: { status: 'available' } });
    const alert = await unidentifiedAlert(system, mosquitto.url, 42);
    const create = await system.api('/api/orders', { as: operator, json: { unitId: 'pb-haikou-01', alertId: alert.id } });
    const { order } = (await create.json()) as { order: DispatchOrder };
    expect(order.status).toBe('sent');

    // The unit's phone comes online only now: its pending orders come with the connection.
    const unit = open(unitToken);
    const pending = await new Promise<DispatchOrder[]>((resolve) => unit.once('orders:pending', resolve));
    expect(pending.map((o) => o.id)).toContain(order.id);
    await call<DispatchOrder>(unit, (ack) => unit.emit('order:received', order.id, ack));
    await respond(unit, order.id, 'accept');

    await system.restartServer();
    // The phone reconnects by itself to the restarted server, and gets the order again, as accepted.
    const afterRestart = await new Promise<DispatchOrder[]>((resolve) => unit.once('orders:pending', resolve));
    expect(afterRestart.find((o) => o.id === order.id)?.status).toBe('accepted');
    // The phone did not hear back before the restart and says accept again: no second acceptance.
    expect((await respond(unit, order.id, 'accept')).status).toBe('accepted');
    await respond(unit, order.id, 'en-route');
    await respond(unit, order.id, 'on-scene');
    await respond(unit, order.id, 'resolve', 'Empty skiff found adrift, towed in');

    const { entries } = (await (await system.api(`/api/audit?subjectType=order&subjectId=${order.id}`, { as: operator })).json()) as { entries: { action: string }[] };
    expect(entries.map((e) => e.action)).toEqual(['order.created', 'order.sent', 'order.delivered', 'order.accepted', 'order.en-route', 'order.on-scene', 'order.resolved']);
    const { rows } = await system.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM dispatch_orders WHERE id = $1`, [order.id]);
    expect(rows[0]!.n).toBe(1);
  });
});

describe('dispatch: an order nobody accepts', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ env: { ORDER_ACCEPT_TIMEOUT_MS: '5000' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('is escalated to the operators once the accept timeout has passed, once', async () => {
    const operator = await system.login('operator');
    const ops = connect(system.server.url, operator);
    try {
      const escalated = new Promise<DispatchOrder>((resolve) => ops.on('order:updated', (o) => o.escalatedAtMs && resolve(o)));
      const create = await system.api('/api/orders', { as: operator, json: { unitId: 'pb-sanya-01', target: { lon: 109.45, lat: 18.15 }, note: 'check the anchorage' } });
      expect(create.status).toBe(201);
      const { order } = (await create.json()) as { order: DispatchOrder };
      const late = await escalated;
      expect(late).toMatchObject({ id: order.id, status: 'sent' });
      expect(late.escalatedAtMs! - order.updatedAtMs).toBeGreaterThanOrEqual(5_000);
      await new Promise((r) => setTimeout(r, 2_000));
      const { entries } = (await (await system.api(`/api/audit?subjectType=order&subjectId=${order.id}`, { as: operator })).json()) as { entries: { action: string }[] };
      expect(entries.map((e) => e.action)).toEqual(['order.created', 'order.sent', 'order.escalated']);
      expect(await (await fetch(`${system.server.url}/metrics`)).text()).toMatch(/seawall_server_orders_escalated_total 1\b/);
    } finally {
      ops.close();
    }
  });
});
