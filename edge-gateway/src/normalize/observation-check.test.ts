import { readdirSync, readFileSync } from 'node:fs';
import {
  AisPositionObservation,
  AisStaticObservation,
  FAST_OBSERVATION_FIELDS,
  Observation,
  RadarTargetObservation,
  UnitPositionObservation,
  safeParseAisPosition,
  safeParseAisStatic,
  safeParseObservation,
  safeParseRadarTarget,
  safeParseUnitPosition,
} from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { createAisHandler } from '../pipeline/ais-handler';
import { createRadarHandler } from '../pipeline/radar-handler';
import { loadRadarSites } from './radar-observation-sites';

const fixtures = new URL('../../../../shared/fixtures/', import.meta.url);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every observation the gateway makes of the AIS and radar fixture corpora, as the server receives it. */
function fixtureObservations(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const ais = createAisHandler('gw-check', 0);
  for (const file of readdirSync(new URL('ais/', fixtures)).filter((f) => /\.(aivdm|log|nmea|txt)$/.test(f))) {
    const text = readFileSync(new URL(`ais/${file}`, fixtures), 'latin1');
    text.split('\n').forEach((line, i) => {
      for (const obs of ais.handle('rx-check', Buffer.from(line, 'latin1'), 1_764_201_600_000 + i).observations) out.push(obs);
    });
  }
  const sites = loadRadarSites();
  const radar = createRadarHandler('gw-check', sites);
  const site = [...sites.keys()][0]!;
  for (const file of ['radar/ttm-tll-valid.nmea', 'radar/gpsd-NMEA-TTM-TLL.txt']) {
    readFileSync(new URL(file, fixtures), 'latin1').split('\n').forEach((line, i) => {
      for (const obs of radar.handle(site, Buffer.from(line, 'latin1'), 1_764_201_600_000 + i).observations) out.push(obs);
    });
  }
  out.push(
    { obsId: 'u1', sensorId: 'unit-gw', gatewayId: 'gw', observedAtMs: 1, receivedAtMs: 2, kind: 'unit.position', unitId: 'pb-01', lon: 110.1, lat: 20.05, sogKn: 18.5, cogDeg: null },
  );
  return out.map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
}

/** Same keys in the same order, each value the same (-0 and NaN included): what a flat observation's copy must be. */
function sameObservation(a: unknown, b: unknown): boolean {
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const HOSTILE_VALUES: unknown[] = [
  null, undefined, true, false, 0, -0, 1, -1, 0.5, 15, 16, 27, 28, 255, 256, 999, 1000, 180, 180.0001, -180.0001, 90.5, -90.5,
  999_999_999, 1_000_000_000, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 8_640_000_000_000_000, 8_640_000_000_000_001, 1e300,
  -1e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_SAFE_INTEGER, Number.MIN_SAFE_INTEGER - 2,
  '', 'x', '1', 'A', 'B', 'SAR', 'BASE', 'C', 'tracking', 'query', 'lost', 'ais.position', 'ais.static', 'radar.target',
  'unit.position', 'drone.telemetry', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(256),
  'x'.repeat(257), '😀'.repeat(64), '😀'.repeat(65), '😀'.repeat(128), '😀'.repeat(129), '😀'.repeat(256), '\ud800'.repeat(65),
  '\u0000', {}, [], [1], { valueOf: () => 1 },
];

/** One hostile variant of a valid observation. */
function mutate(obs: Record<string, unknown>, rand: () => number): unknown {
  const keys = Object.keys(obs);
  const key = keys[Math.floor(rand() * keys.length)]!;
  const pickValue = () => HOSTILE_VALUES[Math.floor(rand() * HOSTILE_VALUES.length)];
  const copy = { ...obs };
  switch (Math.floor(rand() * 10)) {
    case 0:
    case 1:
    case 2:
    case 3: // one value replaced
      copy[key] = pickValue();
      return copy;
    case 4: // two values replaced
      copy[key] = pickValue();
      copy[keys[Math.floor(rand() * keys.length)]!] = pickValue();
      return copy;
    case 5: // a key removed
      delete copy[key];
      return copy;
    case 6: // a key added, sometimes one JSON.parse makes an own property of
      return rand() < 0.5 ? { ...copy, extra: pickValue() } : JSON.parse(JSON.stringify(copy).replace(/^\{/, '{"__proto__":{"x":1},'));
    case 7: { // the keys in another order
      const order = [...keys].sort(() => rand() - 0.5);
      return Object.fromEntries(order.map((k) => [k, obs[k]]));
    }
    case 8: // not a plain object
      return [Object.assign(Object.create(null), obs), Object.assign(Object.create({ inherited: 1 }), obs), [obs], JSON.stringify(obs), null][Math.floor(rand() * 5)];
    default: // unchanged
      return copy;
  }
}

const PARSERS = [
  ['Observation', safeParseObservation, Observation],
  ['AisPositionObservation', safeParseAisPosition, AisPositionObservation],
  ['AisStaticObservation', safeParseAisStatic, AisStaticObservation],
  ['RadarTargetObservation', safeParseRadarTarget, RadarTargetObservation],
  ['UnitPositionObservation', safeParseUnitPosition, UnitPositionObservation],
] as const;

function expectSameAsSchema(value: unknown, what: string): void {
  for (const [name, fast, schema] of PARSERS) {
    const a = fast(value);
    const b = schema.safeParse(value);
    if (a.success !== b.success || (a.success && b.success && !sameObservation(a.data, b.data))) {
      throw new Error(`${name} differs from its schema on ${what}: ${String(JSON.stringify(value))?.slice(0, 400)}`);
    }
  }
}

describe('the observation schemas with their fast path', () => {
  const valid = fixtureObservations();

  it('list each schema\'s keys in the order of its shape', () => {
    const schemas = { 'ais.position': AisPositionObservation, 'ais.static': AisStaticObservation, 'radar.target': RadarTargetObservation, 'unit.position': UnitPositionObservation };
    for (const [kind, fields] of Object.entries(FAST_OBSERVATION_FIELDS)) {
      expect(fields.map(([k]) => k)).toEqual(Object.keys(schemas[kind as keyof typeof schemas].shape));
    }
  });

  it('take the fast path for every observation the gateway makes of the fixtures, with the schema\'s result', () => {
    const kinds = new Set(valid.map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ais.position', 'ais.static', 'radar.target', 'unit.position']);
    expect(valid.length).toBeGreaterThan(2500);
    for (const obs of valid) {
      const fast = safeParseObservation(obs);
      // The fast path returns the value itself; zod returns a copy.
      expect(fast.success && fast.data === obs).toBe(true);
      expectSameAsSchema(obs, 'a fixture observation');
    }
  });

  it('agree with the schemas on 40,000 hostile variants of fixture observations', () => {
    const rand = prng(7);
    for (let i = 0; i < 40_000; i++) {
      const obs = valid[Math.floor(rand() * valid.length)]!;
      expectSameAsSchema(mutate(obs, rand), `case ${i} (seed 7)`);
    }
  });

  it('agree with the schemas on every hostile value in every field of every kind', () => {
    const oneOfEach = new Map(valid.map((o) => [o.kind, o]));
    for (const obs of oneOfEach.values()) {
      for (const key of Object.keys(obs)) {
        for (const value of HOSTILE_VALUES) expectSameAsSchema({ ...obs, [key]: value }, `${String(obs.kind)}.${key} = ${String(value)}`);
      }
    }
  });
});
