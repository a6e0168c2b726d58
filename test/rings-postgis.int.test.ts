import { createClassifier, loadGeodata, RING_PRECEDENCE, type Position } from '@seawall/geodata';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/src/store/db';
import { readRingsGeoJson, syncGeodata } from '../server/src/store/geodata-store';
import { storageBackends } from './support/backends';

const log = pino({ level: 'silent' });
const geodata = loadGeodata();
const classifier = createClassifier();

/**
 * The full million on both backends: PostgreSQL takes a few seconds, PGlite (PostGIS in WebAssembly)
 * well under a minute on two cores.
 */
const RING_POINTS = 1_000_000;
const ZONE_POINTS = 200_000;
const BATCH = 100_000;

const backends = storageBackends(log);

/** Deterministic PRNG (mulberry32): the same points on every run and backend. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Edge = [Position, Position];
function edgesOf(polygons: Position[][][][]): Edge[] {
  const edges: Edge[] = [];
  for (const mp of polygons) for (const poly of mp) for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) edges.push([ring[i]!, ring[i + 1]!]);
  return edges;
}

/**
 * Half uniform over the box, half near the edges: 1 in 8 of those exactly on a vertex, 1 in 8 on the
 * segment (interpolated, so on it or an ulp away: where floating point decides), the rest off the edge
 * by 1e-12° to 3e-2° (0.1 µm to 3 km) on a log scale.
 */
function samplePoints(n: number, edges: readonly Edge[], box: [number, number, number, number], seed: number) {
  const rand = rng(seed);
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  let onEdge = 0;
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      lon[i] = box[0] + (box[2] - box[0]) * rand();
      lat[i] = box[1] + (box[3] - box[1]) * rand();
      continue;
    }
    const [[x1, y1], [x2, y2]] = edges[Math.floor(rand() * edges.length)]!;
    const kind = Math.floor(rand() * 8);
    const t = kind === 0 ? 0 : rand();
    let x = x1 + t * (x2 - x1);
    let y = y1 + t * (y2 - y1);
    if (kind > 1) {
      const d = 10 ** (-12 + 10.5 * rand());
      const a = 2 * Math.PI * rand();
      x += d * Math.cos(a);
      y += d * Math.sin(a);
    } else onEdge++;
    lon[i] = x;
    lat[i] = y;
  }
  return { lon, lat, onEdge };
}

function bboxOf(edges: readonly Edge[], pad: number): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [[x, y]] of edges) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return [b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad];
}

describe.each(backends)('ring classifier against ST_Covers on $name', ({ name, open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await syncGeodata(db, geodata, log);
  }, 120_000);
  afterAll(async () => cleanup?.());

  it('PostGIS holds the very doubles the classifier uses, and serves them back unchanged', async () => {
    const { rows } = await db.query<{ name: string; xs: number[]; ys: number[] }>(
      `SELECT name, array_agg(ST_X(d.geom) ORDER BY d.path) AS xs, array_agg(ST_Y(d.geom) ORDER BY d.path) AS ys
         FROM rings, ST_DumpPoints(geom) AS d GROUP BY name`,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const flat = geodata.rings.features.find((f) => f.properties.name === row.name)!.geometry.coordinates.flat(2);
      expect(row.xs).toEqual(flat.map((p) => p[0]));
      expect(row.ys).toEqual(flat.map((p) => p[1]));
    }
    const served = JSON.parse(await readRingsGeoJson(db)) as typeof geodata.rings;
    for (const f of served.features) {
      const built = geodata.rings.features.find((g) => g.properties.name === f.properties.name)!;
      expect(f.geometry.coordinates).toEqual(built.geometry.coordinates);
    }
  });

  it('classifies a million points near and across the ring boundaries exactly as ST_Covers does', async () => {
    const edges = edgesOf(geodata.rings.features.map((f) => f.geometry.coordinates));
    const { lon, lat, onEdge } = samplePoints(RING_POINTS, edges, bboxOf(edges, 0.05), 4);
    const ours = new Int8Array(RING_POINTS);
    for (let i = 0; i < RING_POINTS; i++) ours[i] = classifier.ringIndex(lon[i]!, lat[i]!);

    // One call site per ring, so PostGIS keeps each ring's edge index cached across the batch.
    const cases = RING_PRECEDENCE.map((ring, k) => `WHEN ST_Covers(r${k}.geom, p.g) THEN ${k}`).join(' ');
    const froms = RING_PRECEDENCE.map((ring, k) => `(SELECT geom FROM rings WHERE name = '${ring}') AS r${k}`).join(', ');
    let disagreements = 0;
    const examples: string[] = [];
    const counts = new Map<number, number>();
    const started = performance.now();
    for (let from = 0; from < RING_POINTS; from += BATCH) {
      const xs = Array.from(lon.subarray(from, from + BATCH));
      const ys = Array.from(lat.subarray(from, from + BATCH));
      const { rows } = await db.query<{ r: number[] }>(
        `SELECT array_agg(CASE ${cases} ELSE -1 END ORDER BY p.k) AS r
           FROM ${froms},
                (SELECT k, ST_SetSRID(ST_MakePoint(x, y), 4326) AS g
                   FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, k)) AS p`,
        [xs, ys],
      );
      rows[0]!.r.forEach((theirs, j) => {
        counts.set(theirs, (counts.get(theirs) ?? 0) + 1);
        if (theirs === ours[from + j]) return;
        disagreements++;
        if (examples.length < 5) examples.push(`(${xs[j]}, ${ys[j]}): PostGIS ${theirs}, classifier ${ours[from + j]}`);
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const mix = [-1, 0, 1, 2].map((k) => `${k < 0 ? 'outside' : RING_PRECEDENCE[k]} ${counts.get(k) ?? 0}`).join(', ');
    console.log(
      `${name}: ${RING_POINTS.toLocaleString('en')} points (${onEdge.toLocaleString('en')} on a vertex or segment; ${mix}), ` +
        `${disagreements} disagreements with ST_Covers; PostGIS side ${seconds.toFixed(1)} s`,
    );
    expect(examples).toEqual([]);
    expect(disagreements).toBe(0);
    expect(Math.min(...counts.values())).toBeGreaterThan(RING_POINTS / 50);
  }, 300_000);

  it('finds the same zones as ST_Covers with the zones GiST index', async () => {
    const edges = edgesOf(geodata.zones.features.map((f) => f.geometry.coordinates));
    const { lon, lat } = samplePoints(ZONE_POINTS, edges, bboxOf(edges, 0.02), 5);
    const { rows } = await db.query<{ k: string; ids: string[] }>(
      `SELECT p.k::text AS k, array_agg(z.id ORDER BY z.id COLLATE "C") AS ids
         FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, k)
         JOIN zones z ON ST_Covers(z.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
        GROUP BY p.k`,
      [Array.from(lon), Array.from(lat)],
    );
    const theirs = new Map(rows.map((r) => [Number(r.k) - 1, r.ids.join(',')]));
    let disagreements = 0;
    let inZone = 0;
    for (let i = 0; i < ZONE_POINTS; i++) {
      const ours = classifier.zones(lon[i]!, lat[i]!).sort().join(',');
      if (ours) inZone++;
      if (ours !== (theirs.get(i) ?? '')) disagreements++;
    }
    console.log(`${name}: ${ZONE_POINTS.toLocaleString('en')} points around the zones (${inZone.toLocaleString('en')} in one or more), ${disagreements} disagreements`);
    expect(disagreements).toBe(0);
    expect(inZone).toBeGreaterThan(ZONE_POINTS / 10);
  }, 120_000);
});
