import { MAX_OBSERVATIONS_PER_MESSAGE, Observation, topics, type ClientToServerEvents, type Track } from '@seawall/contracts';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, type RouteRule } from '../server/src/http/route-permissions';
import { SOCKET_EVENT_PERMISSIONS } from '../server/src/realtime/socket-auth';
import { eventually, loginAs, startTestSystem, TEST_PASSWORD, type TestSystem } from './support/system';
import { followTracks, type TrackFeed } from './support/track-feed';

/*
 * Hostile input at every trust boundary of the server, from seeded generators (a failing case is replayed
 * with FUZZ_SEED): the obs/v1 consumer, every REST route of ROUTE_RULES (path parameters, query strings,
 * bodies, content types), and every socket.io command (payloads, acks that are not functions, unknown
 * events). What must hold: nothing crashes, no client error is answered 5xx (or `internal` on a socket),
 * every invalid observation is counted, and the server goes on serving valid input afterwards. A second,
 * small system checks the edge itself: rate limits, body and URL size limits, security headers, CORS.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 0x5ea3a11);
const MQTT_CASES = 60_000;
const REST_CASES = 20_000;
const SOCKET_CASES = 25_000;
const UNIT_ID = 'pb-haikou-01';

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);
const pick = <T>(rand: Rand, items: readonly T[]): T => items[int(rand, items.length)]!;

/** JSON text written verbatim where a value goes: number tokens JSON.stringify cannot produce, broken fragments. */
class Raw {
  constructor(readonly text: string) {}
}

const INJECTIONS = [
  "' OR '1'='1", "'; DROP TABLE tracks; --", '" OR ""="', "1; SELECT pg_sleep(5)", "\\'; DELETE FROM users; --", '$1', '%s%s%s%n',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg/onload=alert(1)>', 'javascript:alert(1)', '</script><script>',
  '${process.exit(1)}', '{{constructor.constructor("return process")().exit()}}', '__proto__', 'constructor', 'prototype', 'toString',
  'hasOwnProperty', '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '/etc/passwd\u0000.png', '%2e%2e%2f%2e%2e%2f', '%00', '\u0000',
  '\r\nX-Injected: 1', '$(reboot)', '`id`', '{"$gt":""}', '\\', '%', '%%', '%u0000', '\ufeff', '\u202eevil\u202c', '\u200b\u200c\u200d\u2060',
  '\ud800', '\udfff', '\udc00\ud800', '\ud83d\ude00', '𝕊𝕖𝕒𝕨𝕒𝕝𝕝', '\u0627\u0644\u0639\u0631\u0628\u064a\u0629', 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '海防',
  'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', '0x1F', '', ' ', '\t\n\r', '\u001b[2J', '\u2028\u2029',
];
const RAW_NUMBERS = ['NaN', 'Infinity', '-Infinity', '-0', '1e999', '-1e999', '0.1e-400', '123456789012345678901234567890', '1.7976931348623157e309', '01', '+1', '.5', '0x10'];
const NUMBERS = [0, -0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, Number.MIN_VALUE, 2 ** 31, 2 ** 32, 2 ** 53, 1e21, 8_640_000_000_000_000, 8_640_000_000_000_001, 180.0000001, -90.0001, 999_999_999, 1_000_000_000, 4e15];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString', 'valueOf', 'hasOwnProperty', 'isAdmin', 'role', '$where'];

function hostileString(rand: Rand): string {
  switch (int(rand, 6)) {
    case 0: {
      const n = pick(rand, [129, 257, 1025, 4097, 17_000, 70_000]);
      return pick(rand, ['A', '海', '\u200b', '<', "'"]).repeat(n);
    }
    case 1: // random code units, surrogate halves and controls included
      return String.fromCharCode(...Array.from({ length: 1 + int(rand, 40) }, () => (rand() < 0.3 ? int(rand, 32) : int(rand, 0x10000))));
    case 2:
      return pick(rand, INJECTIONS) + pick(rand, INJECTIONS);
    default:
      return pick(rand, INJECTIONS);
  }
}

