import type { Observation, SensorKind } from '@seawall/contracts';
import { distance, point } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRadarSites } from '../normalize/radar-observation-sites';
import { solveGeodesicDirect } from '../geodesy/geodesic-direct';
import { DRONE_HOME, DRONE_SORTIE_PLAN } from './drone-patrol';
import {
  HAINAN_VESSELS,
  RADAR_CONTACTS,
  RADAR_ONLY_CONTACTS,
  SCENARIO_THREATS,
  type ScenarioTextMessage,
  scenarioMessages,
  vesselStateAt,
} from './hainan-scenario';
import type { LonLat } from './motion';
import { RADAR_RANGE_NM, rangeBearing } from './radar-scan';
import { type Coastline, decodeThroughGateway, loadCoastline } from './test-support';

type Of<K extends Observation['kind']> = Extract<Observation, { kind: K }>;

const DAY = Date.UTC(2026, 0, 15);
const HOUR_MS = 3_600_000;
const metres = (a: LonLat, b: LonLat) => distance(point([...a]), point([...b]), { units: 'meters' });
const lonLat = (o: { lon: number; lat: number }): LonLat => [o.lon, o.lat];
const sites = loadRadarSites();

function decode(fromMs: number, toMs: number, kinds?: SensorKind[]) {
  const { observations, rejections } = decodeThroughGateway(scenarioMessages(fromMs, toMs, kinds ? { kinds } : {}));
  expect(rejections).toEqual([]);
  const of = <K extends Observation['kind']>(kind: K) => observations.filter((o): o is Of<K> => o.kind === kind);
  return { ais: of('ais.position'), radar: of('radar.target'), units: of('unit.position'), drone: of('drone.telemetry') };
}

let coast: Coastline;
beforeAll(() => {
  coast = loadCoastline();
});

describe('the shore radars', () => {
  const from = DAY + 10 * HOUR_MS + 30 * 60_000;
  let lines: ScenarioTextMessage[];
  let radar: Of<'radar.target'>[];
  let ais: Of<'ais.position'>[];

  beforeAll(() => {
    lines = scenarioMessages(from, from + HOUR_MS, { kinds: ['radar'] });
    ({ radar, ais } = decode(from, from + HOUR_MS));
  });

  it('report every 10 s what is in view, each site its targets as TTM behind a tag block: relative bearings from a fixed heading, true from a north-up one', () => {
    for (const [id, site] of sites) {
      const own = lines.filter((m) => m.topic === `sensors/radar/${id}`);
      expect(own.length, id).toBeGreaterThan(300);
      expect(own.length, id).toBeLessThanOrEqual(360);
      for (let i = 1; i < own.length; i++) expect((own[i]!.t - own[i - 1]!.t) % 10_000).toBe(0);
      for (const m of own) {
        for (const line of m.payload.split('\r\n')) {
          expect(line).toMatch(new RegExp(`^\\\\s:${id},c:${m.t / 1000}\\*[0-9A-F]{2}\\\\\\$RATTM,\\d{2},[\\d.]+,[\\d.]+,${site.headingSource === 'fixed' ? 'R' : 'T'},[\\d.]+,[\\d.]+,T,,,N,,T,,\\d{6}\\.00,A\\*[0-9A-F]{2}$`));
        }
      }
    }
  });

  it('place every target, once the gateway has positioned it, within 150 m of where it really is, and within 24 nm', () => {
    expect(radar.length).toBeGreaterThan(3_000);
    for (const r of radar) {
      const contact = RADAR_CONTACTS.find((c) => c.targetNumber === r.targetNumber)!;
      const truth = vesselStateAt(contact.source, r.observedAtMs)!;
      expect(metres(lonLat(r), lonLat(truth)), `${r.sensorId} #${r.targetNumber}`).toBeLessThan(150);
      expect(r.rangeM!).toBeLessThanOrEqual(RADAR_RANGE_NM * 1852 + 50);
    }
  });

  it('see the AIS vessels in their view, so that the server can fuse them, and boats without AIS too', () => {
    const seenVessels = new Set(radar.map((r) => RADAR_CONTACTS[r.targetNumber - 1]!.source).filter((s) => 'mmsi' in s));
    expect(seenVessels.size).toBeGreaterThanOrEqual(8);
    for (const v of seenVessels) {
      if (!('mmsi' in v) || v.positionReportsOnly) continue;
      const own = radar.filter((r) => RADAR_CONTACTS[r.targetNumber - 1]!.source === v);
      const fixes = ais.filter((p) => p.mmsi === v.mmsi && Math.abs(p.observedAtMs - own[0]!.observedAtMs) <= 180_000);
      expect(fixes.length, v.name).toBeGreaterThan(0);
    }
    const radarOnly = radar.filter((r) => RADAR_ONLY_CONTACTS.includes(RADAR_CONTACTS[r.targetNumber - 1]!.source as never));
    expect(new Set(radarOnly.map((r) => `${r.sensorId}#${r.targetNumber}`)).size).toBeGreaterThanOrEqual(3);
  });

  it('do not see through land (checked once a minute against the full-resolution coastline)', () => {
    const sample = radar.filter((r) => r.observedAtMs % 60_000 < 10_000);
    expect(sample.length).toBeGreaterThan(500);
    for (const r of sample) {
      const site = sites.get(r.sensorId)!;
      const { rangeM, bearingDeg } = rangeBearing([site.lon, site.lat], lonLat(r));
      // The mast stands at the shore and the coarse horizon is good to some hundreds of metres.
      for (let m = 3_000; m < rangeM - 800; m += 500) {
        const [lon, lat] = solveGeodesicDirect([site.lon, site.lat], bearingDeg, m).position;
        expect(coast.onLand(lon, lat), `${r.sensorId} #${r.targetNumber} at ${m} m`).toBe(false);
      }
    }
  });
});

