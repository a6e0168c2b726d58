import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Latitude, Longitude, SensorId } from '@seawall/contracts';
import { z } from 'zod';
import { ok, reject, type Result } from '../decoders/result';

/**
 * Where a fixed radar stands and how its azimuth zero is aligned. A shore radar does not move, so a relative
 * bearing (from its heading marker) becomes a true bearing by adding the heading configured here:
 * `north-up` means the heading marker points at true north (heading 0, `headingDeg` must be left out);
 * `fixed` means it points at `headingDeg` true (required).
 */
export const RadarSite = z
  .object({
    name: z.string().min(1).max(128),
    lon: Longitude,
    lat: Latitude,
    headingSource: z.enum(['north-up', 'fixed']),
    headingDeg: z.number().min(0).lt(360).optional(),
    /** Free text, e.g. where the coordinates come from. */
    note: z.string().max(1024).optional(),
  })
  .strict()
  .superRefine((site, ctx) => {
    if (site.headingSource === 'fixed' && site.headingDeg === undefined) {
      ctx.addIssue({ code: 'custom', path: ['headingDeg'], message: "required when headingSource is 'fixed'" });
    }
    if (site.headingSource === 'north-up' && site.headingDeg !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['headingDeg'], message: "must be left out when headingSource is 'north-up'" });
    }
  });
export type RadarSite = z.infer<typeof RadarSite>;

/** `edge-gateway/config/radars.json`: radar sensor id (the `<sensorId>` of `sensors/radar/<sensorId>`) → site. */
export const RadarSitesFile = z.record(SensorId, RadarSite);
/** Sites by sensor id, as the radar handler looks them up. */
export type RadarSites = ReadonlyMap<string, Readonly<RadarSite>>;

/** The site file shipped with the gateway. */
export const DEFAULT_RADAR_SITES_PATH = fileURLToPath(new URL('../../config/radars.json', import.meta.url));

/** The true heading of a site's azimuth zero: 0 for north-up, the configured heading for fixed. */
export function siteHeadingDeg(site: RadarSite): number {
  return site.headingSource === 'fixed' ? (site.headingDeg ?? 0) : 0;
}

/** Validates parsed site JSON; every problem is listed in the rejection's detail. */
export function parseRadarSites(json: unknown): Result<RadarSites, 'invalid-radar-sites'> {
  const parsed = RadarSitesFile.safeParse(json);
  if (!parsed.success) {
    return reject('invalid-radar-sites', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'));
  }
  const sites = new Map<string, Readonly<RadarSite>>();
  for (const [id, site] of Object.entries(parsed.data)) sites.set(id, Object.freeze(site));
  return ok(sites);
}

/** Reads and validates the radar site file once at start-up; throws one error that names the file and every problem. */
export function loadRadarSites(path: string = DEFAULT_RADAR_SITES_PATH): RadarSites {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`cannot read radar sites from ${path}: ${(cause as Error).message}`, { cause });
  }
  const sites = parseRadarSites(json);
  if (!sites.ok) throw new Error(`invalid radar sites in ${path}:\n${sites.detail ?? ''}`);
  return sites.value;
}