function deep(rand: Rand): unknown {
  const depth = 50 + int(rand, 2_000);
  if (rand() < 0.5) return new Raw('['.repeat(depth) + ']'.repeat(depth));
  return new Raw('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Any JSON value, hostile: wrong types, extreme numbers, injection text, prototype keys, deep nesting. */
function hostileValue(rand: Rand, depth = 0): unknown {
  switch (int(rand, depth > 2 ? 6 : 11)) {
    case 0:
    case 1:
      return hostileString(rand);
    case 2:
      return pick(rand, NUMBERS);
    case 3:
      return new Raw(pick(rand, RAW_NUMBERS));
    case 4:
      return pick(rand, [true, false, null, undefined]);
    case 5:
      return rand() * 2e6 - 1e6;
    case 6:
      return Array.from({ length: int(rand, 5) }, () => hostileValue(rand, depth + 1));
    case 7: {
      const o: Record<string, unknown> = {};
      for (let n = int(rand, 4); n > 0; n--) o[rand() < 0.5 ? pick(rand, PROTO_KEYS) : hostileString(rand).slice(0, 100)] = hostileValue(rand, depth + 1);
      return o;
    }
    case 8:
      return deep(rand);
    case 9:
      return new Raw(`{"__proto__":{"isAdmin":true,"role":"supervisor"},"constructor":{"prototype":{"polluted":1}}}`);
    default:
      return new Raw(`[${'0,'.repeat(int(rand, 4_000))}0]`);
  }
}

/** JSON text with Raw fragments verbatim; undefined members left out as JSON.stringify does. */
function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A valid template made hostile (or, one time in eight, left valid): one field changed, dropped or added, or the whole replaced. */
function mutate(template: Record<string, unknown>, rand: Rand): unknown {
  const out: Record<string, unknown> = { ...template };
  const keys = Object.keys(out);
  const key = keys.length > 0 ? pick(rand, keys) : 'x';
  switch (int(rand, 8)) {
    case 0:
      out[key] = hostileValue(rand);
      return out;
    case 1:
      out[key] = hostileString(rand);
      return out;
    case 2:
      out[key] = rand() < 0.5 ? new Raw(pick(rand, RAW_NUMBERS)) : pick(rand, NUMBERS);
      return out;
    case 3:
      delete out[key];
      return out;
    case 4:
      out[pick(rand, PROTO_KEYS)] = hostileValue(rand);
      return out;
    case 5:
      return hostileValue(rand);
    case 6: // two fields at once
      out[key] = hostileValue(rand);
      out[pick(rand, keys)] = hostileString(rand);
      return out;
    default:
      return out;
  }
}

/** Breaks JSON text itself: truncated, junk appended, a wrong quote, binary. */
function malformed(text: string, rand: Rand): string | Uint8Array {
  switch (int(rand, 5)) {
    case 0:
      return text.slice(0, int(rand, text.length));
    case 1:
      return text + pick(rand, ['}', ',', ']]', 'garbage', '\u0000', '{"a":1}']);
    case 2:
      return text.replace(/"/g, "'");
    case 3:
      return Uint8Array.from({ length: int(rand, 300) }, () => int(rand, 256));
    default:
      return pick(rand, ['', ' ', 'null', 'true', '0', '"text"', '[]', '{}', '{', '{"a":}', '{"a" 1}', '\ufeff{}', 'NaN', '[1,]']);
  }
}

/** Counters from /metrics: the sum of a family, or of its series whose labels match. */
/** The edge test's system keeps its metrics behind this token (METRICS_TOKEN); the others' are open. */
const METRICS_TOKEN = 'metrics-token-for-the-edge-test';

async function counter(system: TestSystem, name: string, labels?: string): Promise<number> {
  const text = await (await fetch(`${system.server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m && m[1] === name && (!labels || (m[2] ?? '').includes(labels))) sum += Number(m[3]);
  }
  return sum;
}

async function healthy(system: TestSystem): Promise<void> {
  const res = await fetch(`${system.server.url}/health`);
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('fuzzing every trust boundary', () => {
  let system: TestSystem;
  const counts = { mqtt: 0, rest: 0, socket: 0 };
  const failures: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem({ env: { RATE_LIMIT_PER_MIN: '10000000', LOGIN_RATE_LIMIT_PER_MIN: '10000000', SOCKET_COMMANDS_PER_S: '1000000' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('obs/v1: every invalid payload is counted and dropped, the valid ones applied, and the server carries on', async () => {
    const rand = prng(SEED);
    const t = Date.now();
    const base = (i: number) => ({ obsId: `fuzz-${SEED}-${i}`, sensorId: pick(rand, ['fuzz-ais', 'fuzz-radar', '海防-1']), gatewayId: 'gw-fuzz', observedAtMs: t - int(rand, 60_000), receivedAtMs: t });
    // Few identities, far offshore: the storm's valid observations make a handful of tracks, not thousands.
    const templates: ((i: number) => Record<string, unknown>)[] = [
      (i) => ({ ...base(i), kind: 'ais.position', mmsi: 412_990_000 + int(rand, 8), msgType: 1, aisClass: 'A', lon: 112.4 + rand() * 0.1, lat: 17.2, sogKn: 8, cogDeg: 90, headingDeg: null, navStatus: 0, rotDegPerMin: null, accuracy: true }),
      (i) => ({ ...base(i), kind: 'ais.static', mmsi: 412_990_000 + int(rand, 8), msgType: 5, aisClass: 'A', imo: null, callsign: 'BXYZ', shipName: pick(rand, INJECTIONS).slice(0, 256), shipType: 30, toBowM: 10, toSternM: 5, toPortM: 3, toStarboardM: 3, destination: null, eta: null, draughtM: 2 }),
      (i) => ({ ...base(i), kind: 'radar.target', targetNumber: int(rand, 5), lon: 112.5, lat: 17.3 + rand() * 0.01, sogKn: 5, cogDeg: 180, rangeM: 9000, bearingDeg: 45, status: 'tracking', name: null }),
      (i) => ({ ...base(i), kind: 'drone.telemetry', systemId: 200 + int(rand, 3), lon: 112.45, lat: 17.25, altitudeM: 120, groundSpeedMs: 12, headingDeg: 10, batteryPct: 80, armed: true, mode: 'AUTO' }),
      (i) => ({ ...base(i), kind: 'unit.position', unitId: `fuzz-unit-${int(rand, 3)}`, lon: 112.42, lat: 17.21, sogKn: 20, cogDeg: 0 }),
    ];
    const expected = { valid: 0, invalid: 0 };
    const before = {
      writeErrors: await counter(system, 'seawall_server_db_write_errors_total'),
      rejected: await counter(system, 'seawall_server_observations_rejected_total'),
      // Every valid observation is counted received, a duplicate (same obsId, as hostile ids repeat) besides.
      applied: await counter(system, 'seawall_server_observations_received_total'),
    };
    const publisher = await mqtt.connectAsync(system.mqttUrl, { clientId: `fuzz-obs-${process.pid}-${Date.now()}` });
    const CHUNK = 2_000;
    try {
      for (let start = 0; start < MQTT_CASES; start += CHUNK) {
        const sends: Promise<unknown>[] = [];
        for (let i = start; i < Math.min(MQTT_CASES, start + CHUNK); i++) {
          const template = pick(rand, templates)(i);
          const r = rand();
          let payload: string | Uint8Array;
          if (r < 0.7) payload = toJson(mutate(template, rand));
          else if (r < 0.85) payload = malformed(toJson(template), rand);
          else if (r < 0.88) payload = toJson({ ...template, pad: 'x'.repeat(17_000 + int(rand, 200_000)) }); // valid but oversize
          else if (r < 0.885) payload = toJson([template, template]);
          // A batch as the gateway sends one, some of its observations mutated; now and then one too long.
          else if (r < 0.9) {
            const n = rand() < 0.05 ? MAX_OBSERVATIONS_PER_MESSAGE + 1 : 1 + int(rand, 6);
            payload = toJson(Array.from({ length: n }, (_, k) => (rand() < 0.3 ? mutate(pick(rand, templates)(i * 1000 + k), rand) : pick(rand, templates)(i * 1000 + k))));
          } else payload = toJson(template);
          const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
          const verdict = judgeObservations(bytes);
          expected.valid += verdict.valid;
          expected.invalid += verdict.invalid;
          const kind = pick(rand, ['ais', 'radar', 'drone', 'unit', 'json', 'x'.repeat(300), '海防']);
          sends.push(publisher.publishAsync(`obs/v1/${kind}/${pick(rand, ['fuzz', 'a b', '%00', 'ü'])}-${i % 7}`, bytes, { qos: 1 }));
          counts.mqtt++;
        }
        await Promise.all(sends);
        // End-to-end flow control: the next chunk only once the server has taken this one (every observation of it).
        const sent = expected.valid + expected.invalid;
        await eventually(async () => {
          const done = (await counter(system, 'seawall_server_observations_rejected_total')) - before.rejected +
            (await counter(system, 'seawall_server_observations_received_total')) - before.applied;
          return done >= sent ? true : undefined;
        }, 60_000, `the server to take ${sent} fuzzed observations`);
      }
    } finally {
      await publisher.endAsync();
    }
    const rejected = (await counter(system, 'seawall_server_observations_rejected_total')) - before.rejected;
    const applied = (await counter(system, 'seawall_server_observations_received_total')) - before.applied;
    expect(await counter(system, 'seawall_server_observations_rejected_total', 'reason="handler-error"'), 'valid observations the pipeline threw on').toBe(0);
    expect({ rejected, applied }).toEqual({ rejected: expected.invalid, applied: expected.valid });
    // What was applied is written: no hostile name or id makes a batch write fail (and block those after it).
    await system.server.flush();
    expect((await counter(system, 'seawall_server_db_write_errors_total')) - before.writeErrors, 'failed database writes').toBe(0);
    expect(await counter(system, 'seawall_server_history_rows_written_total')).toBeGreaterThan(0);
    await healthy(system);

    // After the storm, a plain valid observation is still applied.
    const mmsi = 412_991_000 + (process.pid % 1000);
    const sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `fuzz-after-${process.pid}-${Date.now()}` });
    await sensor.publishAsync(
      `obs/v1/ais/fuzz-after`,
      JSON.stringify({ obsId: `after-${SEED}`, sensorId: 'fuzz-after', gatewayId: 'gw-fuzz', observedAtMs: Date.now(), receivedAtMs: Date.now(), kind: 'ais.position', mmsi, msgType: 1, aisClass: 'A', lon: 112.6, lat: 17.1, sogKn: 7, cogDeg: 45, headingDeg: null, navStatus: 0, rotDegPerMin: null, accuracy: true }),
      { qos: 1 },
    );
    await sensor.endAsync();
    await eventually(async () => {
      const tracks = ((await (await system.api('/api/tracks')).json()) as { tracks: Track[] }).tracks;
      return tracks.some((tr) => tr.id === `ais:${mmsi}`) ? true : undefined;
    }, 15_000, 'the observation sent after the storm to make a track');
    console.log(`fuzz obs/v1: ${counts.mqtt} payloads (single observations and batches), ${expected.valid} valid observations (applied), ${expected.invalid} invalid (rejected and counted)`);
  }, 150_000);

  it('REST: every route with hostile path parameters, query strings and bodies answers below 500', async () => {
    const rand = prng(SEED ^ 0x7e57);
    const unitToken = await system.login('unit', UNIT_ID);
    const orderIds: string[] = [];
    const t = Date.now();
    const bodies: Record<string, () => Record<string, unknown>> = {
      'POST /api/login': () => ({ username: pick(rand, ['supervisor', 'nobody', hostileString(rand).slice(0, 64)]), password: pick(rand, ['wrong password!', TEST_PASSWORD]) }),
      'POST /api/users': () => ({ username: `fz${int(rand, 1e9)}`, password: 'long enough password', role: pick(rand, ['operator', 'unit', 'supervisor']) }),
      'PATCH /api/users/:id': () => ({ displayName: pick(rand, INJECTIONS) || 'x' }),
      'POST /api/units': () => ({ id: `fz-${int(rand, 1e9)}`, name: pick(rand, INJECTIONS) || 'x', kind: 'patrol-boat', capabilities: ['sea'], status: 'available', homeBase: null, speedKn: 20 }),
      'POST /api/units/:id/report': () => ({ status: 'available', lon: 110.34, lat: 20.06 }),
      'POST /api/orders': () => ({ unitId: pick(rand, ['pb-sanya-01', 'sv-haikou-01', UNIT_ID]), target: { lon: 112.4, lat: 17.2 }, note: pick(rand, INJECTIONS) }),
      'POST /api/alerts/:id/ack': () => ({ note: pick(rand, INJECTIONS) }),
    };
    const bodyFor = (rule: RouteRule) =>
      (Object.hasOwn(bodies, `${rule.method} ${rule.path}`) ? bodies[`${rule.method} ${rule.path}`]!() : undefined) ?? (rule.path.startsWith('/api/orders/:id') ? { outcome: pick(rand, INJECTIONS) || 'x', note: pick(rand, INJECTIONS) } : { note: pick(rand, INJECTIONS) });
    const QUERY_KEYS = ['bbox', 'ring', 'level', 'source', 'from', 'to', 'limit', 'trackId', 'status', 'rule', 'alertId', 'lon', 'lat', 'capability', 'subjectType', 'subjectId'];
    const NEAR_VALID: Record<string, () => string> = {
      bbox: () => pick(rand, ['110,18,112,20', '-180,-90,180,90', '1e309,0,0,0', 'NaN,NaN,NaN,NaN', '1,2,3', '180,90,-180,-90']),
      from: () => String(pick(rand, [0, t - 3600_000, 8_640_000_000_000_000, 9_007_199_254_740_993, -1, 1e21, 1.5])),
      to: () => String(pick(rand, [t, 8_640_000_000_000_000, 0, 1e308, 4e15])),
      limit: () => String(pick(rand, [1, 50_000, 0, 1e9, -5, 2.5])),
      lon: () => String(pick(rand, [112.4, 180, -180, 1e309, -0])),
      lat: () => String(pick(rand, [17.2, 90, -90, 1e309])),
    };
    const encode = (s: string) => (rand() < 0.8 ? encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd')) : s.replace(/[#?/\s]/g, '_').replace(/[^\x21-\x7e]/g, '%'));
    const hostileId = () =>
      pick(rand, [
        () => encode(hostileString(rand).slice(0, 2_000)),
        () => pick(rand, ['%2e%2e%2f%2e%2e%2fetc%2fpasswd', '..%2f..%2f', '%00', '%', '%zz', '%c0%ae%c0%ae', '%ED%A0%80', 'a%2Fb', '.', '..%5c..%5c', encodeURIComponent('ais:412990001')]),
        () => orderIds.length > 0 ? pick(rand, orderIds) : 'no-such-id',
        () => pick(rand, [UNIT_ID, 'pb-sanya-01', 'ais:412990001', 'unit:fuzz-unit-0']),
        () => 'x'.repeat(pick(rand, [129, 3_000, 5_000])),
      ])();
    const hostileQuery = () => {
      const parts: string[] = [];
      for (let n = int(rand, 4); n > 0; n--) {
        const key = rand() < 0.8 ? pick(rand, QUERY_KEYS) : encode(pick(rand, [...PROTO_KEYS, '__proto__[x]', 'a[b][c]', hostileString(rand).slice(0, 50)]));
        const value = Object.hasOwn(NEAR_VALID, key) && rand() < 0.5 ? NEAR_VALID[key]!() : encode(typeof hostileValue(rand) === 'string' ? hostileString(rand) : toJson(hostileValue(rand)));
        parts.push(`${key}=${value}`);
        if (rand() < 0.1) parts.push(`${key}=${value}`); // repeated: an array
      }
      return parts.length > 0 ? `?${parts.join('&')}` : '';
    };
    const hostileBody = (rule: RouteRule): { body?: string | Uint8Array; type?: string } => {
      const r = rand();
      const template = bodyFor(rule);
      if (r < 0.55) return { body: toJson(mutate(template, rand)), type: 'application/json' };
      if (r < 0.7) return { body: malformed(toJson(template), rand), type: 'application/json' };
      if (r < 0.75) return { body: toJson({ ...template, pad: 'x'.repeat(17_000 + int(rand, 100_000)) }), type: 'application/json' }; // too large
      if (r < 0.85) return { body: toJson(template), type: pick(rand, ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7', 'application/json; charset=latin1', '', 'application/xml']) };
      if (r < 0.9) return {};
      return { body: toJson(template), type: 'application/json' };
    };
    const requestFor = () => {
      const rule = pick(rand, ROUTE_RULES);
      const path = rule.path.replace(/:([a-z]+)/gi, () => (rand() < 0.85 ? hostileId() : 'no-such-id'));
      const caller = rand();
      const token = caller < 0.85 ? system.token : caller < 0.93 ? unitToken : rand() < 0.5 ? undefined : pick(rand, ['garbage', 'a.b.c', system.token.slice(0, -3) + 'AAA', 'x'.repeat(3_000)]);
      const headers: Record<string, string> = {};
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      // fetch sends no body with a GET.
      const { body, type } = rule.method === 'GET' ? {} : hostileBody(rule);
      if (type) headers['content-type'] = type;
      return { method: rule.method, url: `${path}${rand() < 0.7 ? hostileQuery() : ''}`, headers, body };
    };

    const statuses = new Map<number, number>();
    const slowest = new Map<string, number>();
    const WORKERS = 16;
    let issued = 0;
    const worker = async () => {
      while (issued < REST_CASES) {
        issued++;
        const req = requestFor();
        const startedMs = performance.now();
        let res: Response;
        try {
          res = await fetch(`${system.server.url}${req.url}`, { method: req.method, headers: req.headers, ...(req.body !== undefined ? { body: req.body as unknown as BodyInit } : {}) });
        } catch (err) {
          failures.push(`REST ${req.method} ${req.url.slice(0, 300)}: no answer (${String((err as Error).cause ?? err)})`);
          counts.rest++;
          continue;
        }
        const text = await res.text();
        const route = `${req.method} ${req.url.split('?')[0]!.split('/').slice(0, 4).join('/').slice(0, 40)}`;
        slowest.set(route, (slowest.get(route) ?? 0) + performance.now() - startedMs);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`REST ${req.method} ${req.url.slice(0, 300)} body ${String(req.body).slice(0, 300)}: ${res.status} ${text.slice(0, 300)}`);
        if (res.status === 201 && req.url.startsWith('/api/orders')) orderIds.push((JSON.parse(text) as { order: { id: string } }).order.id);
        counts.rest++;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await healthy(system);
    const top = [...slowest].sort(([, a], [, b]) => b - a).slice(0, 4).map(([r, ms]) => `${r} ${Math.round(ms / 1000)} s`);
    console.log(`fuzz REST: ${counts.rest} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; most time in ${top.join(', ')}`);
    expect(failures.filter((f) => f.startsWith('REST')), 'server errors or dropped connections').toEqual([]);
  }, 150_000);

  it('socket.io: every command with hostile payloads and acks, from an operator and a unit, is answered or ignored; a bystander stays connected', async () => {
    const rand = prng(SEED ^ 0x50c7);
    // A real order for the unit, so hostile answers to it reach the dispatch service and its writes.
    const created = await system.api('/api/orders', { json: { unitId: UNIT_ID, target: { lon: 112.4, lat: 17.2 }, note: 'fuzz' } });
    const realOrders = created.status === 201 ? [((await created.json()) as { order: { id: string } }).order.id] : [];
    const orderId = () => (realOrders.length > 0 && rand() < 0.5 ? pick(rand, realOrders) : 'no-such-order');
    const { socket: operator } = await connect(system.server.url, await system.login('operator'));
    const { socket: unit } = await connect(system.server.url, await system.login('unit', UNIT_ID));
    const { socket: bystander, feed: bystanderFeed } = await connect(system.server.url, await system.login('operator'));
    let bystanderDropped = false;
    bystander.on('disconnect', () => (bystanderDropped = true));
    const EVENTS = [...(Object.keys(SOCKET_EVENT_PERMISSIONS) as (keyof ClientToServerEvents)[]), 'admin:shutdown', 'tracks:snapshot', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(2_000), '海防'];
    const templates: Record<string, () => unknown> = {
      'order:received': () => (rand() < 0.5 ? orderId() : hostileString(rand)),
      'order:respond': () => ({ orderId: orderId(), action: pick(rand, ['accept', 'reject', 'en-route', 'on-scene', 'resolve']), note: pick(rand, INJECTIONS), outcome: 'done' }),
      'unit:report': () => ({ status: pick(rand, ['available', 'off-duty', 'on-scene']), lon: 110.34, lat: 20.06 }),
    };
    const firstArg = (event: string): unknown => {
      const template = Object.hasOwn(templates, event) ? templates[event]!() : undefined;
      if (template === undefined || rand() < 0.3) return revive(hostileValue(rand));
      return typeof template === 'object' && template !== null ? revive(mutate(template as Record<string, unknown>, rand)) : template;
    };
    /** Below socket.io's maxHttpBufferSize (64 KiB): larger messages close their own socket, checked separately. */
    const fits = (args: unknown[]) => Buffer.byteLength(JSON.stringify(args) ?? '') < 60_000;
    const answers = { acked: 0, 'not-acked': 0, 'unacked-sent': 0, 'too-large-skipped': 0 };
    const CHUNK = 500;
    for (let start = 0; start < SOCKET_CASES; start += CHUNK) {
      const pending: Promise<void>[] = [];
      for (let i = start; i < Math.min(SOCKET_CASES, start + CHUNK); i++) {
        const socket = rand() < 0.5 ? operator : unit;
        const event = pick(rand, EVENTS);
        let args = [firstArg(event)];
        if (!fits(args)) {
          answers['too-large-skipped']++;
          args = [hostileString(rand).slice(0, 1_000)];
        }
        counts.socket++;
        if (event === 'tracks:resync' || rand() < 0.4) {
          // Extra arguments, and acks that are not functions: a string, a number, an object, null, binary (a
          // track frame's header, as if a client sent the server a frame).
          const extra = Array.from({ length: int(rand, 3) }, () => revive(hostileValue(rand)));
          const all = [...args, ...extra, pick(rand, ['ack', 42, { call: 'me' }, null, Buffer.from([1, 0xff, 0xff, 0xff, 0xff])])];
          socket.emit(event, ...(fits(all) ? all : args));
          answers['unacked-sent']++;
          continue;
        }
        // Every other command is answered through its ack: forbidden, rate-limited, bad-request, not-found or a value.
        pending.push(
          socket
            .timeout(15_000)
            .emitWithAck(event, ...args)
            .then(
              (value: unknown) => {
                answers.acked++;
                const v = value as { ok?: boolean; error?: string } | undefined;
                if (v?.error === 'internal') failures.push(`socket ${event} ${toJson(args).slice(0, 300)}: internal error ${JSON.stringify(v)}`);
              },
              (err: unknown) => {
                answers['not-acked']++;
                failures.push(`socket ${event} ${toJson(args).slice(0, 300)}: no answer (${String(err)})`);
              },
            ),
        );
      }
      await Promise.all(pending);
      if (!operator.connected || !unit.connected) {
        failures.push(`socket: the fuzzing sockets were disconnected around case ${start} (operator ${operator.connected}, unit ${unit.connected})`);
        break;
      }
    }
    // A message above the buffer limit closes the socket that sent it, and no other.
    for (let i = 0; i < 5; i++) {
      const { socket: victim } = await connect(system.server.url, await system.login('operator'));
      const closed = new Promise<string>((resolve) => victim.once('disconnect', resolve));
      victim.emit('order:respond', { orderId: 'x', action: 'accept', note: hostileString(rand).padEnd(70_000 + i * 100_000, 'Z') });
      expect(await closed).toBe('transport close');
      counts.socket++;
    }
    await healthy(system);
    expect(bystanderDropped, 'a bystander socket was disconnected').toBe(false);
    expect(bystander.connected).toBe(true);
    // The bystander still gets answers, and read every track frame it was sent.
    const resync = bystanderFeed.nextSnapshot();
    bystander.emit('tracks:resync');
    await resync;
    expect(bystanderFeed.frames.flatMap((f) => f.unknown), 'records the bystander could not place').toEqual([]);
    for (const s of [operator, unit, bystander]) s.close();
    console.log(`fuzz socket.io: ${counts.socket} commands; ${JSON.stringify(answers)}`);
    expect(failures.filter((f) => f.startsWith('socket')), 'internal errors or dropped sockets').toEqual([]);
  }, 150_000);

  it('took at least 100,000 hostile inputs with no crash and no server error, and says how many', async () => {
    await healthy(system);
    const total = counts.mqtt + counts.rest + counts.socket;
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(100_000);
    console.log(`fuzz: ${total} inputs (mqtt ${counts.mqtt}, rest ${counts.rest}, socket ${counts.socket}), 0 crashes, 0 5xx (seed ${SEED})`);
  });
});

/** The last time the server stores (9999-12-31); the contract's EpochMs reaches year 275760. */
const MAX_STORED_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * What the server's consumer will accept, decided here: the contract's Observation, no later than 9999, and
 * no U+0000 or lone surrogate in its text (PostgreSQL can store none of these).
 */
/**
 * What the server should make of an obs/v1 payload, by the contract: one observation (at most 16 KiB), or a
 * JSON array of 1…MAX_OBSERVATIONS_PER_MESSAGE of them averaging at most that, each judged on its own; a
 * payload that cannot be read at all is one rejection.
 */
function judgeObservations(bytes: Buffer): { valid: number; invalid: number } {
  const one = { valid: 0, invalid: 1 };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return one;
  }
  if (!Array.isArray(json)) return bytes.byteLength > 16 * 1024 ? one : isValidObservation(json) ? { valid: 1, invalid: 0 } : one;
  if (json.length === 0 || json.length > MAX_OBSERVATIONS_PER_MESSAGE || bytes.byteLength > 16 * 1024 * json.length) return one;
  const valid = json.filter(isValidObservation).length;
  return { valid, invalid: json.length - valid };
}

function isValidObservation(json: unknown): boolean {
  const parsed = Observation.safeParse(json);
  return (
    parsed.success &&
    parsed.data.observedAtMs <= MAX_STORED_MS &&
    parsed.data.receivedAtMs <= MAX_STORED_MS &&
    // Lone surrogates do not survive a round trip through UTF-8.
    !Object.values(parsed.data).some((v) => typeof v === 'string' && (v.includes('\0') || Buffer.from(v, 'utf8').toString('utf8') !== v))
  );
}

/** A socket.io payload is JSON-like: a generated value with its Raw fragments parsed back where they parse. */
function revive(value: unknown): unknown {
  if (value instanceof Raw) {
    try {
      return JSON.parse(value.text) as unknown;
    } catch {
      return value.text;
    }
  }
  if (Array.isArray(value)) return value.map(revive);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  return value;
}

/** A socket once its first snapshot is in, and what it reads of its track frames. */
function connect(url: string, token: string): Promise<{ socket: Socket; feed: TrackFeed }> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true, timeout: 10_000 });
    const feed = followTracks(socket);
    void feed.nextSnapshot().then(() => resolve({ socket, feed }));
    socket.once('connect_error', (err) => reject(err));
  });
}

describe('the edge: rate limits, size limits, security headers, CORS', () => {
  let system: TestSystem;
  const ORIGIN = 'https://console.example.org';

  beforeAll(async () => {
    system = await startTestSystem({ env: { RATE_LIMIT_PER_MIN: '30', LOGIN_RATE_LIMIT_PER_MIN: '3', SOCKET_COMMANDS_PER_S: '5', CORS_ORIGINS: ORIGIN, METRICS_TOKEN } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('answers 429 with Retry-After once a user has spent the per-minute limit, and counts it; other users are not affected', async () => {
    const operator = await system.login('operator');
    let status = 200;
    let n = 0;
    let res: Response | undefined;
    while (status !== 429 && n < 100) {
      res = await system.api('/api/me', { as: operator });
      status = res.status;
      n++;
    }
    expect(status).toBe(429);
    expect(n, 'requests before the first 429').toBe(31);
    expect(Number(res!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res!.json()).toMatchObject({ error: 'rate-limited' });
    expect((await system.api('/api/me')).status, 'the supervisor has a budget of their own').toBe(200);
    expect(await counter(system, 'seawall_server_rate_limited_total', 'limit="api"')).toBeGreaterThanOrEqual(1);
  });

  it('slows password guessing: a few tries per minute per address and username, then 429', async () => {
    const tries = [];
    for (let i = 0; i < 5; i++) {
      tries.push((await fetch(`${system.server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: `guess number ${i}` }) })).status);
    }
    // The system's own sign-in as the supervisor, at its start, was the first of three.
    expect(tries).toEqual([401, 401, 429, 429, 429]);
    // Another username from the same address is a bucket of its own.
    await expect(loginAs(system.server.url, (await system.user('operator')).username)).resolves.toBeTruthy();
    expect(await counter(system, 'seawall_server_rate_limited_total', 'limit="login"')).toBeGreaterThanOrEqual(2);
  });

  it('limits socket.io commands per socket: past the limit a command is answered rate-limited', async () => {
    const { socket } = await connect(system.server.url, await system.login('unit', UNIT_ID));
    try {
      const acks = await Promise.all(Array.from({ length: 12 }, () => socket.timeout(5_000).emitWithAck('order:received', 'no-such-order') as Promise<{ ok: boolean; error?: string }>));
      expect(acks.filter((a) => a.error === 'rate-limited').length).toBeGreaterThanOrEqual(6);
      expect(acks.slice(0, 5).every((a) => a.error === 'not-found')).toBe(true);
      expect(socket.connected).toBe(true);
      expect(await counter(system, 'seawall_server_rate_limited_total', 'limit="socket"')).toBeGreaterThanOrEqual(6);
    } finally {
      socket.close();
    }
  });

  it('keeps /metrics behind METRICS_TOKEN when it is set', async () => {
    const metrics = (authorization?: string) => fetch(`${system.server.url}/metrics`, authorization ? { headers: { authorization } } : {});
    expect((await metrics()).status).toBe(401);
    expect((await metrics(`Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await metrics(METRICS_TOKEN)).status).toBe(401);
    const ok = await metrics(`Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('seawall_server_observations_received_total');
  });

  it('refuses an oversize body with 413 JSON, a long request target with 414, a body that is not JSON with 415', async () => {
    const operator = await system.login('operator');
    const big = await system.api('/api/alerts/no-such-alert/ack', { as: operator, json: { note: 'x'.repeat(20_000) } });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await big.json()).toMatchObject({ error: 'entity.too.large' });
    const long = await system.api(`/api/tracks?bbox=${'1'.repeat(5_000)}`, { as: operator });
    expect(long.status).toBe(414);
    expect(await long.json()).toMatchObject({ error: 'uri-too-long' });
    const text = await system.api('/api/alerts/no-such-alert/ack', { as: operator, method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
  });

  it('sends the security headers on pages and API answers; HSTS only behind https', async () => {
    for (const path of ['/', '/api/openapi.json', '/health']) {
      const res = await fetch(`${system.server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("worker-src 'self' blob:");
      expect(csp).toContain("manifest-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
    const https = await fetch(`${system.server.url}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });

  it('allows the listed origin (preflight and answers) and no other', async () => {
    const preflight = await fetch(`${system.server.url}/api/tracks`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const listed = await system.api('/api/me', { headers: { origin: ORIGIN } });
    expect(listed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const other = await system.api('/api/me', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await fetch(`${system.server.url}/api/tracks`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
    const polling = await fetch(`${system.server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ORIGIN } });
    expect(polling.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });
});
