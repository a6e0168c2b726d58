import { TrackFrameEncoder, type Track } from '@seawall/contracts';
import type { ServerMetrics } from '../metrics';

/** Asked only for frames with every identity, it remembers nothing: one serves every receiver. */
const encoder = new TrackFrameEncoder();

/**
 * A track frame with every identity: a snapshot, or a frame to a unit's or drone crew's socket (each gets only
 * its own few tracks, so there is no shared stream whose memory to lean on). Its bytes are counted by stream.
 */
export function fullTrackFrame(
  tracks: Iterable<Track>,
  stream: 'ops' | 'scoped',
  event: 'snapshot' | 'updated',
  metrics: Pick<ServerMetrics, 'trackFrameBytes'>,
): Uint8Array {
  const frame = encoder.encode(tracks, true);
  metrics.trackFrameBytes.inc({ stream, event }, frame.byteLength);
  return frame;
}
