import type { Track, TrackId } from '@seawall/contracts';

/** A live AIS track off Haikou for the state tests, changed by `patch`. */
export function testTrack(id: string, patch: Partial<Track> = {}): Track {
  return {
    id: id as TrackId,
    kind: 'ais',
    state: 'active',
    lon: 109.7,
    lat: 19.1,
    sogKn: 10,
    cogDeg: 90,
    headingDeg: 91,
    mmsi: 413000001,
    name: 'HAI XUN 01',
    callsign: null,
    shipType: null,
    destination: null,
    ring: 'near-sea',
    level: null,
    sources: ['rx-haikou'],
    firstSeenMs: 1_000,
    lastSeenMs: 2_000,
    updates: 1,
    ...patch,
  };
}
