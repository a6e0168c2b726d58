import { TrackId } from '@seawall/contracts';

/** The valid part of one socket payload, and how many items were dropped. */
export interface ParsedBatch<T> {
  items: T[];
  dropped: number;
}

/**
 * Validates a `tracks:removed` payload (an array of track ids) item by item against the contract's
 * `TrackId` schema: one bad id is dropped and counted, the rest of the batch lives. (Track frames need
 * no such pass: their reader checks every value as it reads, see `decodeTrackFrame`.)
 */
export function parseTrackIdBatch(payload: unknown): ParsedBatch<TrackId> {
  if (!Array.isArray(payload)) return { items: [], dropped: 1 };
  const items: TrackId[] = [];
  let dropped = 0;
  for (const candidate of payload) {
    const result = TrackId.safeParse(candidate);
    if (result.success) items.push(result.data);
    else dropped += 1;
  }
  return { items, dropped };
}
