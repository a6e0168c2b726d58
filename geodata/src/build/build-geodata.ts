import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Position } from '../geojson';
import { coastFile, type PlaceProperties } from '../index';
import { RING_LABELS, type RingCollection, type RingName, type RingProperties, type ZoneCollection, type ZoneProperties } from '../rings';
import { ZONE_SOURCES, type ZoneSource } from './zone-sources';

/** Widths of the rings; the defaults are the architecture's. */
export interface RingWidths {
  /** Shoreline band seaward of the coastline, metres. */
  shorelineSeaM: number;
  /** Shoreline band landward of the coastline, metres. */
  shorelineLandM: number;
  /** Outer edge of the near-sea ring from the coastline, nautical miles. */
  nearSeaNm: number;
}

export const DEFAULT_WIDTHS: RingWidths = { shorelineSeaM: 2000, shorelineLandM: 1000, nearSeaNm: 24 };

const METRES_PER_NM = 1852;
/**
 * Buffers are made in a transverse Mercator centred on the island. k0 < 1 splits the scale error
 * (0.05 % at the western edge of the near-sea ring for k0 = 1) into ±0.025 %: about ±11 m at 24 nautical
 * miles and ±0.5 m at 2 km. The build measures the true (geodesic) widths and reports them.
 */
const PROJ = '+proj=tmerc +lat_0=19.2 +lon_0=109.8 +k=0.99975 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs';
/** Output coordinates sit on a 1e-7° grid (about 1 cm), so the JSON holds them exactly. */
const GRID_DEG = 1e-7;
/** Douglas-Peucker tolerance, metres: well below the GSHHG vertex spacing (about 150 m). */
const SIMPLIFY_M = 4;
/** Buffer arcs: segments per quarter circle; the chord error is r·(1 − cos(π/4q)), about 2 m for each. */
const QUAD_SEGS = { land: 16, sea: 16, outer: 64 } as const;
/**
 * The mainland file is GSHHG clipped to 109.3-111.3 E, 20.05-21.6 N; its one open shoreline runs from
 * the west edge to the east edge with the land to the north, so it closes along the north edge.
 */
const MAINLAND_CLIP = { west: 109.3, east: 111.3, north: 21.6 } as const;

/** What the build made and the checks it ran. */
export interface GeodataBuild {
  rings: RingCollection;
  zones: ZoneCollection;
  report: BuildReport;
}

export interface BuildReport {
  widths: RingWidths;
  hainanIslets: number;
  mainlandIslets: number;
  vertices: Record<RingName, number>;
  /** Geodesic distance from ring edges to the coastline, metres, [min, max] (edges cut by the median line left out). */
  measuredM: { shorelineSea: [number, number]; shorelineLand: [number, number]; nearSea: [number, number] };
}

function readCoast<G extends Geometry>(name: string): FeatureCollection<G> {
  return JSON.parse(readFileSync(coastFile(name), 'utf8')) as FeatureCollection<G>;
}

/**
 * Builds the rings and zones from the coast files with PostGIS in PGlite (GEOS 3.14, pinned with the
 * package), so the same input gives byte-identical output on any machine.
 */
export async function buildGeodata(widths: RingWidths = DEFAULT_WIDTHS): Promise<GeodataBuild> {
  if (!(widths.shorelineSeaM > 0 && widths.shorelineLandM > 0 && widths.nearSeaNm * METRES_PER_NM > widths.shorelineSeaM)) {
    throw new RangeError('ring widths must be positive and the near-sea ring wider than the shoreline band');
  }
  const db = await PGlite.create({ extensions: { postgis } });
  try {
    await db.exec('CREATE EXTENSION postgis');
    await loadSources(db);
    const islets = await buildLand(db);
    await buildPrimitives(db, widths);
    const rings = await assembleRings(db, widths);
    const measuredM = await measureWidths(db);
    const zones = await buildZones(db);
    const vertices = Object.fromEntries(rings.features.map((f) => [f.properties.name, f.properties.vertices])) as Record<RingName, number>;
    return { rings, zones, report: { widths, ...islets, vertices, measuredM } };
  } finally {
    await db.close();
  }
}

