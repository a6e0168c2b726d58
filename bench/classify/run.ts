// Ring classification throughput, single-threaded, side by side in one run: the geodata classifier,
// turf's booleanPointInPolygon on the raw ring polygons, and PostGIS ST_Covers three ways. Writes the
// `## classify` section of bench/RESULTS.md (other sections are left as they are).
//
//   npx tsx bench/classify/run.ts            (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { booleanPointInPolygon } from '@turf/turf';
import { createClassifier, loadGeodata, RING_PRECEDENCE } from '@seawall/geodata';
import pg from 'pg';

const DB_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RESULTS = new URL('../RESULTS.md', import.meta.url);
const BATCH = 100_000;

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const geodata = loadGeodata();
const rings = RING_PRECEDENCE.map((name) => geodata.rings.features.find((f) => f.properties.name === name)!);
const vertices = rings.reduce((n, f) => n + f.properties.vertices, 0);
let box = [Infinity, Infinity, -Infinity, -Infinity];
const edges: number[][] = [];
for (const f of rings) {
  for (const poly of f.geometry.coordinates) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x, y] = ring[i]!;
        box = [Math.min(box[0]!, x), Math.min(box[1]!, y), Math.max(box[2]!, x), Math.max(box[3]!, y)];
        edges.push([x, y, ring[i + 1]![0], ring[i + 1]![1]]);
      }
    }
  }
}

/** `uniform`: anywhere in the rings' bounding box; `near`: within 3 km of a ring boundary. */
function points(n: number, kind: 'uniform' | 'near', seed: number): Float64Array {
  const rand = rng(seed);
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (kind === 'uniform') {
      out[2 * i] = box[0]! + (box[2]! - box[0]!) * rand();
      out[2 * i + 1] = box[1]! + (box[3]! - box[1]!) * rand();
    } else {
      const [x1, y1, x2, y2] = edges[Math.floor(rand() * edges.length)]!;
      const t = rand();
      const d = 0.03 * rand();
      const a = 2 * Math.PI * rand();
      out[2 * i] = x1! + t * (x2! - x1!) + d * Math.cos(a);
      out[2 * i + 1] = y1! + t * (y2! - y1!) + d * Math.sin(a);
    }
  }
  return out;
}

function bestOf(runs: number, fn: () => number): { perSecond: number; check: number } {
  let best = 0;
  let check = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const n = fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, n / s);
    check = n;
  }
  return { perSecond: best, check };
}

const load = loadavg()[0]!.toFixed(2);
const t0 = performance.now();
const classifier = createClassifier();
const buildMs = performance.now() - t0;
const stats = classifier.stats().rings;

const N = 5_000_000;
const uniform = points(N, 'uniform', 1);
const near = points(N, 'near', 2);
const classify = (pts: Float64Array) => () => {
  let sum = 0;
  for (let i = 0; i < pts.length; i += 2) sum += classifier.ringIndex(pts[i]!, pts[i + 1]!) + 1;
  if (sum < 0) throw new Error('unreachable');
  return pts.length / 2;
};
const oursUniform = bestOf(5, classify(uniform)).perSecond;
const oursNear = bestOf(5, classify(near)).perSecond;

// turf on the same polygons, same precedence; a few seconds' worth of points.
const TURF_N = 20_000;
const turfRun = (pts: Float64Array) => () => {
  let sum = 0;
  for (let i = 0; i < 2 * TURF_N; i += 2) {
    const p = [pts[i]!, pts[i + 1]!];
    const k = rings.findIndex((f) => booleanPointInPolygon(p, f));
    sum += k + 1;
    if (k !== classifier.ringIndex(p[0]!, p[1]!)) throw new Error(`turf and the classifier differ at ${p}`);
  }
  return sum >= 0 ? TURF_N : 0;
};
const turfUniform = bestOf(2, turfRun(uniform)).perSecond;
const turfNear = bestOf(2, turfRun(near)).perSecond;