describe('the patrol units and the drone', () => {
  it('report each patrol boat as a unit.position every 10 s, where its AIS says it is', () => {
    const from = DAY + 3 * HOUR_MS;
    const { units, ais } = decode(from, from + 10 * 60_000);
    for (const v of HAINAN_VESSELS.filter((x) => x.unitId)) {
      const own = units.filter((u) => u.unitId === v.unitId && u.sensorId === v.unitId);
      expect(own, v.unitId).toHaveLength(60);
      for (const u of own) {
        expect(metres(lonLat(u), lonLat(vesselStateAt(v, u.observedAtMs)!))).toBeLessThan(1);
        expect(u.sogKn!).toBeGreaterThan(8);
      }
      // AIS every 10 s at 10-12 knots: the nearest fix is at most 5 s and 31 m away.
      const paired = own.flatMap((u) => {
        const fix = ais.find((p) => p.mmsi === v.mmsi && Math.abs(p.observedAtMs - u.observedAtMs) <= 5_000);
        return fix ? [metres(lonLat(u), lonLat(fix))] : [];
      });
      expect(paired.length).toBeGreaterThanOrEqual(59);
      expect(Math.max(...paired)).toBeLessThan(40);
    }
  });

  it('flies each drone sortie armed, in AUTO, twice a second, round Sanya Bay, draining its battery', () => {
    const sortie = DRONE_SORTIE_PLAN[1]!;
    const { drone } = decode(DAY + sortie.linkUpS * 1000 - 10_000, DAY + sortie.linkDownS * 1000 + 10_000);
    expect(drone).toHaveLength((sortie.linkDownS - sortie.linkUpS) * 2);
    expect(drone[0]!.observedAtMs).toBe(DAY + sortie.linkUpS * 1000);
    const inFlight = drone.filter((d) => d.observedAtMs >= DAY + sortie.cruiseS * 1000 && d.observedAtMs < DAY + sortie.rtlS * 1000);
    expect(inFlight.length).toBeGreaterThan(2 * 40 * 60);
    for (const d of inFlight) {
      expect(d).toMatchObject({ sensorId: 'uav-sanya', armed: true, mode: 'AUTO', vehicleType: 'FIXED_WING', autopilot: 'ARDUPILOTMEGA', relativeAltitudeM: 150 });
      expect(d.groundSpeedMs!).toBeCloseTo(22, 0);
      expect(metres(lonLat(d), DRONE_HOME)).toBeLessThan(25_000);
    }
    const modes = drone.map((d) => `${d.armed ? 'armed' : 'disarmed'} ${d.mode}`).filter((m, i, all) => m !== all[i - 1]);
    expect(modes).toEqual(['disarmed QLOITER', 'armed AUTO', 'armed RTL', 'armed QLAND', 'disarmed QLAND']);
    const battery = drone.map((d) => d.batteryPct!);
    expect(battery[0]).toBe(100);
    expect(battery.at(-1)).toBe(30);
    for (let i = 1; i < battery.length; i++) expect(battery[i]!).toBeLessThanOrEqual(battery[i - 1]!);
    expect(Math.max(...drone.map((d) => metres(lonLat(d), DRONE_HOME)))).toBeGreaterThan(15_000);
  });

  it('stamps each drone fix with the scenario time from its SYSTEM_TIME, however late the gateway receives it', () => {
    const sortie = DRONE_SORTIE_PLAN[2]!;
    const messages = scenarioMessages(DAY + sortie.linkUpS * 1000, DAY + sortie.armS * 1000, { kinds: ['drone'] });
    const onTime = decodeThroughGateway(messages);
    // Received 3.7 s late, with a jitter of up to 2 s.
    const late = decodeThroughGateway(messages, { receivedAtMs: (m) => m.t + 3_700 + ((m.t / 500) % 5) * 400 });
    expect(late.rejections).toEqual([]);
    expect(late.observations).toHaveLength(180 * 2);
    expect(late.observations.map((o) => o.observedAtMs)).toEqual(messages.map((m) => m.t));
    expect(late.observations.every((o) => o.receivedAtMs > o.observedAtMs)).toBe(true);
    expect(late.observations.map((o) => o.obsId)).toEqual(onTime.observations.map((o) => o.obsId));
  });

  it('keeps the drone link down between sorties', () => {
    const gap = DRONE_SORTIE_PLAN[0]!.linkDownS;
    expect(scenarioMessages(DAY + gap * 1000, DAY + (DRONE_SORTIE_PLAN[1]!.linkUpS - 1) * 1000, { kinds: ['drone'] })).toEqual([]);
  });
});

describe('over a whole day', () => {
  it('keeps every vessel, and every radar and unit report, at sea (the landing beach is at the water line)', () => {
    const beach = SCENARIO_THREATS.nightLanding.beach;
    for (const v of [...HAINAN_VESSELS, ...RADAR_ONLY_CONTACTS]) {
      for (let t = DAY; t < DAY + 24 * HOUR_MS; t += 60_000) {
        const st = vesselStateAt(v, t);
        if (st) expect(coast.onLand(st.lon, st.lat), `${'name' in v ? v.name : v.id} at ${t}`).toBe(false);
      }
    }
    const { radar, units } = decode(DAY, DAY + 24 * HOUR_MS, ['radar', 'json']);
    expect(radar.length).toBeGreaterThan(50_000);
    expect(units).toHaveLength(2 * 8_640);
    const aground = [...radar, ...units].filter((o) => coast.onLand(o.lon, o.lat) && metres(lonLat(o), beach) > 200);
    expect(aground).toEqual([]);
  });
});
