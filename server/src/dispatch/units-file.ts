import { readFileSync } from 'node:fs';
import { Unit } from '@seawall/contracts';
import type { ZoneCollection } from '@seawall/geodata';
import { z } from 'zod';

const UnitsFile = z.object({
  units: z.array(Unit.pick({ id: true, name: true, kind: true, capabilities: true, homeBase: true, speedKn: true }).strict()),
});

/**
 * The deployment's units (UNITS_PATH), each placed at its home base (a station or patrol base in the zones)
 * and available; throws naming the file and every bad field, or a home base that is not a zone.
 */
export function loadUnitsFile(path: string, zones: ZoneCollection): Unit[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read units ${path}: ${(err as Error).message}`);
  }
  const parsed = UnitsFile.safeParse(json);
  if (!parsed.success) throw new Error(`invalid units ${path}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  const centres = new Map(zones.features.map((f) => [String(f.properties.id), f.properties.center as [number, number] | undefined]));
  return parsed.data.units.map((u) => {
    const at = u.homeBase ? centres.get(u.homeBase) : undefined;
    if (u.homeBase && !at) throw new Error(`invalid units ${path}: unit ${u.id} has home base ${u.homeBase}, which is not a zone`);
    return { ...u, status: 'available' as const, lon: at?.[0] ?? null, lat: at?.[1] ?? null, positionAtMs: null };
  });
}
