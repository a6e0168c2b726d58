import type { Track } from '@seawall/contracts';
import type { Finding } from '../alerts/alert-book';
import type { RuleConfig } from './rule-config';

/** One vessel in the deployment's registry. */
export interface RegistryEntry {
  mmsi: number;
  name: string;
  certificate: string;
  registration: string;
}

/**
 * Why an MMSI cannot be a ship station's: ITU-R M.585 gives ships nine digits starting with a maritime
 * identification digit (MID) of 201-775; other leading digits belong to coast stations (00), groups (0),
 * SAR aircraft (111), handhelds (8), craft associated with a ship (98), aids to navigation (99) and
 * distress beacons (970, 972, 974).
 */
export function mmsiProblem(mmsi: number): string | null {
  if (!Number.isInteger(mmsi) || mmsi < 100_000_000 || mmsi > 999_999_999) return 'not nine digits';
  const mid = Math.floor(mmsi / 1_000_000);
  if (mid < 201 || mid > 775) return `MID ${mid} is not a ship's (201-775)`;
  return null;
}

function normalizeName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim();
}

/** Everything wrong with a vessel's identity, or an empty list. */
export function identityProblems(
  track: Track,
  registry: ReadonlyMap<number, RegistryEntry> | null,
  params: RuleConfig['identity'],
): string[] {
  if (track.mmsi === null) return [];
  const problems: string[] = [];
  const mmsiIssue = mmsiProblem(track.mmsi);
  if (mmsiIssue) problems.push(`invalid MMSI: ${mmsiIssue}`);
  const name = track.name === null ? null : normalizeName(track.name);
  const placeholders = new Set(params.placeholderNames.map(normalizeName));
  if (name === null) {
    if (track.lastSeenMs - track.firstSeenMs >= params.nameRequiredAfterMs) problems.push('no name transmitted');
  } else if (placeholders.has(name) || name === String(track.mmsi)) {
    problems.push(`placeholder name "${track.name}"`);
  }
  if (registry) {
    const entry = registry.get(track.mmsi);
    if (!entry) problems.push('not in the vessel registry');
    else if (name !== null && normalizeName(entry.name) !== name) problems.push(`name "${track.name}" differs from the registry's "${entry.name}"`);
  }
  return problems;
}

/** Identity anomalies: blue, yellow inside the shoreline ring. */
export function checkIdentity(
  track: Track,
  registry: ReadonlyMap<number, RegistryEntry> | null,
  params: RuleConfig['identity'],
): Finding | null {
  if (track.kind !== 'ais' && track.kind !== 'fused') return null;
  const problems = identityProblems(track, registry, params);
  if (problems.length === 0) return null;
  return {
    rule: 'identity',
    level: track.ring === 'shoreline' ? 'yellow' : 'blue',
    trackIds: [track.id],
    ring: track.ring,
    lon: track.lon,
    lat: track.lat,
    atMs: track.lastSeenMs,
    summary: `MMSI ${track.mmsi}: ${problems.join('; ')}`,
    evidence: { mmsi: track.mmsi, name: track.name, callsign: track.callsign, problems, registryChecked: registry !== null, parameters: params },
  };
}