// PostGIS: the same polygons in temporary tables of one session.
const client = new pg.Client({ connectionString: DB_URL });
await client.connect();
const version = (await client.query<{ v: string }>(`SELECT postgis_lib_version() || ' / GEOS ' || postgis_geos_version() AS v`)).rows[0]!.v;
await client.query(`CREATE TEMP TABLE bench_rings (prio int, name text, geom geometry(MultiPolygon, 4326))`);
await client.query(
  `INSERT INTO bench_rings
   SELECT k - 1, f->'properties'->>'name', ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON((f->'geometry')::text), 4326))
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(f, k)`,
  [JSON.stringify(rings)],
);
await client.query(`CREATE INDEX ON bench_rings USING gist (geom)`);
await client.query(`CREATE TEMP TABLE bench_pieces AS SELECT prio, ST_Subdivide(geom, 256) AS geom FROM bench_rings`);
await client.query(`CREATE INDEX ON bench_pieces USING gist (geom)`);
await client.query(`ANALYZE bench_rings; ANALYZE bench_pieces`);
const pieces = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM bench_pieces`)).rows[0]!.n;

const POINTS_SQL = `(SELECT k, ST_SetSRID(ST_MakePoint(x, y), 4326) AS g FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, k)) AS p`;
const QUERIES = {
  cached: `SELECT count(*) FILTER (WHERE r >= 0)::int AS n FROM (SELECT CASE ${RING_PRECEDENCE.map((_, k) => `WHEN ST_Covers(r${k}.geom, p.g) THEN ${k}`).join(' ')} ELSE -1 END AS r
             FROM ${RING_PRECEDENCE.map((_, k) => `(SELECT geom FROM bench_rings WHERE prio = ${k}) AS r${k}`).join(', ')}, ${POINTS_SQL}) x`,
  indexed: `SELECT count(DISTINCT p.k)::int AS n FROM ${POINTS_SQL} JOIN bench_rings r ON ST_Covers(r.geom, p.g)`,
  subdivided: `SELECT count(DISTINCT p.k)::int AS n FROM ${POINTS_SQL} JOIN bench_pieces r ON ST_Covers(r.geom, p.g)`,
} as const;
async function postgis(query: string, pts: Float64Array, n: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < n; from += BATCH) {
    const m = Math.min(BATCH, n - from);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = from; i < from + m; i++) {
      xs.push(pts[2 * i]!);
      ys.push(pts[2 * i + 1]!);
    }
    await client.query(query, [xs, ys]);
  }
  return n / ((performance.now() - started) / 1000);
}
// The whole-polygon join rebuilds a ring's edge tree whenever the polygon changes between rows: slow, so fewer points.
const rates = {
  cached: [await postgis(QUERIES.cached, uniform, 500_000), await postgis(QUERIES.cached, near, 500_000)],
  indexed: [await postgis(QUERIES.indexed, uniform, 2_000), await postgis(QUERIES.indexed, near, 2_000)],
  subdivided: [await postgis(QUERIES.subdivided, uniform, 500_000), await postgis(QUERIES.subdivided, near, 500_000)],
};
await client.end();

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const x = (a: number, b: number) => `${(a / b).toFixed(a / b >= 100 ? 0 : 1)}x`;
const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
const section = `## classify

Which ring a position is in (\`RingClassifier.ringIndex\`, precedence shoreline → inland → near-sea),
single-threaded, against turf and PostGIS \`ST_Covers\` on the same three polygons (${fmt(vertices)} vertices
from \`geodata/rings.geojson\`). Points: 5,000,000 uniform over the rings' bounding box, and 5,000,000
within 3 km of a ring boundary (where the exact tests run); fewer for the slow contenders.

- command: \`npx tsx bench/classify/run.ts\` (PostgreSQL from \`BENCH_DATABASE_URL\`, default \`postgres://postgres@127.0.0.1:5432/test\`)
- date: ${date} UTC
- machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, PostGIS ${version}; load average ${load} at start
- classifier: built in ${fmt(buildMs)} ms; grid of ${fmt(stats.cells)} cells of 0.004°, ${fmt(stats.mixedCells)} of them need exact tests
- PostGIS: points sent as float8 arrays, ${fmt(BATCH)} per query, time includes the round trips; \`ST_Subdivide(geom, 256)\` makes ${fmt(pieces)} pieces

| | uniform points/s | near-boundary points/s |
| --- | ---: | ---: |
| geodata \`RingClassifier\` | ${fmt(oursUniform)} | ${fmt(oursNear)} |
| turf \`booleanPointInPolygon\`, raw polygons (reference) | ${fmt(turfUniform)} | ${fmt(turfNear)} |
| PostGIS, whole rings, one \`ST_Covers\` call site per ring (edge tree cached) | ${fmt(rates.cached[0]!)} | ${fmt(rates.cached[1]!)} |
| PostGIS, whole rings joined through the GiST index | ${fmt(rates.indexed[0]!)} | ${fmt(rates.indexed[1]!)} |
| PostGIS, \`ST_Subdivide\` pieces joined through the GiST index | ${fmt(rates.subdivided[0]!)} | ${fmt(rates.subdivided[1]!)} |

**classifier / turf: ${x(oursUniform, turfUniform)}** uniform, ${x(oursNear, turfNear)} near boundaries;
classifier / best PostGIS: ${x(oursUniform, Math.max(rates.cached[0]!, rates.subdivided[0]!))} uniform, ${x(oursNear, Math.max(rates.cached[1]!, rates.subdivided[1]!))} near.
Target: at least 2,000,000 points/s and at least 20x turf. Every turf answer was checked equal to the classifier's.
`;

let text = '';
try {
  text = readFileSync(RESULTS, 'utf8');
} catch {
  text = '# Benchmark results\n';
}
const start = text.indexOf('\n## classify\n');
if (start >= 0) {
  const next = text.indexOf('\n## ', start + 1);
  text = text.slice(0, start + 1) + section + (next >= 0 ? text.slice(next) : '');
} else {
  text = `${text.trimEnd()}\n\n${section}`;
}
writeFileSync(RESULTS, text);
process.stdout.write(section);
