import { describe, expect, it } from 'vitest';
import { deadReckon, distanceM, KNOT_MS } from '../fusion/geo-math';
import { interceptPoint, MAX_LOOK_AHEAD_MS, type Mover } from './intercept';

const HAIKOU = { lon: 110.2767, lat: 20.0296 };
const SANYA = { lon: 109.5, lat: 18.25 };
const WENCHANG = { lon: 110.899, lat: 19.568 };

/** The target's position `timeMs` after the fix, along its course. */
function targetAt(target: Mover, timeMs: number): [number, number] {
  return deadReckon(target.lon, target.lat, target.sogKn, target.cogDeg, timeMs);
}

/** A catchable intercept is one where the unit, steaming straight at its speed, and the target arrive together. */
function expectMeeting(from: { lon: number; lat: number }, speedKn: number, target: Mover, r: ReturnType<typeof interceptPoint>): void {
  expect(r.catchable).toBe(true);
  const unitRunM = distanceM(from.lon, from.lat, r.lon, r.lat);
  expect(unitRunM / (speedKn * KNOT_MS)).toBeCloseTo(r.timeMs / 1000, -1); // within a few seconds
  const [lon, lat] = targetAt(target, r.timeMs);
  expect(distanceM(lon, lat, r.lon, r.lat)).toBeLessThan(0.002 * unitRunM + 5);
}

