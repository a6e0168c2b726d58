import { describe, expect, it } from 'vitest';
import { validateTrackBatch } from './track-guard';

const good = {
  id: 'ais:413000001',
  kind: 'ais',
  state: 'active',
  lon: 110.3,
  lat: 20.05,
  sogKn: 8.5,
  cogDeg: 45,
  headingDeg: null,
  mmsi: 413000001,
  name: 'HAI XUN 01',
  callsign: null,
  shipType: 70,
  destination: null,
  ring: 'near-sea',
  level: 'orange',
  sources: ['rx-haikou'],
  firstSeenMs: 1,
  lastSeenMs: 2,
  updates: 3,
};

describe('validateTrackBatch (the socket\'s track batches)', () => {
  it('a valid track is kept as the very object the payload carried, not a copy', () => {
    const { items, dropped } = validateTrackBatch([good]);
    expect(dropped).toBe(0);
    expect(items[0]).toBe(good);
  });

  it('drops and counts what fails the contract\'s schema while the rest of the batch lives', () => {
    const { items, dropped } = validateTrackBatch([good, { ...good, lat: 95 }, { ...good, kind: 'submarine' }, { ...good, sources: 'rx' }, null]);
    expect(items).toEqual([good]);
    expect(dropped).toBe(4);
  });

  it('a payload that is not an array is one drop', () => {
    expect(validateTrackBatch({ tracks: [good] })).toEqual({ items: [], dropped: 1 });
  });
});
