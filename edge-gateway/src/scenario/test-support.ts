/**
 * Test-only helpers: a minimal six-bit de-armouring reader, so the encoder tests can check fields
 * without depending on the gateway's decoder; the full-resolution coastline the "at sea" checks use;
 * and, for the scenario tests, the gateway's own handlers run over a window of the feed.
 */
import { readFileSync } from 'node:fs';
import type { Observation } from '@seawall/contracts';
import { booleanPointInPolygon, polygon } from '@turf/turf';
import type { Feature, FeatureCollection, LineString, Polygon } from 'geojson';
import { loadRadarSites } from '../normalize/radar-observation-sites';
import { createAisHandler } from '../pipeline/ais-handler';
import { createDroneHandler } from '../pipeline/drone-handler';
import { createJsonHandler } from '../pipeline/json-handler';
import { createRadarHandler } from '../pipeline/radar-handler';
import type { Rejection, SensorHandler } from '../pipeline/sensor-handler';
import { feedPayload } from './feed-line';
import type { ScenarioMessage } from './hainan-scenario';

/** The payload's bits as a string of `0`/`1` (IEC 61162-1 six-bit ASCII). */
export function payloadBits(payload: string): string {
  let bits = '';
  for (const ch of payload) {
    let v = ch.charCodeAt(0) - 48;
    if (v > 40) v -= 8;
    bits += v.toString(2).padStart(6, '0');
  }
  return bits;
}

/** Unsigned field at a bit offset. */
export function uintAt(bits: string, start: number, width: number): number {
  return parseInt(bits.slice(start, start + width), 2);
}

/** Two's-complement signed field at a bit offset. */
export function intAt(bits: string, start: number, width: number): number {
  const v = uintAt(bits, start, width);
  return v >= 2 ** (width - 1) ? v - 2 ** width : v;
}

const GEO = new URL('../../../../shared/fixtures/geo/', import.meta.url);
const readGeo = (name: string) => JSON.parse(readFileSync(new URL(name, GEO), 'utf8')) as FeatureCollection;

/** The GSHHG full-resolution shoreline of the shared fixtures: land polygons and the shoreline features. */
export interface Coastline {
  /** Hainan, its islets and the Leizhou peninsula (its open shoreline closed to the north) as polygons. */
  land: { feature: Feature<Polygon>; bbox: [number, number, number, number] }[];
  /** Every shoreline feature as given (the Leizhou mainland as an open line). */
  shorelines: Feature<LineString | Polygon>[];
  onLand(lon: number, lat: number): boolean;
}

/** Reads the full-resolution coastline from ../shared/fixtures/geo. */
export function loadCoastline(): Coastline {
  const shorelines = [
    ...readGeo('hainan-island-gshhg-full.geojson').features,
    ...readGeo('hainan-islets-gshhg-full.geojson').features,
    ...readGeo('leizhou-shoreline-gshhg-full.geojson').features,
  ] as Feature<LineString | Polygon>[];
  const polygons = shorelines.map((f) => {
    if (f.geometry.type === 'Polygon') return f as Feature<Polygon>;
    // The mainland shoreline runs across the extract from west to east: close it round the north.
    const line = f.geometry.coordinates;
    const [west, east] = [line[0]!, line[line.length - 1]!];
    return polygon([[...line, [east[0]!, 22], [west[0]!, 22], west]]);
  });
  const land = polygons.map((feature) => {
    const ring = feature.geometry.coordinates[0]!;
    const xs = ring.map((c) => c[0]!);
    const ys = ring.map((c) => c[1]!);
    return { feature, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as [number, number, number, number] };
  });
  const onLand = (lon: number, lat: number) =>
    land.some(({ feature, bbox: [x0, y0, x1, y1] }) => lon >= x0 && lon <= x1 && lat >= y0 && lat <= y1 && booleanPointInPolygon([lon, lat], feature));
  return { land, shorelines, onLand };
}

/** What the gateway made of a window of the feed. */
export interface DecodedFeed {
  observations: Observation[];
  rejections: (Rejection & { topic: string })[];
}

/**
 * Runs scenario messages through the gateway's own handlers, as the gateway would on receiving them at
 * their `t`, or at `receivedAtMs(message)` when given (a live feed arrives late, a replayed one at another
 * time). Every kind carries its sensor's own time, so the observation times do not depend on it: AIS and
 * radar their tag blocks, JSON its `observedAtMs`, the drone its SYSTEM_TIME. The AIS handler keeps its
 * duplicate window, as in the gateway: a class B vessel's identical static report repeated within it is
 * dropped there too.
 */
export function decodeThroughGateway(messages: readonly ScenarioMessage[], options: { receivedAtMs?: (m: ScenarioMessage) => number } = {}): DecodedFeed {
  const handlers: Record<string, SensorHandler> = {
    ais: createAisHandler('gw-test'),
    radar: createRadarHandler('gw-test', loadRadarSites()),
    drone: createDroneHandler('gw-test'),
    json: createJsonHandler('gw-test'),
  };
  const out: DecodedFeed = { observations: [], rejections: [] };
  for (const m of messages) {
    const [, kind, sensorId] = m.topic.split('/');
    const result = handlers[kind!]!.handle(sensorId!, feedPayload(m), options.receivedAtMs?.(m) ?? m.t);
    out.observations.push(...result.observations);
    out.rejections.push(...result.rejections.map((r) => ({ ...r, topic: m.topic })));
  }
  return out;
}