async function loadSources(db: PGlite): Promise<void> {
  await db.exec(`CREATE TABLE src (kind text NOT NULL, i integer NOT NULL, g geometry NOT NULL)`);
  const insert = async (kind: string, features: Feature[]) => {
    for (const [i, f] of features.entries()) {
      await db.query(`INSERT INTO src VALUES ($1, $2, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326))`, [kind, i, JSON.stringify(f.geometry)]);
    }
  };
  await insert('island', readCoast('hainan-island-gshhg-full.geojson').features);
  await insert('islet', readCoast('hainan-islets-gshhg-full.geojson').features);
  const mainland = readCoast('leizhou-shoreline-gshhg-full.geojson').features;
  const shore = mainland.filter((f) => f.geometry.type === 'LineString');
  const first = (shore[0]?.geometry as { coordinates: number[][] } | undefined)?.coordinates;
  if (shore.length !== 1 || first?.[0]?.[0] !== MAINLAND_CLIP.west || first.at(-1)?.[0] !== MAINLAND_CLIP.east) {
    throw new Error('leizhou-shoreline-gshhg-full.geojson: expected one shoreline from the west to the east clip edge');
  }
  await insert('mainland-shore', shore);
  await insert('mainland-island', mainland.filter((f) => f.geometry.type === 'Polygon'));
}

/**
 * Hainan land and mainland land. Islets nearer the mainland than the main island belong to the mainland
 * (a few lie off the Leizhou coast).
 */
async function buildLand(db: PGlite): Promise<{ hainanIslets: number; mainlandIslets: number }> {
  await db.exec(`
    CREATE TABLE mainland AS
      SELECT ST_Union(g) AS g FROM (
        SELECT ST_CollectionExtract(ST_MakeValid(ST_MakePolygon(ST_AddPoint(ST_AddPoint(ST_AddPoint(g,
                 ST_SetSRID(ST_Point(${MAINLAND_CLIP.east}, ${MAINLAND_CLIP.north}), 4326)),
                 ST_SetSRID(ST_Point(${MAINLAND_CLIP.west}, ${MAINLAND_CLIP.north}), 4326)),
                 ST_StartPoint(g)))), 3) AS g
          FROM src WHERE kind = 'mainland-shore'
        UNION ALL SELECT g FROM src WHERE kind = 'mainland-island') x;
    CREATE TABLE islet_side AS
      SELECT s.i, s.g, ST_Distance(s.g::geography, m.g::geography) <= ST_Distance(s.g::geography, l.g::geography) AS hainan
        FROM src s, (SELECT g FROM src WHERE kind = 'island') m, mainland l
       WHERE s.kind = 'islet';
    CREATE TABLE land AS
      SELECT ST_Union(g) AS g FROM (
        SELECT g FROM src WHERE kind = 'island' UNION ALL SELECT g FROM islet_side WHERE hainan) x;
    CREATE TABLE mainland_all AS
      SELECT ST_Union(g) AS g FROM (SELECT g FROM mainland UNION ALL SELECT g FROM islet_side WHERE NOT hainan) x;
  `);
  const { rows } = await db.query<{ hainan: number; mainland: number }>(
    `SELECT count(*) FILTER (WHERE hainan)::int AS hainan, count(*) FILTER (WHERE NOT hainan)::int AS mainland FROM islet_side`,
  );
  return { hainanIslets: rows[0]!.hainan, mainlandIslets: rows[0]!.mainland };
}

/**
 * The three offset shapes the rings are cut from, in metres on the island's projection:
 * `core` (land shrunk by the landward width), `band` (land grown by the seaward width) and `outer` (land
 * grown to the near-sea limit), the last two cut at the median line and off the mainland.
 *
 * The median line is the boundary of the Voronoi diagram of the coast vertices of both sides (about
 * 150 m apart, so within a metre of the true equidistance line across the 30 km strait): every point
 * of a mainland vertex's cell is nearer the mainland coast.
 */
