import { bbox, distance, lineIntersect, lineString, point } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmeaChecksum } from './encode-ais';
import {
  HAINAN_VESSELS,
  RADAR_ONLY_CONTACTS,
  SCENARIO_RECEIVERS,
  type ScenarioTextMessage,
  aisSilentAt,
  receiverFor,
  scenarioMessages,
  vesselStateAt,
} from './hainan-scenario';
import { waypointsOf } from './motion';
import { type Coastline, intAt, loadCoastline, payloadBits, uintAt } from './test-support';

let coast: Coastline;
let shorelines: { feature: Coastline['shorelines'][number]; bbox: [number, number, number, number] }[];

beforeAll(() => {
  coast = loadCoastline();
  shorelines = coast.shorelines.map((feature) => ({ feature, bbox: bbox(feature) as [number, number, number, number] }));
  expect(coast.land.length).toBeGreaterThan(150);
});

interface Report {
  t: number;
  topic: string;
  type: number;
  mmsi: number;
  lon: number;
  lat: number;
  sogKn: number;
}

const LINE = /^\\(s:([^,]+),c:(\d+))\*([0-9A-F]{2})\\!(AIVDM,(\d),(\d),(\d?),([AB]),([^,]*),(\d))\*([0-9A-F]{2})$/;

/** Why a scenario message is badly framed, or null. */
function framingError(m: ScenarioTextMessage): string | null {
  const lines = m.payload.split('\r\n');
  for (const line of lines) {
    const [, tag, source, seconds, tagSum, body, count, , , , , , sum] = LINE.exec(line) ?? [];
    if (body === undefined) return `not a tagged VDM sentence: ${line}`;
    if (nmeaChecksum(tag!) !== tagSum || nmeaChecksum(body) !== sum) return `bad checksum: ${line}`;
    if (m.topic !== `sensors/ais/${source}` || Number(seconds) * 1000 !== m.t) return `tag block disagrees with ${m.topic} at ${m.t}: ${line}`;
    if (Number(count) !== lines.length) return `fragment count ${count} in a message of ${lines.length}: ${line}`;
  }
  return null;
}

/** The position report a (well-framed) scenario message carries, if it is one. */
function positionOf(m: ScenarioTextMessage): Report | null {
  let payload = '';
  for (const line of m.payload.split('\r\n')) payload += LINE.exec(line)![10];
  const bits = payloadBits(payload);
  const type = uintAt(bits, 0, 6);
  if (type !== 1 && type !== 3 && type !== 18) return null;
  const at = type === 18 ? 57 : 61;
  return {
    t: m.t,
    topic: m.topic,
    type,
    mmsi: uintAt(bits, 8, 30),
    lon: intAt(bits, at, 28) / 600_000,
    lat: intAt(bits, at + 28, 27) / 600_000,
    sogKn: uintAt(bits, type === 18 ? 46 : 50, 10) / 10,
  };
}

/** Type and MMSI of a message, from its first sentence. */
function headerOf(m: ScenarioTextMessage): { t: number; type: number; mmsi: number } {
  const bits = payloadBits(/!AIVDM,\d,1,\d?,[AB],([^,]*)/.exec(m.payload)![1]!);
  return { t: m.t, type: uintAt(bits, 0, 6), mmsi: uintAt(bits, 8, 30) };
}

const DAY_START = Date.UTC(2026, 0, 15, 0, 0, 0);
const HOUR_MS = 3_600_000;
/** Seconds of the day in which a vessel is in the picture with its transponder on, sampled each minute. */
const airtimeS = (v: (typeof HAINAN_VESSELS)[number]) => {
  let s = 0;
  for (let t = 0; t < 86_400; t += 60) if (vesselStateAt(v, DAY_START + t * 1000) && !aisSilentAt(v, t)) s += 60;
  return s;
};

