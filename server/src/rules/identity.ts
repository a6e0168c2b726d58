import type { Track, TrackId } from '@seawall/contracts';
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

// The normalised placeholder names of each parameter object (parameters are loaded once and never change).
const placeholderSets = new WeakMap<RuleConfig['identity'], ReadonlySet<string>>();
function placeholdersOf(params: RuleConfig['identity']): ReadonlySet<string> {
  let set = placeholderSets.get(params);
  if (!set) placeholderSets.set(params, (set = new Set(params.placeholderNames.map(normalizeName))));
  return set;
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
  if (name === null) {
    if (nameOverdue(track, params)) problems.push('no name transmitted');
  } else if (placeholdersOf(params).has(name) || name === String(track.mmsi)) {
    problems.push(`placeholder name "${track.name}"`);
  }
  if (registry) {
    const entry = registry.get(track.mmsi);
    if (!entry) problems.push('not in the vessel registry');
    else if (name !== null && normalizeName(entry.name) !== name) problems.push(`name "${track.name}" differs from the registry's "${entry.name}"`);
  }
  return problems;
}

function nameOverdue(track: Track, params: RuleConfig['identity']): boolean {
  return track.lastSeenMs - track.firstSeenMs >= params.nameRequiredAfterMs;
}

/** Identity anomalies: blue, yellow inside the shoreline ring. */
export function checkIdentity(
  track: Track,
  registry: ReadonlyMap<number, RegistryEntry> | null,
  params: RuleConfig['identity'],
): Finding | null {
  if (track.kind !== 'ais' && track.kind !== 'fused') return null;
  const problems = identityProblems(track, registry, params);
  return problems.length === 0 ? null : identityFinding(track, problems, registry, params);
}

function identityFinding(track: Track, problems: string[], registry: ReadonlyMap<number, RegistryEntry> | null, params: RuleConfig['identity']): Finding {
  return {
    rule: 'identity',
    level: track.ring === 'shoreline' ? 'yellow' : 'blue',
    trackIds: [track.id],
    ring: track.ring,
    lon: track.lon,
    lat: track.lat,
    atMs: track.lastSeenMs,
    summary: identitySummary(track, problems),
    evidence: { mmsi: track.mmsi, name: track.name, callsign: track.callsign, problems, registryChecked: registry !== null, parameters: params },
  };
}

function identitySummary(track: Track, problems: readonly string[]): string {
  return `MMSI ${track.mmsi}: ${problems.join('; ')}`;
}

interface IdentityVerdict {
  mmsi: number | null;
  name: string | null;
  overdue: boolean;
  problems: string[];
  summary: string | null;
}

/**
 * `checkIdentity` for every position report of a vessel, without redoing it: the verdict depends only on
 * the track's MMSI and name and, while it has no name, on whether the grace period is over, so it is kept per
 * track until one of those changes. A pure memo; nothing of it is state to save.
 */
export class IdentityChecks {
  private readonly verdicts = new Map<TrackId, IdentityVerdict>();

  constructor(
    private readonly registry: ReadonlyMap<number, RegistryEntry> | null,
    private readonly params: RuleConfig['identity'],
  ) {}

  /** The summary `checkIdentity` would give this track's finding, or null when it finds nothing. */
  summaryOf(track: Track): string | null {
    return this.verdictOf(track).summary;
  }

  /** `checkIdentity(track, registry, params)`. */
  check(track: Track): Finding | null {
    const verdict = this.verdictOf(track);
    return verdict.summary === null ? null : identityFinding(track, verdict.problems, this.registry, this.params);
  }

  forget(id: TrackId): void {
    this.verdicts.delete(id);
  }

  private verdictOf(track: Track): IdentityVerdict {
    const overdue = track.name === null && nameOverdue(track, this.params);
    let verdict = this.verdicts.get(track.id);
    if (verdict && verdict.mmsi === track.mmsi && verdict.name === track.name && verdict.overdue === overdue) return verdict;
    const problems = track.kind === 'ais' || track.kind === 'fused' ? identityProblems(track, this.registry, this.params) : [];
    verdict = { mmsi: track.mmsi, name: track.name, overdue, problems, summary: problems.length === 0 ? null : identitySummary(track, problems) };
    if (track.kind === 'ais' || track.kind === 'fused') this.verdicts.set(track.id, verdict);
    return verdict;
  }
}