async function buildPrimitives(db: PGlite, widths: RingWidths): Promise<void> {
  const outerM = widths.nearSeaNm * METRES_PER_NM;
  await db.exec(`
    CREATE TABLE land_p AS SELECT ST_Transform(g, '${PROJ}') AS g FROM land;
    CREATE TABLE mainland_p AS SELECT ST_Transform(g, '${PROJ}') AS g FROM mainland_all;
    CREATE TABLE generators AS
      SELECT DISTINCT ON (ST_X(g), ST_Y(g)) side, g FROM (
        SELECT 'hainan' AS side, (ST_DumpPoints(g)).geom AS g FROM land_p
        UNION ALL
        SELECT 'mainland', (ST_DumpPoints(ST_Transform(g, '${PROJ}'))).geom FROM src WHERE kind IN ('mainland-shore', 'mainland-island')
        UNION ALL
        SELECT 'mainland', (ST_DumpPoints(ST_Transform(g, '${PROJ}'))).geom FROM islet_side WHERE NOT hainan) x
      ORDER BY ST_X(g), ST_Y(g), side;
    CREATE INDEX ON generators USING gist (g);
    CREATE TABLE outer_raw AS SELECT ST_Buffer(g, ${outerM}, 'quad_segs=${QUAD_SEGS.outer}') AS g FROM land_p;
    CREATE TABLE cells AS
      SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(g), 0, (SELECT ST_Expand(ST_Envelope(g), 20000) FROM outer_raw)))).geom AS g
        FROM generators;
    CREATE TABLE mainland_side AS
      SELECT ST_Union(c.g) AS g
        FROM cells c JOIN generators p ON ST_Intersects(c.g, p.g) AND p.side = 'mainland'
       WHERE ST_Intersects(c.g, (SELECT g FROM outer_raw));
    CREATE TABLE prim AS
      SELECT 'core' AS k, ST_Buffer(g, ${-widths.shorelineLandM}, 'quad_segs=${QUAD_SEGS.land}') AS g FROM land_p
      UNION ALL
      SELECT 'band', ST_Difference(ST_Difference(ST_Buffer(l.g, ${widths.shorelineSeaM}, 'quad_segs=${QUAD_SEGS.sea}'), s.g), m.g)
        FROM land_p l, mainland_side s, mainland_p m
      UNION ALL
      SELECT 'outer', ST_Difference(ST_Difference(o.g, s.g), m.g) FROM outer_raw o, mainland_side s, mainland_p m;
    CREATE TABLE prim_ll AS
      SELECT k, ST_ReducePrecision(ST_Transform(ST_SimplifyPreserveTopology(g, ${SIMPLIFY_M}), '${PROJ}', 4326), ${GRID_DEG}) AS g
        FROM prim;
  `);
}

/**
 * inland = core; shoreline = band − core; near-sea = outer − band. The differences run on the 1e-7° grid
 * (OverlayNG snap-rounding), so neighbouring rings share their boundary vertex for vertex: no gaps, no
 * overlaps.
 */
async function assembleRings(db: PGlite, widths: RingWidths): Promise<RingCollection> {
  await db.exec(`
    CREATE TABLE rings AS
      SELECT 'inland' AS name, ST_Multi(c.g) AS g FROM prim_ll c WHERE c.k = 'core'
      UNION ALL
      SELECT 'shoreline', ST_Multi(ST_Difference(b.g, c.g, ${GRID_DEG})) FROM prim_ll b, prim_ll c WHERE b.k = 'band' AND c.k = 'core'
      UNION ALL
      SELECT 'near-sea', ST_Multi(ST_Difference(o.g, b.g, ${GRID_DEG})) FROM prim_ll o, prim_ll b WHERE o.k = 'outer' AND b.k = 'band';
  `);
  const checks = await db.query<{ valid: boolean; overlaps: boolean; gap_km2: number }>(`
    SELECT bool_and(ST_IsValid(a.g)) AS valid,
           bool_or(a.name < b.name AND ST_Relate(a.g, b.g, '2********')) AS overlaps,
           (SELECT ST_Area(ST_SymDifference(ST_Union(g), (SELECT g FROM prim_ll WHERE k = 'outer'))::geography) / 1e6 FROM rings) AS gap_km2
      FROM rings a, rings b`);
  const check = checks.rows[0]!;
  if (!check.valid || check.overlaps || check.gap_km2 > 1e-6) throw new Error(`ring geometry check failed: ${JSON.stringify(check)}`);

  const { rows } = await db.query<{ name: RingName; json: string; vertices: number; km2: number }>(`
    SELECT name, ST_AsGeoJSON(g, 7) AS json, ST_NPoints(g) AS vertices, ST_Area(g::geography) / 1e6 AS km2
      FROM rings ORDER BY array_position(ARRAY['near-sea', 'shoreline', 'inland'], name)`);
  const nm = widths.nearSeaNm;
  const definitions: Record<RingName, string> = {
    'near-sea': `sea from the outer edge of the shoreline band out to ${nm} nautical miles from the Hainan coast (island and islets), cut at the Qiongzhou Strait median line and off mainland land`,
    shoreline: `the coastline band: ${widths.shorelineSeaM} m to sea and ${widths.shorelineLandM} m inland from the Hainan coast, islets included`,
    inland: `Hainan land more than ${widths.shorelineLandM} m from the coast (the island and the larger islets)`,
  };
  return {
    type: 'FeatureCollection',
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.name,
      properties: {
        name: r.name,
        name_zh: RING_LABELS[r.name].zh,
        definition: definitions[r.name],
        vertices: r.vertices,
        area_km2: Math.round(r.km2 * 10) / 10,
      } satisfies RingProperties,
      geometry: JSON.parse(r.json) as MultiPolygon,
    })),
  };
}

