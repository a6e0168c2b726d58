import { Unit as UnitSchema, type Ring, type Unit, type UnitId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { deadReckon, distanceM } from '../fusion/geo-math';
import type { Mover } from './intercept';
import { candidateUnits, capabilitiesFor, interceptsFor, rankSuggestions, type PlacedUnit } from './suggest';

const T0 = Date.UTC(2026, 0, 15, 14, 0, 0);
const HAIKOU = { lon: 110.2767, lat: 20.0296 };
const SANYA = { lon: 109.5, lat: 18.25 };
const WENCHANG = { lon: 110.899, lat: 19.568 };

function unit(id: string, kind: Unit['kind'], at: { lon: number; lat: number } | null, over: Partial<Unit> = {}): Unit {
  const capabilities: Unit['capabilities'] = kind === 'patrol-boat' ? ['sea'] : kind === 'shore-vehicle' ? ['land'] : ['air'];
  const speedKn = kind === 'patrol-boat' ? 25 : kind === 'shore-vehicle' ? 30 : 20;
  return UnitSchema.parse({
    id,
    name: id,
    kind,
    capabilities,
    status: 'available',
    homeBase: null,
    speedKn,
    lon: at?.lon ?? null,
    lat: at?.lat ?? null,
    positionAtMs: at ? T0 : null,
    ...over,
  });
}

/** A point `km` away from `from` on bearing `deg`. */
function offset(from: { lon: number; lat: number }, deg: number, km: number): { lon: number; lat: number } {
  const [lon, lat] = deadReckon(from.lon, from.lat, 1, deg, 3600_000 * ((km * 1000) / 1852));
  return { lon, lat };
}

/** The whole suggestion pass as the server runs it, with haversine standing in for PostGIS's geodesic distance. */
function suggest(units: Unit[], target: Mover, ring: Ring | null) {
  const planned = interceptsFor(candidateUnits(units, capabilitiesFor(ring)), target);
  return rankSuggestions(planned.map(({ unit, intercept }) => ({ unit, intercept, distanceM: distanceM(unit.lon, unit.lat, intercept.lon, intercept.lat) })));
}

const ids = (s: { unit: Unit }[]) => s.map((x) => x.unit.id);

describe('capabilitiesFor', () => {
  it.each<[Ring | null, string[]]>([
    ['near-sea', ['sea']],
    ['shoreline', ['sea', 'land']],
    ['inland', ['land']],
    ['outside', ['sea']],
    [null, ['sea']],
  ])('a target in %s needs %j', (ring, needed) => {
    expect(capabilitiesFor(ring)).toEqual(needed);
  });
});

describe('candidateUnits', () => {
  it('keeps available and returning units with a position and a needed capability, in the order given', () => {
    const units = [
      unit('pb-haikou', 'patrol-boat', HAIKOU),
      unit('pb-returning', 'patrol-boat', WENCHANG, { status: 'returning' }),
      unit('pb-assigned', 'patrol-boat', HAIKOU, { status: 'assigned' }),
      unit('pb-en-route', 'patrol-boat', HAIKOU, { status: 'en-route' }),
      unit('pb-on-scene', 'patrol-boat', HAIKOU, { status: 'on-scene' }),
      unit('pb-off-duty', 'patrol-boat', HAIKOU, { status: 'off-duty' }),
      unit('pb-no-fix', 'patrol-boat', null),
      unit('sv-haikou', 'shore-vehicle', HAIKOU),
      unit('dt-sanya', 'drone-team', SANYA),
    ];
    expect(ids(candidateUnits(units, ['sea']).map((u) => ({ unit: u })))).toEqual(['pb-haikou', 'pb-returning']);
    expect(ids(candidateUnits(units, ['sea', 'land']).map((u) => ({ unit: u })))).toEqual(['pb-haikou', 'pb-returning', 'sv-haikou']);
    expect(ids(candidateUnits(units, ['air']).map((u) => ({ unit: u })))).toEqual(['dt-sanya']);
  });

  it('takes a unit with several capabilities when any one is needed', () => {
    const amphibious = unit('hover-01', 'patrol-boat', HAIKOU, { capabilities: ['sea', 'land'] });
    expect(candidateUnits([amphibious], ['land'])).toEqual([amphibious]);
    expect(candidateUnits([amphibious], [])).toEqual([]);
  });
});

describe('rankSuggestions', () => {
  it('computes the ETA from the geodesic distance and the unit’s speed: 10 NM at 20 kn is half an hour', () => {
    const [s] = rankSuggestions([
      { unit: unit('pb-01', 'patrol-boat', HAIKOU, { speedKn: 20 }), intercept: { lon: 110.4, lat: 20.1, catchable: true }, distanceM: 18_520 },
    ]);
    expect(s).toMatchObject({ unit: { id: 'pb-01' }, intercept: { lon: 110.4, lat: 20.1 }, distanceM: 18_520, catchable: true });
    expect(Object.keys(s!.intercept)).toEqual(['lon', 'lat']);
    expect(s!.etaMs).toBeCloseTo(1_800_000, 3);
  });

  it('breaks ETA ties by distance, then by unit id', () => {
    const at = { lon: 110.4, lat: 20.1, catchable: true };
    const ranked = rankSuggestions([
      { unit: unit('pb-c', 'patrol-boat', HAIKOU, { speedKn: 20 }), intercept: at, distanceM: 10_000 },
      { unit: unit('pb-b', 'patrol-boat', HAIKOU, { speedKn: 20 }), intercept: at, distanceM: 10_000 },
      // Same ETA as the others (twice as far at twice the speed) but farther.
      { unit: unit('pb-a', 'patrol-boat', HAIKOU, { speedKn: 40 }), intercept: at, distanceM: 20_000 },
    ]);
    expect(ids(ranked)).toEqual(['pb-b', 'pb-c', 'pb-a']);
  });

  it('puts the units that can catch the target before those that cannot, however close those are', () => {
    const ranked = rankSuggestions([
      { unit: unit('pb-near-slow', 'patrol-boat', HAIKOU, { speedKn: 15 }), intercept: { lon: 110.3, lat: 20.05, catchable: false }, distanceM: 3_000 },
      { unit: unit('pb-far-fast', 'patrol-boat', WENCHANG, { speedKn: 40 }), intercept: { lon: 110.5, lat: 20.0, catchable: true }, distanceM: 60_000 },
    ]);
    expect(ranked.map((s) => [s.unit.id, s.catchable])).toEqual([
      ['pb-far-fast', true],
      ['pb-near-slow', false],
    ]);
  });

  it('returns nothing for no candidates', () => {
    expect(rankSuggestions([])).toEqual([]);
  });
});

describe('suggesting units for a target', () => {
  const fleet = [
    unit('pb-haikou', 'patrol-boat', HAIKOU),
    unit('pb-wenchang', 'patrol-boat', WENCHANG),
    unit('pb-sanya', 'patrol-boat', SANYA),
    unit('sv-haikou', 'shore-vehicle', HAIKOU),
    unit('dt-haikou', 'drone-team', HAIKOU),
  ];

  it('sends the nearest capable boat to a target drifting off Haikou, and no shore vehicle or drone team', () => {
    const target: Mover = { ...offset(HAIKOU, 20, 9), sogKn: 0.2, cogDeg: 140 };
    const ranked = suggest(fleet, target, 'near-sea');
    expect(ids(ranked)).toEqual(['pb-haikou', 'pb-wenchang', 'pb-sanya']);
    expect(ranked[0]).toMatchObject({ intercept: { lon: target.lon, lat: target.lat }, catchable: true });
    expect(ranked[0]!.distanceM).toBeCloseTo(9_000, -1);
  });

  it('adds shore vehicles for a target on the shoreline, the one already there first', () => {
    const target: Mover = { ...offset(HAIKOU, 90, 2), sogKn: null, cogDeg: null };
    expect(ids(suggest(fleet, target, 'shoreline'))).toEqual(['sv-haikou', 'pb-haikou', 'pb-wenchang', 'pb-sanya']);
  });

  it('sends only shore vehicles inland', () => {
    expect(ids(suggest(fleet, { ...offset(HAIKOU, 180, 15), sogKn: 3, cogDeg: 180 }, 'inland'))).toEqual(['sv-haikou']);
  });

  it('prefers a faster boat farther off to a slower one nearer when it gets there first', () => {
    const target: Mover = { lon: 110.62, lat: 19.85, sogKn: null, cogDeg: null };
    const slowNear = unit('pb-slow', 'patrol-boat', offset(target, 270, 12), { speedKn: 10 });
    const fastFar = unit('pb-fast', 'patrol-boat', offset(target, 90, 25), { speedKn: 35 });
    const ranked = suggest([slowNear, fastFar], target, 'near-sea');
    expect(ids(ranked)).toEqual(['pb-fast', 'pb-slow']);
    expect(ranked[0]!.distanceM).toBeGreaterThan(ranked[1]!.distanceM);
    expect(ranked[0]!.etaMs).toBeLessThan(ranked[1]!.etaMs);
  });

  it('leads a moving target: the suggested point is where the boat meets it, and the ETA agrees with the intercept time', () => {
    const target: Mover = { lon: 110.45, lat: 20.15, sogKn: 12, cogDeg: 270 };
    const [best] = suggest(fleet, target, 'near-sea');
    const [planned] = interceptsFor([best!.unit as PlacedUnit], target);
    expect(best!.unit.id).toBe('pb-haikou');
    expect(best!.intercept.lon).toBeLessThan(target.lon);
    expect(best!.etaMs / planned!.intercept.timeMs).toBeCloseTo(1, 2);
  });

  it('ranks a boat that cannot catch a fast target running away after one that can head it off', () => {
    // A 35 kn go-fast 10 km south-west of Sanya running south-west: the Sanya boat (25 kn) can never catch it;
    // a 45 kn interceptor farther east can.
    const target: Mover = { ...offset(SANYA, 225, 10), sogKn: 35, cogDeg: 225 };
    const interceptor = unit('pb-interceptor', 'patrol-boat', offset(SANYA, 90, 20), { speedKn: 45 });
    const ranked = suggest([fleet[2]!, interceptor], target, 'outside');
    expect(ranked.map((s) => [s.unit.id, s.catchable])).toEqual([
      ['pb-interceptor', true],
      ['pb-sanya', false],
    ]);
    expect(ranked[1]!.intercept).toEqual({ lon: target.lon, lat: target.lat });
  });
});
