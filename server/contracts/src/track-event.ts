import { z } from 'zod';
import { EpochMs, Latitude, Longitude, TrackId } from './ids';
import { Ring } from './track';

/** A track entering or leaving a ring or a zone, decided from its previous and new position. */
export const TrackEvent = z.object({
  trackId: TrackId,
  atMs: EpochMs,
  kind: z.enum(['ring-enter', 'ring-leave', 'zone-enter', 'zone-leave']),
  /** The ring (for ring events) or the zone id (for zone events). */
  place: z.string().max(128),
  ring: Ring.nullable(),
  lon: Longitude,
  lat: Latitude,
});
export type TrackEvent = z.infer<typeof TrackEvent>;
