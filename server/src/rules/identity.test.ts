import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { checkIdentity, mmsiProblem } from './identity';
import { loadRuleConfig } from './rule-config';
import { parseVesselRegistry } from './vessel-registry';

const params = loadRuleConfig().identity;
const T0 = Date.UTC(2026, 0, 15, 2, 0, 0);
function vessel(mmsi: number, name: string | null, ring: Track['ring'] = 'near-sea'): Track {
  return {
    id: `ais:${mmsi}` as TrackId, kind: 'ais', state: 'active', lon: 110.2, lat: 20.1, sogKn: 10, cogDeg: 0, headingDeg: 0, mmsi, name,
    callsign: null, shipType: 60, destination: null, ring, level: null, sources: ['rx-haikou'], firstSeenMs: T0, lastSeenMs: T0 + 20 * 60_000, updates: 100,
  };
}
const registry = parseVesselRegistry('mmsi,name,certificate,registration\n413521110,"HAIXIA 11",CERT-0001,HK-2019-0011\n');

describe('identity checks', () => {
  it('knows ship MMSIs from other stations', () => {
    expect(mmsiProblem(413521110)).toBeNull();
    expect(mmsiProblem(2393200)).toBe('not nine digits'); // a base station in gpsd-ais-raw-messages
    expect(mmsiProblem(111413001)).toMatch(/MID 111/);
    expect(mmsiProblem(970010001)).toMatch(/MID 970/);
  });

  it('passes a registered vessel under its registered name', () => {
    expect(checkIdentity(vessel(413521110, 'HAIXIA 11'), registry, params)).toBeNull();
  });

  it('flags a placeholder name, an unregistered vessel and a name that differs from the registry: blue at sea, yellow in the shoreline ring', () => {
    expect(checkIdentity(vessel(413000777, 'UNKNOWN'), registry, params)).toMatchObject({
      level: 'blue',
      evidence: { problems: ['placeholder name "UNKNOWN"', 'not in the vessel registry'] },
    });
    expect(checkIdentity(vessel(413521110, 'HAI XIA 12', 'shoreline'), registry, params)).toMatchObject({
      level: 'yellow',
      evidence: { problems: ['name "HAI XIA 12" differs from the registry\'s "HAIXIA 11"'] },
    });
  });

  it('flags a vessel that never sends a name, but only after the grace period', () => {
    expect(checkIdentity({ ...vessel(413000778, null), lastSeenMs: T0 + 60_000 }, null, params)).toBeNull();
    expect(checkIdentity(vessel(413000778, null), null, params)?.evidence).toMatchObject({ problems: ['no name transmitted'] });
  });

  it('reads quoted CSV and refuses a registry with a bad row', () => {
    expect(parseVesselRegistry('name,mmsi,registration,certificate\n"QIONG, ""NO"" 1",412000001,R,C\n').get(412000001)?.name).toBe('QIONG, "NO" 1');
    expect(() => parseVesselRegistry('mmsi,name,certificate,registration\nabc,X,C,R\n')).toThrow(/line 2/);
  });
});
