import type { Track, TrackId } from '@seawall/contracts';

/** What changed in one store update, so listeners can do as little as possible. */
export type TrackStoreChange =
  | { kind: 'replaced'; count: number }
  | { kind: 'upserted'; count: number }
  | { kind: 'removed'; count: number };

export type TrackStoreListener = (change: TrackStoreChange) => void;

/**
 * The browser's copy of the live picture: one entry per track id.
 *
 * The socket owner writes to it (a snapshot replaces everything, a batch of
 * deltas upserts, a removal deletes); the map, panels and test hooks read it.
 * `list()` returns a new array after each change and the same array between
 * changes, so deck.gl sees a changed `data` prop exactly when something changed.
 */
export class TrackStore {
  readonly #tracks = new Map<TrackId, Track>();
  readonly #listeners = new Set<TrackStoreListener>();
  #list: Track[] | null = [];
  #lastChangeMs: number | null = null;

  /** Number of tracks held. */
  get size(): number {
    return this.#tracks.size;
  }

  /** Wall-clock time (epoch ms) of the last change, or null before the first. */
  get lastChangeMs(): number | null {
    return this.#lastChangeMs;
  }

  /** One track by id. */
  get(id: TrackId): Track | undefined {
    return this.#tracks.get(id);
  }

  /** All tracks; a new array after every change, the same array otherwise. */
  list(): readonly Track[] {
    this.#list ??= [...this.#tracks.values()];
    return this.#list;
  }

  /** Replace the whole picture with a snapshot. */
  replaceAll(tracks: readonly Track[], nowMs = Date.now()): void {
    this.#tracks.clear();
    for (const track of tracks) this.#tracks.set(track.id, track);
    this.#changed({ kind: 'replaced', count: tracks.length }, nowMs);
  }

  /** Insert or overwrite the given tracks (a delta batch). */
  upsert(tracks: readonly Track[], nowMs = Date.now()): void {
    if (tracks.length === 0) return;
    for (const track of tracks) this.#tracks.set(track.id, track);
    this.#changed({ kind: 'upserted', count: tracks.length }, nowMs);
  }

  /** Forget the given tracks. */
  remove(ids: readonly TrackId[], nowMs = Date.now()): void {
    let removed = 0;
    for (const id of ids) if (this.#tracks.delete(id)) removed += 1;
    if (removed > 0) this.#changed({ kind: 'removed', count: removed }, nowMs);
  }

  /** Listen to changes; returns the function that stops listening. */
  subscribe(listener: TrackStoreListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(change: TrackStoreChange, nowMs: number): void {
    this.#list = null;
    this.#lastChangeMs = nowMs;
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        // One broken listener must not stop the others or the socket handler that called us.
        console.error('track store listener failed', error);
      }
    }
  }
}
