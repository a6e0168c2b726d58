import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role, topics, type ClientToServerEvents, type DispatchOrder, type Track, type Unit } from '@seawall/contracts';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, scopeOf, type Permission } from '../server/src/auth/permissions';
import { signToken, TokenClaims } from '../server/src/auth/token';
import { createApp, type AppDeps } from '../server/src/http/app';
import { createGeoRouter } from '../server/src/http/geo-routes';
import { matchRoute, ROUTE_RULES, type RouteRule } from '../server/src/http/route-permissions';
import { SOCKET_EVENT_PERMISSIONS } from '../server/src/realtime/socket-auth';
import { eventually, startTestSystem, type TestSystem } from './support/system';
import { followTracks, type TrackFeed } from './support/track-feed';

/*
 * The role matrix, walked: every REST route (ROUTE_RULES) and every socket.io command
 * (SOCKET_EVENT_PERMISSIONS), for every role and for callers without a valid token. Nothing here lists
 * what a route expects: each expectation comes from PERMISSIONS through scopeOf, so a change to the matrix
 * is tested as soon as it is made, and a route or event added without a rule fails the consistency checks.
 */

type Failure = 'missing' | 'expired' | 'bad-signature' | 'malformed';
interface Caller {
  name: string;
  role: Role | null;
  /** Why the server must refuse this caller's token (null: a valid token). */
  failure: Failure | null;
}

/** Unit and drone crews are bound to a unit (server/config/units.json). */
const BINDING: Partial<Record<Role, string>> = { unit: 'pb-haikou-01', 'drone-crew': 'dt-sanya-01' };
const CALLERS: readonly Caller[] = [
  ...Role.options.map((role) => ({ name: role, role, failure: null })),
  { name: 'no token', role: null, failure: 'missing' },
  { name: 'an expired token', role: null, failure: 'expired' },
  { name: 'a forged token', role: null, failure: 'bad-signature' },
  { name: 'a malformed token', role: null, failure: 'malformed' },
];

type Expected = { kind: 'through' } | { kind: 'unauthorized'; reason: Failure } | { kind: 'forbidden' };

/** What the matrix says about `caller` asking for something that needs `access`. */
function expected(access: Permission | 'public', caller: Caller): Expected {
  if (access === 'public') return { kind: 'through' };
  if (caller.role === null) return { kind: 'unauthorized', reason: caller.failure! };
  return scopeOf(caller.role, access) !== null ? { kind: 'through' } : { kind: 'forbidden' };
}

/** A route's path with made-up ids: nothing by those ids exists, so no case changes anything. */
const concretePath = (path: string) => path.replace(/:([A-Za-z]+)/g, 'no-such-$1');

/** Arguments for each command: made-up or invalid, so an allowed command is answered not-found or bad-request. */
const EVENT_ARGS: Record<keyof ClientToServerEvents, unknown[]> = {
  'tracks:resync': [],
  'order:received': ['no-such-order'],
  'order:respond': [{ orderId: 'no-such-order', action: 'accept' }],
  'unit:report': [{ lon: 200 }],
};
const EVENTS = Object.entries(SOCKET_EVENT_PERMISSIONS) as [keyof ClientToServerEvents, Permission][];

const ROUTE_CASES = ROUTE_RULES.flatMap((rule) => CALLERS.map((caller) => ({ rule, caller, label: `${rule.method} ${rule.path} as ${caller.name}` })));
const SOCKET_CASES = EVENTS.flatMap(([event, permission]) => CALLERS.map((caller) => ({ event, permission, caller, label: `${event} as ${caller.name}` })));

/** Every (method, path) the express app registers under /api, in the order express tries them. */
function registeredApiRoutes(): { method: string; path: string }[] {
  // The app's construction only wires handlers to their dependencies; none is called here.
  const geo = createGeoRouter({ rings: async () => '{}', zones: async () => '{}', version: 'x' });
  const app = createApp({ geo, webDist: '/nonexistent' } as unknown as AppDeps);
  interface Listed { path: string | RegExp; methods?: string[]; router?: ListingRouter }
  interface ListingRouter { listRoutes(): Listed[] }
  const out: { method: string; path: string }[] = [];
  const walk = (router: ListingRouter, prefix: string) => {
    if (typeof router.listRoutes !== 'function') throw new Error('express\'s router has no listRoutes() (router >= 2.3 has it)');
    for (const r of router.listRoutes()) {
      if (typeof r.path !== 'string') throw new Error(`a route registered by regular expression (${String(r.path)}): the matrix cannot name it`);
      const path = (prefix + (r.path === '/' && r.router ? '' : r.path)).replace(/\/+$/, '') || '/';
      if (r.router) walk(r.router, path);
      else for (const m of r.methods ?? []) if (m !== 'HEAD') out.push({ method: m, path });
    }
  };
  walk((app as unknown as { router: ListingRouter }).router, '');
  return out.filter((r) => r.path === '/api' || r.path.startsWith('/api/'));
}

