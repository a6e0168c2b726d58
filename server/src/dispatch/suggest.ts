import type { Capability, Ring, Unit, UnitStatus } from '@seawall/contracts';
import { KNOT_MS } from '../fusion/geo-math';
import { interceptPoint, type Intercept, type Mover } from './intercept';

/** A unit that could be sent, with where it would meet the target and how long it would take. */
export interface Suggestion {
  unit: Unit;
  intercept: { lon: number; lat: number };
  distanceM: number;
  etaMs: number;
  catchable: boolean;
}

/** A unit with a known position. */
export type PlacedUnit = Unit & { lon: number; lat: number };

const DISPATCHABLE: ReadonlySet<UnitStatus> = new Set<UnitStatus>(['available', 'returning']);

/** Which capabilities a target in this ring needs: near-sea → ['sea']; shoreline → ['sea','land']; inland → ['land']; outside/null → ['sea']. */
export function capabilitiesFor(ring: Ring | null): Capability[] {
  switch (ring) {
    case 'shoreline':
      return ['sea', 'land'];
    case 'inland':
      return ['land'];
    case 'near-sea':
    case 'outside':
    case null:
      return ['sea'];
  }
}

/** Candidates: units whose status is 'available' (or 'returning'), with a known position, with one of the needed capabilities. Input order is kept. */
export function candidateUnits(units: Iterable<Unit>, needed: readonly Capability[]): PlacedUnit[] {
  const out: PlacedUnit[] = [];
  for (const u of units) {
    if (!DISPATCHABLE.has(u.status) || u.lon === null || u.lat === null) continue;
    if (u.capabilities.some((c) => needed.includes(c))) out.push(u as PlacedUnit);
  }
  return out;
}

/** Each candidate's intercept of the target, at the unit's own speed: the caller then asks PostGIS for the distances. */
export function interceptsFor(candidates: readonly PlacedUnit[], target: Mover): { unit: PlacedUnit; intercept: Intercept }[] {
  return candidates.map((unit) => ({ unit, intercept: interceptPoint(unit, unit.speedKn, target) }));
}

/**
 * Ranks candidates by ETA, given the geodesic distance (metres) from each unit to its intercept point — the
 * caller gets those from PostGIS (ST_Distance on geography) — ties by distance then unit id.
 * etaMs = distanceM / (speedKn * 1852 / 3600 s). Units that can catch the target come before those that
 * cannot: an uncatchable unit's ETA is only to where the target is now, which it will have left.
 */
export function rankSuggestions(
  candidates: readonly { unit: Unit; intercept: { lon: number; lat: number; catchable: boolean }; distanceM: number }[],
): Suggestion[] {
  return candidates
    .map(({ unit, intercept, distanceM }) => ({
      unit,
      intercept: { lon: intercept.lon, lat: intercept.lat },
      distanceM,
      etaMs: (distanceM / (unit.speedKn * KNOT_MS)) * 1000,
      catchable: intercept.catchable,
    }))
    .sort(
      (a, b) =>
        Number(b.catchable) - Number(a.catchable) ||
        a.etaMs - b.etaMs ||
        a.distanceM - b.distanceM ||
        (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0),
    );
}
