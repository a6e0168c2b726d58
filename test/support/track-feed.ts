import { TrackFrameReader, type Track, type TrackId } from '@seawall/contracts';

/** One `tracks:snapshot` or `tracks:updated` frame as the client read it. */
export interface ReadFrame {
  event: 'snapshot' | 'updated';
  tracks: Track[];
  /** Records of tracks the client had no identity for (it would ask for a snapshot). */
  unknown: TrackId[];
}

/** What a socket.io client was told of the tracks, read from its track frames as a console reads them. */
export interface TrackFeed {
  /** Every snapshot and update, in order. */
  readonly frames: ReadFrame[];
  /** Every `tracks:removed`, in order. */
  readonly removed: TrackId[][];
  /** The picture as the client holds it: a snapshot replaces it, updates change it, removals drop from it. */
  readonly tracks: Map<TrackId, Track>;
  /** The id of every record it was ever sent, placed or not. */
  readonly everSent: Set<TrackId>;
  /** The tracks of every `tracks:updated`, in order. */
  updates(): Track[];
  /** The next snapshot's tracks. */
  nextSnapshot(): Promise<Track[]>;
}

/** The part of a socket.io client (typed or not) the feed listens on. */
interface Listening {
  on(event: 'tracks:snapshot' | 'tracks:updated' | 'tracks:removed', listener: (payload: never) => void): unknown;
}

/**
 * Reads a socket's track events with a TrackFrameReader, from now on: call it before the socket connects to
 * see its first snapshot. A frame the reader refuses throws in the socket's listener (an error in the test).
 * `resync`, if given, is called when a frame holds records the reader cannot place, as a console asks for a
 * snapshot then (a socket on a standby may get the leader's batches before its snapshot).
 */
export function followTracks(socket: Listening, resync?: () => void): TrackFeed {
  const reader = new TrackFrameReader();
  const waiting: ((tracks: Track[]) => void)[] = [];
  const feed: TrackFeed = {
    frames: [],
    removed: [],
    tracks: new Map(),
    everSent: new Set(),
    updates: () => feed.frames.filter((f) => f.event === 'updated').flatMap((f) => f.tracks),
    nextSnapshot: () => new Promise((resolve) => waiting.push(resolve)),
  };
  const read = (event: ReadFrame['event'], payload: unknown) => {
    const { tracks, unknown } = event === 'snapshot' ? reader.snapshot(payload) : reader.update(payload);
    feed.frames.push({ event, tracks, unknown });
    if (event === 'snapshot') feed.tracks.clear();
    for (const t of tracks) {
      feed.tracks.set(t.id, t);
      feed.everSent.add(t.id);
    }
    for (const id of unknown) feed.everSent.add(id);
    if (unknown.length > 0) resync?.();
    if (event === 'snapshot') for (const resolve of waiting.splice(0)) resolve(tracks);
  };
  socket.on('tracks:snapshot', (payload: unknown) => read('snapshot', payload));
  socket.on('tracks:updated', (payload: unknown) => read('updated', payload));
  socket.on('tracks:removed', (ids: TrackId[]) => {
    reader.removed(ids);
    feed.removed.push(ids);
    for (const id of ids) feed.tracks.delete(id);
  });
  return feed;
}