describe('interceptPoint', () => {
  it('meets a target crossing ahead in the Qiongzhou Strait at a point along its track, ahead of where it is now', () => {
    const target: Mover = { lon: 110.45, lat: 20.15, sogKn: 12, cogDeg: 270 };
    const r = interceptPoint(HAIKOU, 28, target);
    expectMeeting(HAIKOU, 28, target, r);
    expect(r.lat).toBeCloseTo(target.lat, 6);
    expect(r.lon).toBeLessThan(target.lon);
    expect(r.lon).toBeGreaterThan(HAIKOU.lon);
    // Leading the target beats chasing it: sooner than driving to where it is now.
    expect(r.timeMs).toBeLessThan((distanceM(HAIKOU.lon, HAIKOU.lat, target.lon, target.lat) / (28 * KNOT_MS)) * 1000);
  });

  it('meets a target coming head on after the distance over the closing speed', () => {
    const [lon, lat] = deadReckon(SANYA.lon, SANYA.lat, 1, 180, 3600_000 * (20_000 / 1852)); // 20 km south of Sanya
    const target: Mover = { lon, lat, sogKn: 10, cogDeg: 0 };
    const r = interceptPoint(SANYA, 30, target);
    expectMeeting(SANYA, 30, target, r);
    expect(r.timeMs / 1000).toBeCloseTo(20_000 / (40 * KNOT_MS), -1);
  });

  it('overtakes a slower target moving away after the distance over the speed difference', () => {
    const [lon, lat] = deadReckon(WENCHANG.lon, WENCHANG.lat, 1, 90, 3600_000 * (10_000 / 1852)); // 10 km east of Wenchang
    const target: Mover = { lon, lat, sogKn: 8, cogDeg: 90 };
    const r = interceptPoint(WENCHANG, 25, target);
    expectMeeting(WENCHANG, 25, target, r);
    expect(r.timeMs / 1000).toBeCloseTo(10_000 / (17 * KNOT_MS), -1);
  });

  it('solves the equal-speed case, where the equation is linear: head on, they meet half way', () => {
    const [lon, lat] = deadReckon(HAIKOU.lon, HAIKOU.lat, 1, 0, 3600_000 * (12_000 / 1852));
    const r = interceptPoint(HAIKOU, 15, { lon, lat, sogKn: 15, cogDeg: 180 });
    expect(r.catchable).toBe(true);
    expect(r.timeMs / 1000).toBeCloseTo(6_000 / (15 * KNOT_MS), 0);
    expect(distanceM(HAIKOU.lon, HAIKOU.lat, r.lon, r.lat)).toBeCloseTo(6_000, -1);
  });

  it('cannot catch a target of equal speed moving away', () => {
    const [lon, lat] = deadReckon(HAIKOU.lon, HAIKOU.lat, 1, 0, 3600_000 * (12_000 / 1852));
    expect(interceptPoint(HAIKOU, 15, { lon, lat, sogKn: 15, cogDeg: 0 })).toMatchObject({ lon, lat, catchable: false });
  });

  it('cannot catch a target faster than the unit and moving away: it answers with the target’s current position', () => {
    const target: Mover = { lon: 109.55, lat: 18.1, sogKn: 35, cogDeg: 200 }; // south-west, away from Sanya
    const r = interceptPoint(SANYA, 20, target);
    expect(r).toMatchObject({ lon: target.lon, lat: target.lat, catchable: false });
    expect(r.timeMs / 1000).toBeCloseTo(distanceM(SANYA.lon, SANYA.lat, target.lon, target.lat) / (20 * KNOT_MS), 3);
  });

  it('cuts off a faster target coming across its bow, at the first point it can reach', () => {
    // A go-fast boat at 35 kn, 12 km east-north-east of Haikou, steering 255°: 15° off the line to the unit,
    // inside the 35° (asin 20/35) within which a 20 kn boat can still reach its track.
    const [lon, lat] = deadReckon(HAIKOU.lon, HAIKOU.lat, 1, 60, 3600_000 * (12_000 / 1852));
    const target: Mover = { lon, lat, sogKn: 35, cogDeg: 255 };
    const r = interceptPoint(HAIKOU, 20, target);
    expectMeeting(HAIKOU, 20, target, r);
    // The first of the two meetings: at no earlier time could the unit have been where the target was.
    for (let k = 1; k < 100; k++) {
      const t = (r.timeMs * k) / 100;
      const [tLon, tLat] = targetAt(target, t);
      expect(distanceM(HAIKOU.lon, HAIKOU.lat, tLon, tLat)).toBeGreaterThan(20 * KNOT_MS * (t / 1000));
    }
  });

  it('lets a faster target that passes out of reach go: not catchable', () => {
    // The same boat steering 300°: 60° off the line, it passes beyond what 20 kn can reach.
    const [lon, lat] = deadReckon(HAIKOU.lon, HAIKOU.lat, 1, 60, 3600_000 * (12_000 / 1852));
    expect(interceptPoint(HAIKOU, 20, { lon, lat, sogKn: 35, cogDeg: 300 })).toMatchObject({ lon, lat, catchable: false });
  });

  it('does not look more than six hours ahead: a target only slightly slower and far away is not catchable', () => {
    const [lon, lat] = deadReckon(WENCHANG.lon, WENCHANG.lat, 1, 90, 3600_000 * (50_000 / 1852));
    const target: Mover = { lon, lat, sogKn: 19, cogDeg: 90 };
    expect(interceptPoint(WENCHANG, 20, target)).toMatchObject({ lon, lat, catchable: false });
    const within = interceptPoint(WENCHANG, 20, target, { maxLookAheadMs: 48 * 3600_000 });
    expect(within.catchable).toBe(true);
    expect(within.timeMs).toBeGreaterThan(MAX_LOOK_AHEAD_MS);
  });

  it.each<[string, Partial<Mover>]>([
    ['no speed', { sogKn: null, cogDeg: 90 }],
    ['drifting under half a knot', { sogKn: 0.3, cogDeg: 90 }],
    ['speed but no course', { sogKn: 9, cogDeg: null }],
  ])('sends the unit to a static target’s position (%s)', (_, motion) => {
    const target: Mover = { lon: 110.35, lat: 20.08, sogKn: null, cogDeg: null, ...motion };
    const r = interceptPoint(HAIKOU, 25, target);
    expect(r).toMatchObject({ lon: 110.35, lat: 20.08, catchable: true });
    expect(r.timeMs / 1000).toBeCloseTo(distanceM(HAIKOU.lon, HAIKOU.lat, 110.35, 20.08) / (25 * KNOT_MS), 3);
  });

  it('meets at once a target that is where the unit is', () => {
    expect(interceptPoint(HAIKOU, 25, { ...HAIKOU, sogKn: 10, cogDeg: 30 })).toEqual({ ...HAIKOU, timeMs: 0, catchable: true });
    expect(interceptPoint(HAIKOU, 25, { ...HAIKOU, sogKn: null, cogDeg: null })).toEqual({ ...HAIKOU, timeMs: 0, catchable: true });
  });

  it('gives a unit that cannot move no intercept and an infinite time', () => {
    expect(interceptPoint(HAIKOU, 0, { lon: 110.35, lat: 20.08, sogKn: 10, cogDeg: 0 })).toMatchObject({
      lon: 110.35,
      lat: 20.08,
      timeMs: Number.POSITIVE_INFINITY,
      catchable: false,
    });
  });
});
