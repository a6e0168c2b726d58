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
  const prevRing = before?.ring ?? 'outside';
  if (prevRing !== after.ring) {
    if (prevRing !== 'outside') events.push(placeEvent(trackId, atMs, 'ring-leave', prevRing, after.ring, lon, lat));
    if (after.ring !== 'outside') events.push(placeEvent(trackId, atMs, 'ring-enter', after.ring, after.ring, lon, lat));
  }
  const prevZones = before?.zones ?? [];
  // Called on every position report: no closure, and the usual case (no zones, or the same ones) adds nothing.
  if (prevZones.length === 0 && after.zones.length === 0) return events;
  for (const z of prevZones) if (!after.zones.includes(z)) events.push(placeEvent(trackId, atMs, 'zone-leave', z, after.ring, lon, lat));
  for (const z of after.zones) if (!prevZones.includes(z)) events.push(placeEvent(trackId, atMs, 'zone-enter', z, after.ring, lon, lat));
  return events;
}

function placeEvent(trackId: TrackId, atMs: number, kind: TrackEvent['kind'], place: string, ring: Ring, lon: number, lat: number): TrackEvent {
  return { trackId, atMs, kind, place, ring, lon, lat };
}
