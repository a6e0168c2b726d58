import type { Observation } from '@seawall/contracts';
import { distance, point, pointToLineDistance, polygonToLine } from '@turf/turf';
import type { Feature, LineString, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { HAINAN_VESSELS, RADAR_CONTACTS, SCENARIO_THREATS, scenarioMessages, vesselStateAt } from './hainan-scenario';
import type { LonLat } from './motion';
import { type Coastline, decodeThroughGateway, loadCoastline } from './test-support';

type Of<K extends Observation['kind']> = Extract<Observation, { kind: K }>;

const DAY = Date.UTC(2026, 0, 15);
/** Another day, for what depends on the everyday traffic around a threat (whose cycles are not a day). */
const OTHER_DAY = Date.UTC(2026, 6, 4);
const at = (s: number, day = DAY) => day + s * 1000;
const metres = (a: LonLat, b: LonLat) => distance(point([...a]), point([...b]), { units: 'meters' });
const lonLat = (o: { lon: number; lat: number }): LonLat => [o.lon, o.lat];
const localHour = (s: number) => (s / 3600 + 8) % 24;

/** Decoded observations of the scenario in [fromS, toS) of the test day. */
function observe(fromS: number, toS: number, day = DAY) {
  const { observations, rejections } = decodeThroughGateway(scenarioMessages(at(fromS, day), at(toS, day)));
  expect(rejections).toEqual([]);
  const of = <K extends Observation['kind']>(kind: K) => observations.filter((o): o is Of<K> => o.kind === kind);
  return { ais: of('ais.position'), statics: of('ais.static'), radar: of('radar.target') };
}

const targetNumberOf = (pred: (c: (typeof RADAR_CONTACTS)[number]['source']) => boolean) =>
  RADAR_CONTACTS.find((c) => pred(c.source))!.targetNumber;

let coast: Coastline;
let hainanShore: Feature<LineString>;

beforeAll(() => {
  coast = loadCoastline();
  hainanShore = polygonToLine(coast.land[0]!.feature as Feature<Polygon>) as Feature<LineString>;
});

/** Distance from the Hainan main island's shoreline. */
const offshoreM = (p: LonLat) => pointToLineDistance(point([...p]), hainanShore, { units: 'meters' });

describe('the threat schedule', () => {
  it('is data tests can read: times within the UTC day, in order', () => {
    const t = SCENARIO_THREATS;
    const spans = [
      [t.nightLanding.startS, t.nightLanding.landedS, t.nightLanding.endS],
      [t.aisDark.startS, t.aisDark.darkFromS, t.aisDark.darkToS, t.aisDark.endS],
      [t.shipToShip.meetFromS, t.shipToShip.meetToS],
      [t.spoofedMmsi.fromS, t.spoofedMmsi.toS],
    ];
    for (const span of spans) {
      expect(span.every((s) => s >= 0 && s < 86_400)).toBe(true);
      expect([...span].sort((a, b) => a - b)).toEqual(span);
    }
    // Local night (UTC+8) for the landing, from approach to last report.
    for (const s of [t.nightLanding.startS, t.nightLanding.landedS, t.nightLanding.endS]) {
      expect(localHour(s) < 5 || localHour(s) >= 22).toBe(true);
    }
  });
});

describe('(a) a boat without AIS runs to a beach at night and lands', () => {
  const a = SCENARIO_THREATS.nightLanding;
  let radar: Of<'radar.target'>[];
  let ais: Of<'ais.position'>[];
  const target = targetNumberOf((c) => 'id' in c && c.id === a.contactId);

  beforeAll(() => {
    const o = observe(a.startS - 120, a.endS + 120);
    radar = o.radar.filter((r) => r.sensorId === a.radarId && r.targetNumber === target);
    ais = o.ais;
  });

  it('is tracked by its radar scan by scan from the open sea to the beach, and not after', () => {
    const scans = (a.endS - a.startS) / 10;
    expect(radar.length).toBeGreaterThanOrEqual(scans - 1);
    expect(radar.length).toBeLessThanOrEqual(scans);
    expect(radar[0]!.observedAtMs).toBeLessThan(at(a.startS + 10));
    expect(radar.at(-1)!.observedAtMs).toBeGreaterThanOrEqual(at(a.endS - 10));
    expect(radar.at(-1)!.observedAtMs).toBeLessThan(at(a.endS));
    expect(metres(lonLat(radar[0]!), a.from)).toBeLessThan(200);
    expect(offshoreM(lonLat(radar[0]!))).toBeGreaterThan(20_000);
    const running = radar.filter((r) => r.observedAtMs < at(a.startS + 30 * 60));
    expect(Math.min(...running.map((r) => r.sogKn!))).toBeGreaterThan(20);
  });

  it('lands on the beach, outside any port, and stops there', () => {
    const landed = radar.filter((r) => r.observedAtMs >= at(a.landedS));
    expect(landed.length).toBeGreaterThan(300);
    for (const r of landed) {
      expect(metres(lonLat(r), a.beach)).toBeLessThan(150);
      expect(r.sogKn!).toBeLessThan(1);
    }
    expect(offshoreM(a.beach)).toBeLessThan(100);
    expect(coast.onLand(...a.beach)).toBe(false);
    const yangpuPort: LonLat = [109.208333, 19.725];
    expect(metres(a.beach, yangpuPort)).toBeGreaterThan(15_000);
  });

  it('has no AIS vessel anywhere near it, whatever the day', () => {
    const other = observe(a.startS - 120, a.endS + 120, OTHER_DAY);
    const days = [
      { radar, ais },
      { radar: other.radar.filter((r) => r.sensorId === a.radarId && r.targetNumber === target), ais: other.ais },
    ];
    for (const day of days) {
      expect(day.radar.length).toBeGreaterThan(600);
      for (const r of day.radar) {
        const near = day.ais.filter((p) => Math.abs(p.observedAtMs - r.observedAtMs) <= 30_000 && metres(lonLat(p), lonLat(r)) < 2_000);
        expect(near, `radar ${r.observedAtMs}`).toEqual([]);
      }
    }
  });
});

describe('(b) an AIS vessel goes dark near the coast and radar keeps seeing it', () => {
  const b = SCENARIO_THREATS.aisDark;
  const vessel = HAINAN_VESSELS.find((v) => v.mmsi === b.mmsi)!;
  const target = targetNumberOf((c) => c === vessel);
  let own: Of<'ais.position'>[];
  let radar: Of<'radar.target'>[];

  beforeAll(() => {
    const o = observe(b.darkFromS - 15 * 60, b.darkToS + 15 * 60);
    own = o.ais.filter((p) => p.mmsi === b.mmsi);
    radar = o.radar.filter((r) => r.sensorId === b.radarId && r.targetNumber === target);
  });

  it('stops its AIS for 25 minutes, then resumes', () => {
    const before = own.filter((p) => p.observedAtMs < at(b.darkFromS));
    const during = own.filter((p) => p.observedAtMs >= at(b.darkFromS) && p.observedAtMs < at(b.darkToS));
    const after = own.filter((p) => p.observedAtMs >= at(b.darkToS));
    expect(before.length).toBeGreaterThan(50);
    expect(during).toEqual([]);
    expect(at(b.darkFromS) - before.at(-1)!.observedAtMs).toBeLessThanOrEqual(10_000);
    expect(after[0]!.observedAtMs - at(b.darkToS)).toBeLessThanOrEqual(10_000);
    expect(b.darkToS - b.darkFromS).toBeGreaterThan(10 * 60);
  });

  it('keeps moving in the near-sea ring while radar tracks it at its position', () => {
    const dark = radar.filter((r) => r.observedAtMs >= at(b.darkFromS) && r.observedAtMs < at(b.darkToS));
    expect(dark).toHaveLength((b.darkToS - b.darkFromS) / 10);
    for (const r of dark) {
      const truth = vesselStateAt(vessel, r.observedAtMs)!;
      expect(metres(lonLat(r), lonLat(truth))).toBeLessThan(150);
      expect(r.sogKn!).toBeGreaterThan(7);
    }
    for (const r of dark.filter((_, i) => i % 30 === 0)) expect(offshoreM(lonLat(r))).toBeLessThan(24 * 1852);
    expect(metres(lonLat(dark[0]!), lonLat(dark.at(-1)!))).toBeGreaterThan(5_000);
    // Where AIS left off and where it came back, the radar target lines up with the AIS track.
    const lastAis = own.filter((p) => p.observedAtMs < at(b.darkFromS)).at(-1)!;
    expect(metres(lonLat(lastAis), lonLat(dark[0]!))).toBeLessThan(300);
  });
});

describe('(c) two vessels meet at sea and lie together for 40 minutes', () => {
  const c = SCENARIO_THREATS.shipToShip;
  let ais: Of<'ais.position'>[];
  let radar: Of<'radar.target'>[];

  beforeAll(() => {
    const o = observe(c.meetFromS - 20 * 60, c.meetToS + 20 * 60);
    ais = o.ais.filter((p) => (c.mmsis as readonly number[]).includes(p.mmsi));
    radar = o.radar.filter((r) => r.sensorId === c.radarId);
  });

  const nearestOf = (mmsi: number, tMs: number) =>
    ais.filter((p) => p.mmsi === mmsi).reduce((best, p) => (Math.abs(p.observedAtMs - tMs) < Math.abs(best.observedAtMs - tMs) ? p : best));

  it('keeps both within 200 m of each other and under 2 knots for the whole meeting', () => {
    const [first, second] = c.mmsis;
    const during = ais.filter((p) => p.observedAtMs >= at(c.meetFromS) && p.observedAtMs < at(c.meetToS));
    expect(during.filter((p) => p.mmsi === first).length).toBeGreaterThan(200);
    expect(during.filter((p) => p.mmsi === second).length).toBeGreaterThanOrEqual(12);
    for (const p of during) {
      expect(p.sogKn!).toBeLessThan(c.maxSogKn);
      const other = nearestOf(p.mmsi === first ? second : first, p.observedAtMs);
      expect(Math.abs(other.observedAtMs - p.observedAtMs)).toBeLessThanOrEqual(180_000);
      expect(metres(lonLat(p), lonLat(other))).toBeLessThan(c.maxDistanceM);
      expect(metres(lonLat(p), c.at)).toBeLessThan(500);
    }
  });

  it('meets at sea outside any port, and the two part afterwards', () => {
    expect(offshoreM(c.at)).toBeGreaterThan(10_000);
    expect(metres(c.at, [109.208333, 19.725])).toBeGreaterThan(20_000);
    const apart = (tMs: number) => metres(lonLat(nearestOf(c.mmsis[0], tMs)), lonLat(nearestOf(c.mmsis[1], tMs)));
    expect(apart(at(c.meetFromS - 20 * 60))).toBeGreaterThan(2_000);
    expect(apart(at(c.meetToS + 20 * 60))).toBeGreaterThan(2_000);
  });

  it('shows the radar two targets there', () => {
    const mid = at((c.meetFromS + c.meetToS) / 2);
    const scan = radar.filter((r) => Math.abs(r.observedAtMs - mid) < 10_000 && metres(lonLat(r), c.at) < 500);
    expect(new Set(scan.map((r) => r.targetNumber)).size).toBe(2);
  });
});

describe('(d) a spoofed MMSI is heard in two places at once', () => {
  const d = SCENARIO_THREATS.spoofedMmsi;
  let own: Of<'ais.position'>[];

  beforeAll(() => {
    own = observe(d.fromS - 60, d.toS + 60).ais.filter((p) => p.mmsi === d.mmsi);
  });

  it('reports the ferry in the strait and the spoofer off Sanya in the same hour', () => {
    const strait = own.filter((p) => p.lat > 19.9);
    const sanya = own.filter((p) => p.lat < 18.2);
    expect(strait.length).toBeGreaterThan(15);
    expect(sanya.length).toBeGreaterThanOrEqual((d.toS - d.fromS) / 10 - 1);
    expect(sanya.every((p) => p.sensorId === d.spoofReceiver && p.observedAtMs >= at(d.fromS) && p.observedAtMs < at(d.toS))).toBe(true);
    expect(metres(lonLat(sanya[0]!), d.spoofTrack[0])).toBeLessThan(300);
    // Between consecutive fixes from the two places the vessel would have to fly.
    const inOrder = [...own].sort((x, y) => x.observedAtMs - y.observedAtMs);
    let fastestKn = 0;
    for (let i = 1; i < inOrder.length; i++) {
      const [p, q] = [inOrder[i - 1]!, inOrder[i]!];
      const hours = Math.max(1, q.observedAtMs - p.observedAtMs) / 3_600_000;
      fastestKn = Math.max(fastestKn, metres(lonLat(p), lonLat(q)) / 1852 / hours);
    }
    expect(fastestKn).toBeGreaterThan(1_000);
    expect(metres(lonLat(strait[0]!), lonLat(sanya[0]!))).toBeGreaterThan(200_000);
  });
});

describe('a vessel with an invalid MMSI and no name', () => {
  it('reports all day, and its static data carries no name', () => {
    const { mmsi } = SCENARIO_THREATS.invalidMmsi;
    const o = observe(12 * 3600, 12 * 3600 + 15 * 60);
    expect(o.ais.filter((p) => p.mmsi === mmsi).length).toBeGreaterThan(20);
    const names = o.statics.filter((s) => s.mmsi === mmsi && s.msgType === 24).map((s) => s.shipName);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => n === null || n === '')).toBe(true);
  });
});