/**
 * The same, read from the source files: `router.get('/x', …)` and `app.get('/api/x', …)`, and routes built
 * by a helper from a template (`action('ack', …)` → `/alerts/:id/ack`). Catches a router that is written
 * but that createApp above would not mount.
 */
function sourceApiRoutes(): { method: string; path: string; file: string }[] {
  const dir = new URL('../server/src/http/', import.meta.url).pathname;
  const out: { method: string; path: string; file: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const src = readFileSync(join(dir, file), 'utf8');
    if (file === 'app.ts') {
      for (const m of src.matchAll(/\bapp\.use\(\s*(['`])([^'`]*)\1\s*,\s*\w+Routes?\(/g)) {
        if (m[2] !== '/api') throw new Error(`app.ts mounts a router at ${m[2]}: this test assumes /api`);
      }
    }
    const prefix = file === 'app.ts' ? '' : '/api';
    for (const m of src.matchAll(/\b(router|app)\.(get|post|patch|put|delete|all)\(\s*(['`])([^'`]*)\3/g)) {
      const [, , method, , path] = m as unknown as [string, string, string, string, string];
      if (!path.includes('${')) {
        out.push({ method: method.toUpperCase(), path: prefix + path, file });
        continue;
      }
      // A helper: `const name = (param: string, …) => router.post(\`/x/${param}\`, …)`, called as `name('literal', …)`.
      const before = src.slice(0, m.index);
      const helper = /const\s+(\w+)\s*=\s*\(\s*(\w+)\s*:\s*string[^)]*\)\s*=>\s*(?:\{\s*(?:return\s+)?)?$/.exec(before);
      const param = /\$\{(\w+)\}/.exec(path)![1]!;
      if (!helper || helper[2] !== param) throw new Error(`${file}: cannot resolve the route ${path} built at offset ${m.index}; teach this test how`);
      const calls = [...src.matchAll(new RegExp(`\\b${helper[1]}\\(\\s*'([^']+)'`, 'g'))];
      if (calls.length === 0) throw new Error(`${file}: the helper ${helper[1]} is never called`);
      for (const c of calls) out.push({ method: method.toUpperCase(), path: prefix + path.replace(`\${${param}}`, c[1]!), file });
    }
  }
  return out.filter((r) => r.path === '/api' || r.path.startsWith('/api/'));
}

/** Express's matching of a registered path: routers are case-insensitive unless made otherwise (ours are not). */
const pathRegExp = (path: string) => new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}/?$`, 'i');
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** The rule of the handler express runs for a request: the first registered route that matches it. */
function servedRule(registered: { method: string; path: string }[], method: string, path: string): RouteRule | undefined {
  const served = registered.find((r) => r.method === method && pathRegExp(r.path).test(path));
  return served && ROUTE_RULES.find((rule) => rule.method === method && rule.path === served.path);
}

/** A rule's path (made-up ids) with each literal segment after /api, and then all of them, in capitals. */
function letterCaseVariants(rule: RouteRule): string[] {
  const segs = rule.path.split('/');
  const literal = segs.map((seg, i) => i >= 2 && !seg.startsWith(':') && /[a-z]/.test(seg));
  const upper = (which: (i: number) => boolean) => concretePath(segs.map((seg, i) => (literal[i] && which(i) ? seg.toUpperCase() : seg)).join('/'));
  const variants = literal.flatMap((l, i) => (l ? [upper((j) => j === i)] : []));
  if (variants.length > 1) variants.push(upper(() => true));
  return variants;
}

describe('authorization: the role matrix, walked', () => {
  let system: TestSystem;
  const tokens = new Map<string, string | undefined>();
  const checked = { routes: 0, events: 0 };
  /** The checks besides the pairs, once they pass: the count is printed only when everything did. */
  const passed = new Set<string>();
  const OTHER_CHECKS = ['registered routes', 'source routes', 'letter case, routing', 'permissions', 'letter case, live', 'unit scope'];

  beforeAll(async () => {
    system = await startTestSystem();
    for (const c of CALLERS) if (c.role) tokens.set(c.name, await system.login(c.role, BINDING[c.role]));

    // The real supervisor's claims: an expired or forged token would be the most powerful one if accepted.
    const claims = TokenClaims.parse(JSON.parse(Buffer.from(system.token.split('.')[1]!, 'base64url').toString('utf8')));
    const { rows } = await system.server.db.query<{ value: Buffer | Uint8Array }>('SELECT value FROM server_secrets WHERE name = $1', ['session-token-key']);
    expect(rows).toHaveLength(1);
    const secret = Buffer.from(rows[0]!.value);
    const nowS = Math.floor(Date.now() / 1000);
    tokens.set('no token', undefined);
    tokens.set('an expired token', signToken({ ...claims, iat: nowS - 7200, exp: nowS - 60 }, secret));
    tokens.set('a forged token', signToken({ ...claims, iat: nowS, exp: nowS + 3600 }, randomBytes(32)));
    // The supervisor's own valid token without its signature part.
    tokens.set('a malformed token', system.token.split('.').slice(0, 2).join('.'));
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  describe('the rules cover exactly what the server serves', () => {
    it('every route the app registers under /api has a rule, and every rule a route', () => {
      const registered = registeredApiRoutes().map(key).sort();
      const rules = ROUTE_RULES.map(key).sort();
      expect(registered.filter((r) => !rules.includes(r)), 'registered without a rule').toEqual([]);
      expect(rules.filter((r) => !registered.includes(r)), 'a rule for a route nobody registers').toEqual([]);
      expect(new Set(rules).size, 'each rule once').toBe(rules.length);
      passed.add('registered routes');
    });

    it('the source files register no /api route without a rule (helpers that build paths included)', () => {
      const found = sourceApiRoutes();
      const rules = new Set(ROUTE_RULES.map(key));
      expect(found.filter((r) => !rules.has(key(r))).map((r) => `${key(r)} (${r.file})`), 'registered without a rule').toEqual([]);
      const inSource = new Set(found.map(key));
      expect(ROUTE_RULES.filter((r) => !inSource.has(key(r))).map(key), 'a rule for a route not in the source').toEqual([]);
      passed.add('source routes');
    });

    it('for each rule\'s path, in any letter case, authorize checks the rule of the handler express runs', () => {
      const registered = registeredApiRoutes();
      const mismatches: string[] = [];
      for (const rule of ROUTE_RULES) {
        const path = concretePath(rule.path);
        expect(matchRoute(rule.method, path), `authorize's rule for ${rule.method} ${path}`).toBe(rule);
        expect(servedRule(registered, rule.method, path)?.path, `the handler express runs for ${rule.method} ${path}`).toBe(rule.path);
        for (const variant of letterCaseVariants(rule)) {
          const checkedRule = matchRoute(rule.method, variant);
          if (!checkedRule) continue; // 404 before any handler runs
          const served = servedRule(registered, rule.method, variant);
          if (served !== checkedRule) {
            mismatches.push(`${rule.method} ${variant}: authorize checks ${checkedRule.path} (${checkedRule.access}), express runs ${served?.path} (${served?.access})`);
          }
        }
      }
      expect(mismatches, 'requests authorized by one rule and served by another route').toEqual([]);
      passed.add('letter case, routing');
    });

    it('every rule and event names a permission of the matrix, and every permission is used', () => {
      const used = new Set<string>([...ROUTE_RULES.map((r) => r.access), ...Object.values(SOCKET_EVENT_PERMISSIONS)]);
      const known = new Set<string>([...Object.keys(PERMISSIONS), 'public']);
      expect([...used].filter((p) => !known.has(p))).toEqual([]);
      expect(Object.keys(PERMISSIONS).filter((p) => !used.has(p)), 'permissions nothing needs').toEqual([]);
      for (const roles of Object.values(PERMISSIONS)) for (const role of Object.keys(roles)) expect(Role.options).toContain(role);
      expect(Object.keys(EVENT_ARGS).sort(), 'arguments for every command').toEqual(EVENTS.map(([e]) => e).sort());
      passed.add('permissions');
    });
  });

  /** One request as `caller`, checked against what the matrix says about `access`. */
  async function checkRequest(method: string, path: string, access: Permission | 'public', caller: Caller): Promise<void> {
    const token = tokens.get(caller.name);
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const withBody = method !== 'GET';
    if (withBody) headers['content-type'] = 'application/json';
    const res = await fetch(`${system.server.url}${path}`, { method, headers, ...(withBody ? { body: '{}' } : {}) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: shown as text
    }
    const seen = `${method} ${path} as ${caller.name}: ${res.status} ${(typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300)}`;
    expect(res.status, `never a server error: ${seen}`).toBeLessThan(500);
    const want = expected(access, caller);
    if (want.kind === 'unauthorized') {
      expect(res.status, seen).toBe(401);
      expect(body, seen).toMatchObject({ error: 'unauthorized', reason: want.reason });
      expect(res.headers.get('www-authenticate'), seen).toBe('Bearer');
    } else if (want.kind === 'forbidden') {
      expect(res.status, seen).toBe(403);
      expect(body, seen).toMatchObject({ error: 'forbidden' });
    } else {
      expect([401, 403], `past authorization: ${seen}`).not.toContain(res.status);
    }
  }

  describe('every REST route × every caller', () => {
    for (const { rule, caller, label } of ROUTE_CASES) {
      it(label, async () => {
        await checkRequest(rule.method, concretePath(rule.path), rule.access, caller);
        checked.routes++;
      });
    }

    it('a path in other letter case is authorized by the rule of the handler that serves it', async () => {
      const registered = registeredApiRoutes();
      const wrong: string[] = [];
      let pairs = 0;
      for (const rule of ROUTE_RULES) {
        for (const variant of letterCaseVariants(rule)) {
          if (!matchRoute(rule.method, variant)) continue; // refused with 404 before any handler (the first check above)
          const served = servedRule(registered, rule.method, variant);
          if (!served) continue;
          for (const caller of CALLERS) {
            await checkRequest(rule.method, variant, served.access, caller).catch((err: Error) => wrong.push(err.message.split('\n')[0]!));
            pairs++;
          }
        }
      }
      expect(pairs, 'some variant reaches a rule (/api/orders/SUGGESTIONS)').toBeGreaterThan(0);
      expect(wrong, 'not as the rule of the handler that served them').toEqual([]);
      passed.add('letter case, live');
    });
  });

  describe('every socket.io command × every caller', () => {
    for (const { event, permission, caller, label } of SOCKET_CASES) {
      it(label, async () => {
        const want = expected(permission, caller);
        const conn = await connect(system.server.url, tokens.get(caller.name));
        if (want.kind === 'unauthorized') {
          // Refused at the handshake: no command of this caller reaches the server.
          if (!('error' in conn)) {
            conn.socket.close();
            expect.fail(`${caller.name} connected`);
          }
          expect(conn.error.message).toBe('unauthorized');
          expect(conn.error.data).toEqual({ reason: want.reason });
          expect(conn.received, 'nothing sent to a refused socket').toEqual([]);
          checked.events++;
          return;
        }
        if (!('socket' in conn)) expect.fail(`${caller.name} refused: ${conn.error.message} ${JSON.stringify(conn.error.data)}`);
        try {
          const answer = await send(conn.socket, event, EVENT_ARGS[event] ?? []);
          const seen = `${event} as ${caller.name}: ${JSON.stringify(answer)}`;
          if (want.kind === 'forbidden') {
            expect(answer, seen).toEqual({ kind: 'ack', value: expect.objectContaining({ ok: false, error: 'forbidden' }) });
          } else {
            expect(answer.kind, `${seen} (an allowed command is answered: an ack, or a snapshot for tracks:resync)`).not.toBe('silent');
            if (answer.kind === 'ack') {
              expect(answer.value.error, seen).not.toBe('forbidden');
              expect(answer.value.error, seen).not.toBe('internal');
            }
          }
          checked.events++;
        } finally {
          conn.socket.close();
        }
      });
    }
  });

  it('scopes a unit: its own track and its orders\' targets, its own orders, its own unit, on REST and socket.io', async () => {
    const unitId = BINDING.unit!;
    const otherUnit = 'pb-sanya-01';
    const unitToken = tokens.get('unit')!;
    const asUnit = (path: string) => system.api(path, { as: unitToken });

    // A unit socket open throughout: what it is pushed must stay within what the unit may see.
    const conn = await connect(system.server.url, unitToken);
    if (!('socket' in conn)) throw new Error(`unit socket refused: ${conn.error.message}`);
    // Every record's id, with its identity or not.
    const pushedTracks = conn.feed.everSent;
    const pushedOrders: DispatchOrder[] = [];
    const pushedUnits = new Set<string>();
    conn.socket.on('order:updated', (o: DispatchOrder) => pushedOrders.push(o));
    conn.socket.on('unit:updated', (u: Unit) => pushedUnits.add(u.id));
    conn.socket.on('units:snapshot', (us: Unit[]) => us.forEach((u) => pushedUnits.add(u.id)));

    try {
      // Both units at their home bases (where they already are), and three vessels far offshore, outside
      // every ring: harmless to any other test system on a shared broker.
      const at = Date.now();
      const mmsi = (i: number) => 412_000_000 + (process.pid % 10_000) * 10 + i;
      const vessels = [1, 2, 3].map((i) => ({ kind: 'ais.position', observedAtMs: at, mmsi: mmsi(i), msgType: 1, aisClass: 'A', lon: 112.4 + i * 0.01, lat: 17.2, sogKn: 8, cogDeg: 90, accuracy: true }));
      const reports = [
        { kind: 'unit.position', observedAtMs: at, unitId, lon: 110.3450065, lat: 20.0612192, sogKn: 0, cogDeg: 0 },
        { kind: 'unit.position', observedAtMs: at, unitId: otherUnit, lon: 109.5166382, lat: 18.2394985, sogKn: 0, cogDeg: 0 },
        ...vessels,
      ];
      const sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `authz-sensor-${process.pid}-${Date.now()}` });
      await sensor.publishAsync(topics.sensor('json', `authz-${process.pid}`), JSON.stringify(reports), { qos: 1 });
      await sensor.endAsync();
      const [mine, theirs, nobodys] = vessels.map((v) => `ais:${v.mmsi}`) as [string, string, string];
      const everyone = [`unit:${unitId}`, `unit:${otherUnit}`, mine, theirs, nobodys];
      await eventually(async () => {
        const ids: string[] = ((await (await system.api('/api/tracks')).json()) as { tracks: Track[] }).tracks.map((t) => t.id);
        return everyone.every((id) => ids.includes(id)) ? true : undefined;
      }, 20_000, 'the supervisor to see both units and the three vessels');

      // Before any order: the unit sees its own track, and no vessel.
      const before = ((await (await asUnit('/api/tracks')).json()) as { tracks: Track[] }).tracks.map((t) => t.id);
      expect(before).toEqual([`unit:${unitId}`]);

      const order = async (unit: string, trackId: string) => {
        const res = await system.api('/api/orders', { json: { unitId: unit, trackId, note: 'authorization test' } });
        expect(res.status, await res.clone().text()).toBe(201);
        return ((await res.json()) as { order: DispatchOrder }).order;
      };
      const own = await order(unitId, mine);
      const other = await order(otherUnit, theirs);

      const tracks = ((await (await asUnit('/api/tracks')).json()) as { tracks: Track[] }).tracks.map((t) => t.id).sort();
      expect(tracks, 'its own track and its order\'s target, no other vessel or unit').toEqual([mine, `unit:${unitId}`].sort());
      expect((await asUnit(`/api/tracks/${mine}`)).status).toBe(200);
      expect(((await (await asUnit(`/api/tracks/${mine}`)).json()) as { alerts: unknown[] }).alerts).toEqual([]);
      expect((await asUnit(`/api/tracks/${theirs}`)).status).toBe(404);
      expect((await asUnit(`/api/tracks/${nobodys}`)).status).toBe(404);
      expect((await asUnit(`/api/tracks/unit:${otherUnit}`)).status).toBe(404);
      expect((await asUnit(`/api/tracks/${nobodys}/history`)).status).toBe(404);

      const orders = ((await (await asUnit('/api/orders')).json()) as { orders: DispatchOrder[] }).orders;
      expect(orders.map((o) => o.id)).toEqual([own.id]);
      expect((await asUnit(`/api/orders/${own.id}`)).status).toBe(200);
      expect((await asUnit(`/api/orders/${other.id}`)).status).toBe(404);
      // Nor may it act on another unit's order, though it may respond to its own.
      expect((await system.api(`/api/orders/${other.id}/accept`, { as: unitToken, json: {} })).status).toBe(404);
      expect((await system.api(`/api/units/${otherUnit}/report`, { as: unitToken, json: { status: 'off-duty' } })).status).toBe(404);
      const all = ((await (await system.api('/api/orders')).json()) as { orders: DispatchOrder[] }).orders.map((o) => o.id);
      expect(all).toEqual(expect.arrayContaining([own.id, other.id]));

      const units = ((await (await asUnit('/api/units')).json()) as { units: Unit[] }).units.map((u) => u.id);
      expect(units).toEqual([unitId]);

      // socket.io: a fresh snapshot holds the same two tracks; pushes never named anything else.
      const next = conn.feed.nextSnapshot();
      conn.socket.emit('tracks:resync');
      const snapshot = await next;
      expect(snapshot.map((t) => t.id).sort()).toEqual([mine, `unit:${unitId}`].sort());
      await eventually(() => (pushedOrders.some((o) => o.id === own.id) ? true : undefined), 10_000, 'the unit to be pushed its order');
      expect([...pushedTracks].filter((id) => id !== mine && id !== `unit:${unitId}`), 'tracks pushed to the unit beyond its own').toEqual([]);
      expect(pushedOrders.filter((o) => o.unitId !== unitId).map((o) => o.id), 'other units\' orders pushed to the unit').toEqual([]);
      expect([...pushedUnits].filter((id) => id !== unitId), 'other units pushed to the unit').toEqual([]);
      passed.add('unit scope');
    } finally {
      conn.socket.close();
    }
  });

  it('shuts a disabled user out at once: REST and the socket already open', async () => {
    const token = await system.login('operator');
    const conn = await connect(system.server.url, token);
    if (!('socket' in conn)) throw new Error('the operator could not connect');
    try {
      const closed = new Promise<string>((resolve) => conn.socket.once('disconnect', resolve));
      const me = (await (await system.api('/api/me', { as: token })).json()) as { user: { id: string } };
      expect((await system.api(`/api/users/${me.user.id}`, { method: 'PATCH', json: { disabled: true } })).status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      expect((await system.api('/api/tracks', { as: token })).status).toBe(401);
      const again = await connect(system.server.url, token);
      expect('error' in again && again.error.message).toBe('unauthorized');
    } finally {
      conn.socket.close();
    }
  });

  it('checked every pair (and passed every other check), and says how many', () => {
    const routePairs = ROUTE_RULES.length * CALLERS.length;
    const eventPairs = EVENTS.length * CALLERS.length;
    expect(checked).toEqual({ routes: routePairs, events: eventPairs });
    expect(OTHER_CHECKS.filter((c) => !passed.has(c)), 'checks that did not pass').toEqual([]);
    console.log(`authorization: ${checked.routes} route×caller pairs and ${checked.events} event×caller pairs checked, all as the matrix says`);
  });
});

