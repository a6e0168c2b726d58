import { describe, expect, it } from 'vitest';
import { parseTrackBatch, parseTrackIdBatch, validateTrackBatch } from './track-guard';

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
  name: '<img src=x onerror=alert(1)>',
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

describe('parseTrackBatch', () => {
  it('keeps valid tracks as they are, hostile-looking names included (they are only ever text)', () => {
    const { items, dropped } = parseTrackBatch([good]);
    expect(dropped).toBe(0);
    expect(items[0]?.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('drops and counts malformed tracks while the rest of the batch lives', () => {
    const { items, dropped } = parseTrackBatch([good, { ...good, lat: 95 }, { ...good, level: 'purple' }, null, 'x']);
    expect(items).toHaveLength(1);
    expect(dropped).toBe(4);
  });

  it('a payload that is not an array is one drop', () => {
    expect(parseTrackBatch({ tracks: [] })).toEqual({ items: [], dropped: 1 });
  });
});

describe('parseTrackIdBatch', () => {
  it('keeps track ids and drops what cannot be one', () => {
    expect(parseTrackIdBatch(['ais:1', 7, ''])).toEqual({ items: ['ais:1'], dropped: 2 });
  });
});

/** The same track under an everyday name. */
const plain = { ...good, name: 'HAI XUN 01' };

describe('validateTrackBatch (the socket\'s track batches)', () => {
  it('a valid track is kept as the very object the payload carried, not a copy', () => {
    const { items, dropped } = validateTrackBatch([plain]);
    expect(dropped).toBe(0);
    expect(items[0]).toBe(plain);
  });

  it('drops and counts what fails the contract\'s schema while the rest of the batch lives', () => {
    const { items, dropped } = validateTrackBatch([plain, { ...plain, lat: 95 }, { ...plain, kind: 'submarine' }, { ...plain, sources: 'rx' }, null]);
    expect(items).toEqual([plain]);
    expect(dropped).toBe(4);
  });

  it('a payload that is not an array is one drop', () => {
    expect(validateTrackBatch({ tracks: [plain] })).toEqual({ items: [], dropped: 1 });
  });
});