describe('the AIS of the Hainan scenario over a simulated day', () => {
  let day: ScenarioTextMessage[];
  let reports: Report[];

  beforeAll(() => {
    day = scenarioMessages(DAY_START, DAY_START + 24 * HOUR_MS, { startMs: DAY_START, kinds: ['ais'] });
    reports = day.map(positionOf).filter((r): r is Report => r !== null);
  });

  it('sends well-framed sentences in time order, on the topic of the receiver that heard them', () => {
    expect(day.length).toBeGreaterThan(60_000);
    expect(day.map(framingError).filter((e) => e !== null)).toEqual([]);
    expect(day.filter((m, i) => i > 0 && m.t < day[i - 1]!.t)).toEqual([]);
    const topics = new Set(day.map((m) => m.topic));
    expect(topics).toEqual(new Set(Object.values(SCENARIO_RECEIVERS).map((rx) => `sensors/ais/${rx}`)));
    expect(reports.filter((r) => r.topic !== `sensors/ais/${receiverFor(r.lon, r.lat)}`)).toEqual([]);
  });

  it('puts every reported position at sea, outside every land polygon of the full-resolution coastline', () => {
    expect(reports.length).toBeGreaterThan(55_000);
    const aground = reports.filter((r) => coast.onLand(r.lon, r.lat));
    expect(aground).toEqual([]);
  });

  it('keeps every leg of every route and track clear of the shoreline, and every waypoint at sea', () => {
    for (const v of [...HAINAN_VESSELS, ...RADAR_ONLY_CONTACTS]) {
      const name = 'name' in v ? v.name || String(v.mmsi) : v.id;
      const route = waypointsOf(v.motion);
      for (let i = 1; i < route.length; i++) {
        const [from, to] = [route[i - 1]!, route[i]!];
        if (from[0] === to[0] && from[1] === to[1]) continue;
        const leg = lineString([[...from], [...to]]);
        const [x0, y0, x1, y1] = [Math.min(from[0], to[0]), Math.min(from[1], to[1]), Math.max(from[0], to[0]), Math.max(from[1], to[1])];
        for (const { feature, bbox } of shorelines) {
          if (bbox[0] > x1 || bbox[2] < x0 || bbox[1] > y1 || bbox[3] < y0) continue;
          expect(lineIntersect(leg, feature).features, `${name} leg ${i}`).toHaveLength(0);
        }
      }
      for (const [lon, lat] of route) expect(coast.onLand(lon, lat), `${name} at ${lon},${lat}`).toBe(false);
    }
  });

  it("brings each ferry to Haikou Xiuying and to Hai'an, several times a day", () => {
    const xiuying = point([110.275, 20.028]);
    const haian = point([110.21, 20.27]);
    const ferries = HAINAN_VESSELS.filter((v) => v.motion.kind === 'shuttle' && v.shipType === 60);
    expect(ferries.length).toBeGreaterThanOrEqual(2);
    for (const ferry of ferries) {
      // The strait only: HAIXIA 11's MMSI is also spoofed off Sanya for an hour.
      const track = reports.filter((r) => r.mmsi === ferry.mmsi && r.lat > 19.5);
      const calls = (port: typeof xiuying) => {
        let n = 0;
        let inPort = false;
        for (const r of track) {
          const near = distance(point([r.lon, r.lat]), port, { units: 'kilometers' }) < 1;
          if (near && !inPort) n++;
          inPort = near;
        }
        return n;
      };
      expect(calls(xiuying), ferry.name).toBeGreaterThanOrEqual(3);
      expect(calls(haian), ferry.name).toBeGreaterThanOrEqual(3);
      expect(Math.max(...track.map((r) => r.sogKn))).toBeGreaterThan(12);
    }
  });

  it('reports class A every 10 s under way, every 3 minutes at anchor, and class B every 30 s', () => {
    const gaps = (mmsi: number) => {
      const ts = reports.filter((r) => r.mmsi === mmsi).map((r) => r.t);
      return new Set(ts.slice(1).map((t, i) => (t - ts[i]!) / 1000));
    };
    const anchored = HAINAN_VESSELS.find((v) => v.motion.kind === 'anchored')!;
    expect(gaps(anchored.mmsi)).toEqual(new Set([180]));
    const fishing = HAINAN_VESSELS.filter((v) => v.ais.class === 'B' && v.motion.kind === 'loop');
    expect(fishing.length).toBeGreaterThanOrEqual(6);
    for (const v of fishing) expect(gaps(v.mmsi), v.name).toEqual(new Set([30]));
    for (const cargo of HAINAN_VESSELS.filter((v) => v.motion.kind === 'transit')) {
      expect(Math.min(...gaps(cargo.mmsi)), cargo.name).toBe(10);
    }
  });

  it('sends static data every 6 minutes while a transponder is on, and at start for every vessel in view', () => {
    const statics = day.map(headerOf).filter((h) => h.type === 5 || h.type === 24);
    for (const v of HAINAN_VESSELS) {
      if (v.positionReportsOnly) continue;
      const own = statics.filter((s) => s.mmsi === v.mmsi);
      // Message 24 is sent as parts A and B, so class B counts twice; a silence may cost one.
      const parts = v.ais.class === 'B' ? 2 : 1;
      expect(own.length, v.name).toBeGreaterThanOrEqual((Math.floor(airtimeS(v) / 360) - (v.aisSilent ? 1 : 0)) * parts);
      if (vesselStateAt(v, DAY_START)) expect(own[0]!.t - DAY_START, v.name).toBeLessThan(30_000);
    }
    const spoofer = HAINAN_VESSELS.find((v) => v.positionReportsOnly)!;
    const genuine = HAINAN_VESSELS.find((v) => v.mmsi === spoofer.mmsi && v !== spoofer)!;
    const ownStatics = statics.filter((s) => s.mmsi === spoofer.mmsi).length;
    expect(ownStatics).toBeLessThanOrEqual(Math.ceil(airtimeS(genuine) / 360) + 1);
  });
});

describe('scenario determinism', () => {
  it('gives the same messages for the same window twice', () => {
    const from = Date.UTC(2026, 5, 1, 7, 30, 0);
    const a = scenarioMessages(from, from + 15 * 60_000);
    const b = scenarioMessages(from, from + 15 * 60_000);
    expect(a.length).toBeGreaterThan(3_000);
    expect(new Set(a.map((m) => m.topic.split('/')[1]))).toEqual(new Set(['ais', 'radar', 'json', 'drone']));
    expect(b).toEqual(a);
  });

  it('gives the same messages for a window as for its consecutive parts, whatever their boundaries', () => {
    const from = Date.UTC(2026, 5, 1, 7, 30, 0) + 250;
    const whole = scenarioMessages(from, from + 20 * 60_000);
    const parts: typeof whole = [];
    for (let t = from; t < from + 20 * 60_000; t += 1_337) {
      parts.push(...scenarioMessages(t, Math.min(t + 1_337, from + 20 * 60_000)));
    }
    expect(parts).toEqual(whole);
  });

  it('keeps to the kinds it is asked for', () => {
    const from = Date.UTC(2026, 5, 1, 7, 30, 0);
    const all = scenarioMessages(from, from + 60_000);
    for (const kind of ['ais', 'radar', 'json', 'drone'] as const) {
      const only = scenarioMessages(from, from + 60_000, { kinds: [kind] });
      expect(only.length, kind).toBeGreaterThan(0);
      expect(only).toEqual(all.filter((m) => m.topic.startsWith(`sensors/${kind}/`)));
    }
  });
});