type Connected = { socket: Socket; snapshot: Track[]; feed: TrackFeed };
type Refused = { error: Error & { data?: unknown }; received: string[] };

/** Connects with `auth: { token }`: the socket once its first snapshot is in, or the handshake's error. */
function connect(url: string, token: string | undefined): Promise<Connected | Refused> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false, forceNew: true, timeout: 10_000 });
    const received: string[] = [];
    socket.onAny((event: string) => received.push(event));
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('neither a snapshot nor a connect_error within 10 s'));
    }, 10_000);
    const feed = followTracks(socket);
    feed.nextSnapshot().then((snapshot) => {
      clearTimeout(timer);
      resolve({ socket, snapshot, feed });
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      clearTimeout(timer);
      socket.close();
      resolve({ error, received });
    });
  });
}

type Answer = { kind: 'ack'; value: { ok: boolean; error?: string } } | { kind: 'snapshot' } | { kind: 'silent' };

/** Sends a command with an ack callback (even one whose type has none) and waits for the ack, a snapshot, or 3 s. */
function send(socket: Socket, event: string, args: unknown[]): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('tracks:snapshot', onSnapshot);
      resolve(a);
    };
    const onSnapshot = () => done({ kind: 'snapshot' });
    const timer = setTimeout(() => done({ kind: 'silent' }), 3_000);
    socket.once('tracks:snapshot', onSnapshot);
    socket.emit(event, ...args, (value: { ok: boolean; error?: string }) => done({ kind: 'ack', value }));
  });
}
