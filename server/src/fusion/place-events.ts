import type { Ring, TrackEvent, TrackId } from '@seawall/contracts';

/**
 * The ring and zone entries and exits between a track's previous place and its new one. `outside` is not a
 * ring: moving from a ring to outside is leaving that ring. A track seen for the first time enters where it is.
 */
export function placeEvents(
  trackId: TrackId,
  atMs: number,
  lon: number,
  lat: number,
  before: { ring: Ring | null; zones: readonly string[] } | undefined,
  after: { ring: Ring; zones: readonly string[] },
): TrackEvent[] {
  const events: TrackEvent[] = [];
  const push = (kind: TrackEvent['kind'], place: string) => events.push({ trackId, atMs, kind, place, ring: after.ring, lon, lat });
  const prevRing = before?.ring ?? 'outside';
  if (prevRing !== after.ring) {
    if (prevRing !== 'outside') push('ring-leave', prevRing);
    if (after.ring !== 'outside') push('ring-enter', after.ring);
  }
  const prevZones = before?.zones ?? [];
  for (const z of prevZones) if (!after.zones.includes(z)) push('zone-leave', z);
  for (const z of after.zones) if (!prevZones.includes(z)) push('zone-enter', z);
  return events;
}