/** Geodesic distance from the ring edges to the coast: what the projection and simplification really gave. */
async function measureWidths(db: PGlite): Promise<BuildReport['measuredM']> {
  // Every 4th vertex is plenty; vertices on the median cut or the mainland are not width measurements.
  const span = async (k: string, coast: 'land' | 'boundary'): Promise<[number, number]> => {
    const { rows } = await db.query<{ lo: number; hi: number }>(`
      WITH v AS (
        SELECT (ST_DumpPoints(ST_Boundary(g))).geom AS p FROM prim_ll WHERE k = $1),
      sample AS (
        SELECT p FROM (SELECT p, row_number() OVER () AS n FROM v) x
         WHERE n % 4 = 0
           AND NOT ST_DWithin(ST_Transform(p, '${PROJ}'), (SELECT g FROM mainland_side), 1)
           AND NOT ST_DWithin(ST_Transform(p, '${PROJ}'), (SELECT g FROM mainland_p), 1)),
      coast AS (SELECT ${coast === 'land' ? 'g' : 'ST_Boundary(g)'}::geography AS g FROM land)
      SELECT min(ST_Distance(p::geography, coast.g)) AS lo, max(ST_Distance(p::geography, coast.g)) AS hi FROM sample, coast`, [k]);
    return [Math.round(rows[0]!.lo * 10) / 10, Math.round(rows[0]!.hi * 10) / 10];
  };
  return { shorelineSea: await span('band', 'land'), shorelineLand: await span('core', 'boundary'), nearSea: await span('outer', 'land') };
}

async function buildZones(db: PGlite): Promise<ZoneCollection> {
  const places = new Map(
    readCoast<Point>('hainan-places.geojson').features.map((f) => [(f.properties as unknown as PlaceProperties).name, f]),
  );
  const features: Feature<MultiPolygon, ZoneProperties>[] = [];
  for (const z of ZONE_SOURCES) {
    const place = places.get(z.at.place);
    if (!place) throw new Error(`zone ${z.id}: no place named ${z.at.place}`);
    const props = place.properties as unknown as PlaceProperties;
    const { rows } = await db.query<{ center: string; json: string }>(
      `WITH p AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS g),
            c AS (SELECT ST_ReducePrecision(CASE
                   WHEN $2::float8 IS NOT NULL THEN ST_Project(p.g::geography, $3::float8, radians($2::float8))::geometry
                   WHEN $4::boolean THEN ST_ClosestPoint(ST_Boundary((SELECT g FROM land)), p.g)
                   ELSE p.g END, ${GRID_DEG}) AS g FROM p)
       SELECT ST_AsGeoJSON(c.g, 7) AS center,
              ST_AsGeoJSON(ST_Multi(ST_ReducePrecision(ST_Buffer(c.g::geography, $5::float8, 'quad_segs=8')::geometry, ${GRID_DEG})), 7) AS json
         FROM c`,
      [
        JSON.stringify(place.geometry),
        'bearingDeg' in z.at ? z.at.bearingDeg : null,
        'distanceM' in z.at ? z.at.distanceM : null,
        'snapToCoast' in z.at,
        z.radiusM,
      ],
    );
    const row = rows[0]!;
    features.push({
      type: 'Feature',
      id: z.id,
      properties: zoneProperties(z, props, (JSON.parse(row.center) as Point).coordinates),
      geometry: JSON.parse(row.json) as MultiPolygon,
    });
  }
  return { type: 'FeatureCollection', features };
}

function zoneProperties(z: ZoneSource, place: PlaceProperties, center: Position): ZoneProperties {
  return {
    id: z.id,
    kind: z.kind,
    name: z.name,
    name_zh: z.name_zh,
    center,
    radius_m: z.radiusM,
    illustrative: z.illustrative,
    confidence: place.confidence,
    source: `hainan-places.geojson "${place.name}": ${place.source}`,
    ...(z.note ? { note: z.note } : {}),
  };
}
