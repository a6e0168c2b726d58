import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, distance, lineIntersect, lineString, point } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { nmeaChecksum } from './encode-ais';
import {
  HAINAN_VESSELS,
  type ScenarioMessage,
  SCENARIO_RECEIVERS,
  scenarioMessages,
  vesselStateAt,
} from './hainan-scenario';
import { intAt, payloadBits, uintAt } from './test-support';

const geo = new URL('../../../../shared/fixtures/geo/', import.meta.url);
const readGeo = (name: string) => JSON.parse(readFileSync(new URL(name, geo), 'utf8')) as FeatureCollection;

/** Land polygons with their bounding boxes, and the open mainland shoreline. */
let land: { feature: Feature<Polygon>; bbox: [number, number, number, number] }[];
let shorelines: Feature<LineString | Polygon>[];
let mainlandShore: Feature<LineString>;

beforeAll(() => {
  expect(fileURLToPath(geo)).toMatch(/\/shared\/fixtures\/geo\/$/);
  const features = [
    ...readGeo('hainan-island-gshhg-full.geojson').features,
    ...readGeo('hainan-islets-gshhg-full.geojson').features,
    ...readGeo('leizhou-shoreline-gshhg-full.geojson').features,
  ];
  land = features
    .filter((f): f is Feature<Polygon> => f.geometry.type === 'Polygon')
    .map((feature) => {
      const ring = feature.geometry.coordinates[0]!;
      const xs = ring.map((c) => c[0]!);
      const ys = ring.map((c) => c[1]!);
      return { feature, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
    });
  shorelines = features as Feature<LineString | Polygon>[];
  mainlandShore = features.find((f): f is Feature<LineString> => f.geometry.type === 'LineString')!;
  expect(land.length).toBeGreaterThan(150);
});

const onLand = (lon: number, lat: number) =>
  land.some(
    ({ feature, bbox: [x0, y0, x1, y1] }) =>
      lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 && booleanPointInPolygon([lon, lat], feature),
  );

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

/** Parses a scenario message, checking its framing; returns its position report, if it is one. */
function positionOf(m: ScenarioMessage): Report | null {
  const lines = m.payload.split('\r\n');
  let payload = '';
  for (const line of lines) {
    const [, tag, source, seconds, tagSum, body, count, , , , chunk, , sum] = LINE.exec(line) ?? [];
    expect(body, line).toBeDefined();
    expect(nmeaChecksum(tag!)).toBe(tagSum);
    expect(nmeaChecksum(body!)).toBe(sum);
    expect(m.topic).toBe(`sensors/ais/${source}`);
    expect(Number(seconds) * 1000).toBe(m.t);
    expect(Number(count)).toBe(lines.length);
    payload += chunk;
  }
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
function headerOf(m: ScenarioMessage): { t: number; type: number; mmsi: number } {
  const bits = payloadBits(/!AIVDM,\d,1,\d?,[AB],([^,]*)/.exec(m.payload)![1]!);
  return { t: m.t, type: uintAt(bits, 0, 6), mmsi: uintAt(bits, 8, 30) };
}

const DAY_START = Date.UTC(2026, 0, 15, 0, 0, 0);
const HOUR_MS = 3_600_000;

describe('the Hainan scenario over a simulated day', () => {
  let day: ScenarioMessage[];
  let reports: Report[];

  beforeAll(() => {
    day = scenarioMessages(DAY_START, DAY_START + 24 * HOUR_MS, { startMs: DAY_START });
    reports = day.map(positionOf).filter((r): r is Report => r !== null);
  });

  it('sends well-framed sentences in time order, on the topic of the receiver that heard them', () => {
    expect(day.length).toBeGreaterThan(20_000);
    for (let i = 1; i < day.length; i++) expect(day[i]!.t).toBeGreaterThanOrEqual(day[i - 1]!.t);
    const topics = new Set(day.map((m) => m.topic));
    expect(topics).toEqual(new Set(Object.values(SCENARIO_RECEIVERS).map((rx) => `sensors/ais/${rx}`)));
    for (const r of reports) expect(r.topic).toBe(r.lat >= 19.2 ? 'sensors/ais/rx-haikou' : 'sensors/ais/rx-sanya');
  });

  it('puts every reported position at sea, outside every land polygon of the full-resolution coastline', () => {
    expect(reports.length).toBeGreaterThan(15_000);
    const aground = reports.filter((r) => onLand(r.lon, r.lat));
    expect(aground).toEqual([]);
  });

  it('keeps every leg of every route clear of the shoreline, and the northern routes on the strait side of the mainland', () => {
    const straitCentre = [110.27, 20.15];
    for (const v of HAINAN_VESSELS) {
      const m = v.motion;
      const route = m.kind === 'anchored' ? [m.position] : m.route;
      for (let i = 1; i < route.length; i++) {
        const leg = lineString([route[i - 1]!, route[i]!].map((c) => [...c]));
        for (const shore of shorelines) {
          expect(lineIntersect(leg, shore).features, `${v.name} leg ${i}`).toHaveLength(0);
        }
      }
      for (const [lon, lat] of route) {
        expect(onLand(lon, lat), `${v.name} at ${lon},${lat}`).toBe(false);
        if (lat > 19.5) {
          // The Leizhou shoreline is an open line, so "at sea" there means "reachable from the strait".
          const toStrait = lineString([[lon, lat], straitCentre]);
          expect(lineIntersect(toStrait, mainlandShore).features, `${v.name} at ${lon},${lat}`).toHaveLength(0);
        }
      }
    }
  });

  it('brings each ferry to Haikou Xiuying and to Hai\'an, several times a day', () => {
    const xiuying = point([110.275, 20.028]);
    const haian = point([110.21, 20.27]);
    const ferries = HAINAN_VESSELS.filter((v) => v.motion.kind === 'shuttle' && v.shipType === 60);
    expect(ferries.length).toBeGreaterThanOrEqual(2);
    for (const ferry of ferries) {
      const track = reports.filter((r) => r.mmsi === ferry.mmsi);
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
    const fishing = HAINAN_VESSELS.filter((v) => v.ais.class === 'B');
    expect(fishing.length).toBeGreaterThanOrEqual(2);
    for (const v of fishing) expect(gaps(v.mmsi)).toEqual(new Set([30]));
    const cargo = HAINAN_VESSELS.find((v) => v.motion.kind === 'transit')!;
    expect(Math.min(...gaps(cargo.mmsi))).toBe(10);
  });

  it('sends static data every 6 minutes, and at start for every vessel in view', () => {
    const statics = day.map(headerOf).filter((h) => h.type === 5 || h.type === 24);
    for (const v of HAINAN_VESSELS) {
      const own = statics.filter((s) => s.mmsi === v.mmsi);
      // Message 24 is sent as parts A and B, so class B counts twice.
      const perDay = (24 * 60) / 6 / (v.ais.class === 'B' ? 0.5 : 1);
      if (v.motion.kind === 'transit') expect(own.length, v.name).toBeGreaterThan(perDay / 3);
      else expect(own.length, v.name).toBeGreaterThanOrEqual(perDay);
      if (vesselStateAt(v, DAY_START)) expect(own[0]!.t - DAY_START, v.name).toBeLessThan(30_000);
    }
  });
});

describe('scenario determinism', () => {
  it('gives the same messages for the same window twice', () => {
    const from = Date.UTC(2026, 5, 1, 8, 0, 0);
    const a = scenarioMessages(from, from + 15 * 60_000);
    const b = scenarioMessages(from, from + 15 * 60_000);
    expect(a.length).toBeGreaterThan(300);
    expect(b).toEqual(a);
  });

  it('gives the same messages for a window as for its consecutive parts, whatever their boundaries', () => {
    const from = Date.UTC(2026, 5, 1, 8, 0, 0) + 250;
    const whole = scenarioMessages(from, from + 20 * 60_000);
    const parts: ScenarioMessage[] = [];
    for (let t = from; t < from + 20 * 60_000; t += 1_337) {
      parts.push(...scenarioMessages(t, Math.min(t + 1_337, from + 20 * 60_000)));
    }
    expect(parts).toEqual(whole);
  });
});
