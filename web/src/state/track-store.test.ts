import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { TrackStore, type TrackStoreChange } from './track-store';

function track(id: string, patch: Partial<Track> = {}): Track {
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

describe('TrackStore', () => {
  it('a snapshot replaces everything the store held', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1'), track('ais:2')]);
    store.replaceAll([track('ais:3')]);
    expect(store.size).toBe(1);
    expect(store.list().map((t) => t.id)).toEqual(['ais:3']);
  });

  it('a delta batch overwrites known tracks and adds new ones', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1', { lon: 109 })]);
    store.upsert([track('ais:1', { lon: 110 }), track('ais:2')]);
    expect(store.size).toBe(2);
    expect(store.get('ais:1' as TrackId)?.lon).toBe(110);
  });

  it('removal forgets tracks and ignores unknown ids without a change event', () => {
    const store = new TrackStore();
    const changes: TrackStoreChange[] = [];
    store.replaceAll([track('ais:1'), track('ais:2')]);
    store.subscribe((c) => changes.push(c));
    store.remove(['ais:1' as TrackId]);
    store.remove(['ais:9' as TrackId]);
    expect(store.size).toBe(1);
    expect(changes).toEqual([{ kind: 'removed', count: 1 }]);
  });

  it('list() gives a new array after a change and the same array between changes', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1')]);
    const first = store.list();
    expect(store.list()).toBe(first);
    store.upsert([track('ais:1', { lat: 19.5 })]);
    expect(store.list()).not.toBe(first);
  });

  it('a listener that throws does not stop the other listeners', () => {
    const store = new TrackStore();
    let called = 0;
    const quiet = console.error;
    console.error = () => undefined;
    try {
      store.subscribe(() => {
        throw new Error('boom');
      });
      store.subscribe(() => {
        called += 1;
      });
      store.upsert([track('ais:1')]);
    } finally {
      console.error = quiet;
    }
    expect(called).toBe(1);
  });

  it('records when it last changed', () => {
    const store = new TrackStore();
    expect(store.lastChangeMs).toBeNull();
    store.upsert([track('ais:1')], 1234);
    expect(store.lastChangeMs).toBe(1234);
  });
});
