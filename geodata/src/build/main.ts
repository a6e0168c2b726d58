import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildGeodata, DEFAULT_WIDTHS, type RingWidths } from './build-geodata';

const USAGE = `npm run geodata -- [--shoreline-sea-m 2000] [--shoreline-land-m 1000] [--near-sea-nm 24] [--out DIR]
Builds rings.geojson and zones.geojson from geodata/coast (default output: the geodata folder).`;

/**
 * One feature per line: diffs of a rebuild stay readable, and the bytes depend only on the input, so
 * the content hash the server compares changes only when the geography does.
 */
export function formatCollection(fc: { features: readonly unknown[] }, meta: Record<string, unknown>): string {
  const lines = fc.features.map((f) => JSON.stringify(f));
  return `{"type":"FeatureCollection","seawall":${JSON.stringify(meta)},"features":[\n${lines.join(',\n')}\n]}\n`;
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'shoreline-sea-m': { type: 'string' },
        'shoreline-land-m': { type: 'string' },
        'near-sea-nm': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const widths: RingWidths = {
    shorelineSeaM: num(values['shoreline-sea-m'], DEFAULT_WIDTHS.shorelineSeaM),
    shorelineLandM: num(values['shoreline-land-m'], DEFAULT_WIDTHS.shorelineLandM),
    nearSeaNm: num(values['near-sea-nm'], DEFAULT_WIDTHS.nearSeaNm),
  };
  const out = values.out ?? fileURLToPath(new URL('../../', import.meta.url));
  const { rings, zones, report } = await buildGeodata(widths);
  const generator = 'npm run geodata (geodata/src/build), PostGIS 3.6 / GEOS 3.14 in @electric-sql/pglite-postgis 0.2.8';
  const sources = 'geodata/coast/SOURCES.md and geodata/SOURCES.md';
  writeFileSync(`${out}/rings.geojson`, formatCollection(rings, { generator, sources, widths, precedence: ['shoreline', 'inland', 'near-sea'] }));
  writeFileSync(`${out}/zones.geojson`, formatCollection(zones, { generator, sources }));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
