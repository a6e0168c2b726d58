import { readFileSync } from 'node:fs';
import type { RegistryEntry } from './identity';

/** Splits one CSV line (RFC 4180 quoting). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * The deployment's vessel registry: CSV with a header naming at least `mmsi`, `name`, `certificate` and
 * `registration` (any order). Throws at start with the line of the first bad row.
 */
export function parseVesselRegistry(text: string): Map<number, RegistryEntry> {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = csvFields(lines[0] ?? '').map((h) => h.toLowerCase());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`vessel registry: no "${name}" column in the header`);
    return i;
  };
  const [mmsiCol, nameCol, certCol, regCol] = [col('mmsi'), col('name'), col('certificate'), col('registration')];
  const registry = new Map<number, RegistryEntry>();
  lines.slice(1).forEach((line, i) => {
    const f = csvFields(line);
    const mmsi = Number(f[mmsiCol]);
    if (!Number.isInteger(mmsi) || mmsi <= 0 || mmsi > 999_999_999) throw new Error(`vessel registry line ${i + 2}: bad MMSI "${f[mmsiCol]}"`);
    registry.set(mmsi, { mmsi, name: f[nameCol] ?? '', certificate: f[certCol] ?? '', registration: f[regCol] ?? '' });
  });
  return registry;
}

export function loadVesselRegistry(path: string): Map<number, RegistryEntry> {
  return parseVesselRegistry(readFileSync(path, 'utf8'));
}
